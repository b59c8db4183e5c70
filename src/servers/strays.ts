import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {realpath} from 'node:fs/promises'
import path from 'node:path'

import {waitGone} from './processes.js'
import {isSetDir} from './set-dir.js'

/** A server cachesim started whose set directory is gone, found and stopped. */
export interface StrayServer {
  name: 'mysql' | 'replica' | 'redis'
  pid: number
  /** The set directory it belonged to. */
  dir: string
}

/** Where cachesim keeps sets: these directories themselves, and every directory directly under `parents`. */
export interface SetLocations {
  sets: readonly string[]
  parents: readonly string[]
}

const SERVER_PROGRAMS = new Set(['mariadbd', 'mysqld', 'redis-server'])
const SERVER_DIRS = new Set(['mysql', 'replica', 'redis'])
const RUN_SET = /^\d+-[0-9a-f]{6}$/

/**
 * Finds the servers of cachesim's sets whose directory is gone (removed by hand, or half removed)
 * and stops them. A server's working directory is its data directory (MariaDB works in its
 * datadir, Redis in its --dir), so it names the set even once Redis has replaced its command line
 * and the directory is deleted. Only in the given locations, only cachesim's layout, only
 * processes this user may signal; where there is no /proc (macOS), nothing is found.
 */
export async function stopStrayServers(locations: SetLocations): Promise<StrayServer[]> {
  const sets = new Set(await Promise.all(locations.sets.map(realLocation)))
  const parents = new Set(await Promise.all(locations.parents.map(realLocation)))
  const strays: StrayServer[] = []
  for (const pid of processIds()) {
    const found = serverDir(pid)
    if (!found) continue
    const dir = path.dirname(found.dataDir)
    const name = path.basename(found.dataDir) as StrayServer['name']
    // A run's set is named PID-RANDOM: that and the data directory's name are cachesim's layout.
    const runSet = parents.has(path.dirname(dir)) && RUN_SET.test(path.basename(dir))
    if (!runSet && !sets.has(dir)) continue
    // A MariaDB says where it logs, and cachesim's log beside the data; Redis has shed its arguments.
    if (found.program !== 'redis-server' && !found.commandLine.includes(`--log-error=${dir}/${name}.err`)) continue
    // Gone, or (a run's set) no longer marked: nothing else will ever stop it. A set still marked
    // is stopped by the usual means (down, the reaper, the cleanup of dead runs).
    if (!found.deleted && !(runSet && !isSetDir(dir))) continue
    try {
      process.kill(pid, 'SIGKILL')
      strays.push({name, pid, dir})
    } catch {
      // gone in between, or not ours to stop
    }
  }
  await waitGone(strays)
  return strays
}

/** The path the kernel shows for `dir` (symlinks resolved), also when `dir` itself is gone. */
async function realLocation(dir: string): Promise<string> {
  const absolute = path.resolve(dir)
  const parent = path.dirname(absolute)
  try {
    return await realpath(absolute)
  } catch {
    return parent === absolute ? absolute : path.join(await realLocation(parent), path.basename(absolute))
  }
}

function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => pid !== process.pid)
  } catch {
    return []
  }
}

interface ServerProcess {
  program: string
  commandLine: string
  /** Where it works: its data directory. */
  dataDir: string
  deleted: boolean
}

/** A MariaDB or Redis, where it works, and whether that directory has been deleted. */
function serverDir(pid: number): ServerProcess | undefined {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    const program = path.basename(commandLine.split(/\s/)[0] ?? '')
    if (!SERVER_PROGRAMS.has(program)) return undefined
    const cwd = readlinkSync(`/proc/${pid}/cwd`)
    const deleted = cwd.endsWith(' (deleted)')
    const dataDir = deleted ? cwd.slice(0, -' (deleted)'.length) : cwd
    return SERVER_DIRS.has(path.basename(dataDir)) ? {program, commandLine, dataDir, deleted} : undefined
  } catch {
    return undefined
  }
}
