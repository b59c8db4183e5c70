import {existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import path from 'node:path'

import {BadInputError} from '../errors/bad-input-error.js'
import {ServersBusyError} from '../errors/servers-busy-error.js'
import {makeDir} from './make-dir.js'
import {isAlive} from './processes.js'

/**
 * A server set's directory: the data of its servers, their logs and pids, and state.json. The
 * mark file says cachesim made it, and nothing without that mark is ever removed.
 * Kept free of heavy imports: the reaper process loads this file.
 */
const MARK = '.cachesim-servers'
const STATE = 'state.json'

export interface ServerState {
  pid: number
  port: number
  url: string
  /** Spawn to first answer, in ms. */
  readyMs: number
}

export interface ServerSetState {
  /** The cachesim process the set lives and dies with; null for a set started by `servers up`. */
  owner: number | null
  startedAt: string
  mysql?: ServerState
  redis?: ServerState
  replica?: ServerState
  /** Whether this start had to run mariadb-install-db (no cached template yet). */
  madeTemplate: boolean
  /** From the first spawn until every server answered, in ms. */
  startMs: number
}

/** Makes the directory (or adopts an empty one) and marks it as cachesim's. */
export async function createSetDir(dir: string): Promise<void> {
  await makeDir(dir)
  const entries = await readdir(dir)
  if (entries.length > 0 && !entries.includes(MARK)) {
    throw new BadInputError(`${dir} is not empty and was not made by cachesim; choose another --dir`)
  }
  try {
    // wx: of two cachesims starting servers in one directory at once, exactly one gets it.
    writeFileSync(path.join(dir, MARK), `${process.pid}\nmade by cachesim; removed by cachesim servers down\n`, {flag: 'wx'})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    throw new ServersBusyError(dir, setMaker(dir))
  }
}

/** The pid of the cachesim that made the directory (and may still be starting its servers). */
export function setMaker(dir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dir, MARK), 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * The pid of a cachesim that is starting servers in `dir` right now (it made the directory, is
 * alive, and has not written state.json yet), or undefined.
 */
export function startingIn(dir: string): number | undefined {
  const maker = setMaker(dir)
  if (maker === undefined || maker === process.pid || readState(dir) !== undefined) return undefined
  return isAlive(maker) ? maker : undefined
}

export function isSetDir(dir: string): boolean {
  return existsSync(path.join(dir, MARK))
}

export function readState(dir: string): ServerSetState | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, STATE), 'utf8')) as ServerSetState
  } catch {
    return undefined
  }
}

export function writeState(dir: string, state: ServerSetState): void {
  const temporary = path.join(dir, `${STATE}.${process.pid}`)
  writeFileSync(temporary, JSON.stringify(state, null, 2))
  renameSync(temporary, path.join(dir, STATE))
}

/** Removes a set's directory, only when it carries cachesim's mark. */
export function removeSetDir(dir: string): void {
  if (!isSetDir(dir)) return
  rmSync(dir, {recursive: true, force: true, maxRetries: 3})
}

/** The set directories under `parent` (one per run). */
export function setDirsUnder(parent: string): string[] {
  try {
    return readdirSync(parent)
      .map((name) => path.join(parent, name))
      .filter(isSetDir)
  } catch {
    return []
  }
}
