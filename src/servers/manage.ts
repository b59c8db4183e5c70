import {PrivateServerError} from '../errors/private-server-error.js'
import {ServersBusyError} from '../errors/servers-busy-error.js'
import {findServerBinaries, INSTALL_HINT} from './binaries.js'
import {defaultServersDir, runsDir} from './paths.js'
import {isAlive} from './processes.js'
import {addReplica, inspectServerSet, startServerSet, stopServerSet} from './server-set.js'
import {createSetDir, isSetDir, type ServerSetState, setDirsUnder, startingIn} from './set-dir.js'
import {stopStrayServers, type StrayServer} from './strays.js'

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
  /** Servers whose set directory was gone (removed by hand), stopped on the way. */
  strays: StrayServer[]
}

export interface ServersDownResult {
  dir: string
  /** The servers that were still running and were stopped. */
  stopped: string[]
  /** Whether a set directory was there and is now gone. */
  removed: boolean
  cleaned: string[]
  strays: StrayServer[]
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
  strays: StrayServer[]
}

/** `cachesim servers up`: starts the set in `dir`, or reports the one already running there. */
export async function serversUp(dir: string, options: {replica: boolean; signal?: AbortSignal}): Promise<ServersUpResult> {
  const {cleaned, strays} = await cleanUp(dir)
  if (isSetDir(dir)) {
    const {state, running} = inspectServerSet(dir)
    const all = state && ['mysql', 'redis'].every((name) => running.includes(name)) && (!state.replica || running.includes('replica'))
    if (state && all) {
      const lookup = await findServerBinaries()
      const next = options.replica && !state.replica && lookup.found ? await addReplica(lookup.binaries, dir, state, 'cachesim') : state
      return {dir, alreadyRunning: true, servers: reports(next, inspectServerSet(dir).running), startMs: 0, madeTemplate: false, cleaned, strays}
    }
    const starting = startingIn(dir)
    if (starting !== undefined) throw new ServersBusyError(dir, starting)
    // Left over from a set that died (a reboot, a kill): start afresh.
    await stopServerSet(dir)
  }
  const lookup = await findServerBinaries()
  if (!lookup.found) throw new PrivateServerError('servers', `no ${lookup.missing.join(', ')} on this machine; ${INSTALL_HINT}`)
  await createSetDir(dir)
  const state = await startServerSet(lookup.binaries, dir, {
    mysql: true,
    redis: true,
    replica: options.replica,
    owner: null,
    database: 'cachesim',
    ...(options.signal ? {signal: options.signal} : {}),
  })
  return {
    dir,
    alreadyRunning: false,
    servers: reports(state, ['mysql', 'redis', 'replica']),
    startMs: Math.round(state.startMs),
    madeTemplate: state.madeTemplate,
    cleaned,
    strays,
  }
}

/** `cachesim servers down`: stops exactly what `up` recorded in `dir` and removes the directory. */
export async function serversDown(dir: string): Promise<ServersDownResult> {
  const {cleaned, strays} = await cleanUp(dir)
  if (!isSetDir(dir)) return {dir, stopped: [], removed: false, cleaned, strays}
  // Stopping servers that are still being started races their starter: it waits until they answer.
  const starting = startingIn(dir)
  if (starting !== undefined) throw new ServersBusyError(dir, starting)
  const {stopped} = await stopServerSet(dir)
  return {dir, stopped, removed: !isSetDir(dir), cleaned, strays}
}

/** `cachesim servers status`: what runs in `dir` and for running commands; stale sets are cleaned up. */
export async function serversStatus(dir: string): Promise<ServersStatusResult> {
  const {cleaned, strays} = await cleanUp(dir)
  const {state, running} = inspectServerSet(dir)
  const runs = setDirsUnder(runsDir()).map((runDir) => {
    const inspected = inspectServerSet(runDir)
    return {dir: runDir, owner: inspected.state?.owner ?? null, servers: inspected.state ? reports(inspected.state, inspected.running) : []}
  })
  return {dir, servers: state ? reports(state, running) : [], runs, cleaned, strays}
}

/**
 * What up, down and status do first: stop what nothing else will. Sets of runs whose cachesim
 * died, and servers whose set directory is gone (`dir`, the default servers/ and the runs').
 */
async function cleanUp(dir: string): Promise<{cleaned: string[]; strays: StrayServer[]}> {
  const cleaned = await cleanStaleRuns()
  const strays = await stopStrayServers({sets: [dir, defaultServersDir()], parents: [runsDir()]})
  return {cleaned, strays}
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
