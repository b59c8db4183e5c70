import {execFileSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

/**
 * The processes of one server set, each recorded the moment it is spawned with a marker found in
 * its command line, so that a pid the system has since given to someone else is never killed.
 * Kept free of heavy imports: the reaper process loads this file.
 */
export interface RecordedProcess {
  name: string
  pid: number
  /**
   * Strings one of which the process's command line contains, as a whole word, from the moment it
   * runs: its data directory; for Redis, which rewrites its command line once started, its port
   * as given (`--port N`) and as shown afterwards (`127.0.0.1:N`).
   */
  markers: string[]
}

const PIDS = 'pids'

/**
 * Writes the record; throws when the set's directory is gone (`servers down` ran meanwhile): a set
 * directory is never made again behind the back of whoever removed it.
 */
export function recordProcess(setDir: string, process: RecordedProcess): void {
  try {
    mkdirSync(path.join(setDir, PIDS))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  writeFileSync(path.join(setDir, PIDS, `${process.name}.json`), JSON.stringify(process))
}

export function recordedProcesses(setDir: string): RecordedProcess[] {
  let names: string[]
  try {
    names = readdirSync(path.join(setDir, PIDS))
  } catch {
    return []
  }
  return names.flatMap((name) => {
    try {
      // Sets recorded before `markers` had one `marker`.
      const {marker, ...recorded} = JSON.parse(readFileSync(path.join(setDir, PIDS, name), 'utf8')) as RecordedProcess & {marker?: string}
      const markers = (recorded.markers ?? (marker === undefined ? [] : [marker])).filter((m) => typeof m === 'string' && m !== '')
      return Number.isInteger(recorded.pid) && recorded.pid > 1 && markers.length > 0 ? [{...recorded, markers}] : []
    } catch {
      return []
    }
  })
}

/** True while the process runs (a zombie waiting to be reaped does not count). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (process.platform !== 'linux') return true
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** The process's command line, or undefined when it is gone. */
export function commandLine(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch {
      return undefined
    }
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
  } catch {
    return undefined
  }
}

/** The recorded process is still ours: alive, and its command line carries one of its markers as whole words. */
export function isRunning(recorded: RecordedProcess): boolean {
  if (!isAlive(recorded.pid)) return false
  const line = commandLine(recorded.pid)
  return line !== undefined && recorded.markers.some((marker) => hasWords(line, marker))
}

/** `127.0.0.1:4400` is not in `redis-server 127.0.0.1:44009`, nor `/a/set` in `/a/set2/mysql`. */
function hasWords(line: string, words: string): boolean {
  for (let at = line.indexOf(words); at !== -1; at = line.indexOf(words, at + 1)) {
    const after = line[at + words.length]
    if ((at === 0 || /\s/.test(line[at - 1]!)) && (after === undefined || /\s/.test(after))) return true
  }
  return false
}

/**
 * Kills every recorded process of a set that is still ours. SIGKILL, not SIGTERM: the data is
 * thrown away next, and a MariaDB shutdown takes seconds to save what nobody will read.
 * Returns the processes that were signalled.
 */
export function killRecorded(setDir: string): RecordedProcess[] {
  const killed: RecordedProcess[] = []
  for (const recorded of recordedProcesses(setDir)) {
    if (!isRunning(recorded)) continue
    try {
      process.kill(recorded.pid, 'SIGKILL')
      killed.push(recorded)
    } catch {
      // gone in between
    }
  }
  return killed
}

/** Waits until none of these processes runs, for at most `ms`; true when all are gone. */
export async function waitGone(processes: readonly {pid: number}[], ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (processes.some((p) => isAlive(p.pid))) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}
