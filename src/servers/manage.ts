import {PrivateServerError} from '../errors/private-server-error.js'
import {findServerBinaries, INSTALL_HINT} from './binaries.js'
import {runsDir} from './paths.js'
import {isAlive} from './processes.js'
import {addReplica, inspectServerSet, startServerSet, stopServerSet} from './server-set.js'
import {createSetDir, isSetDir, type ServerSetState, setDirsUnder, setMaker} from './set-dir.js'

/** One server of a set, as `servers up` and `servers status` report it. */
export interface ServerReport {
  name: 'mysql' | 'redis' | 'replica'
  url: string
  pid: number
  running: boolean
}

export interface ServersUpResult {
  dir: string
  /** The set was already up; nothing new was started (but a replica, when asked for). */
  alreadyRunning: boolean
  servers: ServerReport[]
  /** From the first spawn until every server answered, in ms (0 when already running). */
  startMs: number
  /** This start ran mariadb-install-db: no template was cached yet. */
  madeTemplate: boolean
  /** Sets of runs whose cachesim died, stopped and removed on the way. */
  cleaned: string[]
}

export interface ServersDownResult {
  dir: string
  /** The servers that were still running and were stopped. */
  stopped: string[]
  /** Whether a set directory was there and is now gone. */
  removed: boolean
  cleaned: string[]
}

export interface RunSetReport {
  dir: string
  owner: number | null
  servers: ServerReport[]
}

export interface ServersStatusResult {
  dir: string
  servers: ServerReport[]
  /** Sets started by running cachesim commands (--servers private|auto). */
  runs: RunSetReport[]
  cleaned: string[]
}

/** `cachesim servers up`: starts the set in `dir`, or reports the one already running there. */
export async function serversUp(dir: string, options: {replica: boolean}): Promise<ServersUpResult> {
  const cleaned = await cleanStaleRuns()
  if (isSetDir(dir)) {
    const {state, running} = inspectServerSet(dir)
    const all = state && ['mysql', 'redis'].every((name) => running.includes(name)) && (!state.replica || running.includes('replica'))
    if (state && all) {
      const lookup = await findServerBinaries()
      const next = options.replica && !state.replica && lookup.found ? await addReplica(lookup.binaries, dir, state, 'cachesim') : state
      return {dir, alreadyRunning: true, servers: reports(next, inspectServerSet(dir).running), startMs: 0, madeTemplate: false, cleaned}
    }
    const maker = setMaker(dir)
    if (!state && maker !== undefined && maker !== process.pid && isAlive(maker)) {
      throw new PrivateServerError('servers', `another cachesim (pid ${maker}) is starting servers in ${dir} right now`)
    }
    // Left over from a set that died (a reboot, a kill): start afresh.
    await stopServerSet(dir)
  }
  const lookup = await findServerBinaries()
  if (!lookup.found) throw new PrivateServerError('servers', `no ${lookup.missing.join(', ')} on this machine; ${INSTALL_HINT}`)
  await createSetDir(dir)
  const state = await startServerSet(lookup.binaries, dir, {mysql: true, redis: true, replica: options.replica, owner: null, database: 'cachesim'})
  return {dir, alreadyRunning: false, servers: reports(state, ['mysql', 'redis', 'replica']), startMs: Math.round(state.startMs), madeTemplate: state.madeTemplate, cleaned}
}

/** `cachesim servers down`: stops exactly what `up` recorded in `dir` and removes the directory. */
export async function serversDown(dir: string): Promise<ServersDownResult> {
  const cleaned = await cleanStaleRuns()
  if (!isSetDir(dir)) return {dir, stopped: [], removed: false, cleaned}
  const {stopped} = await stopServerSet(dir)
  return {dir, stopped, removed: !isSetDir(dir), cleaned}
}

/** `cachesim servers status`: what runs in `dir` and for running commands; stale sets are cleaned up. */
export async function serversStatus(dir: string): Promise<ServersStatusResult> {
  const cleaned = await cleanStaleRuns()
  const {state, running} = inspectServerSet(dir)
  const runs = setDirsUnder(runsDir()).map((runDir) => {
    const inspected = inspectServerSet(runDir)
    return {dir: runDir, owner: inspected.state?.owner ?? null, servers: inspected.state ? reports(inspected.state, inspected.running) : []}
  })
  return {dir, servers: state ? reports(state, running) : [], runs, cleaned}
}

/**
 * Stops and removes the sets of runs whose cachesim is gone. The reaper does this the moment a
 * run dies; this is the second line, for when the reaper was killed too (kill -9 of a group).
 */
export async function cleanStaleRuns(): Promise<string[]> {
  const cleaned: string[] = []
  for (const dir of setDirsUnder(runsDir())) {
    const owner = inspectServerSet(dir).state?.owner ?? ownerFromName(dir)
    if (owner !== null && isAlive(owner)) continue
    await stopServerSet(dir)
    cleaned.push(dir)
  }
  return cleaned
}

/** A run's directory is named PID-RANDOM; its state.json is written only once its servers answer. */
function ownerFromName(dir: string): number | null {
  const pid = Number(/(\d+)-[0-9a-f]+$/.exec(dir)?.[1])
  return Number.isInteger(pid) && pid > 0 ? pid : null
}

function reports(state: ServerSetState, running: readonly string[]): ServerReport[] {
  return (['mysql', 'redis', 'replica'] as const).flatMap((name) => {
    const server = state[name]
    return server ? [{name, url: server.url, pid: server.pid, running: running.includes(name)}] : []
  })
}
