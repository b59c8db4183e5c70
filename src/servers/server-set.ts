import path from 'node:path'

import {PrivateServerError} from '../errors/private-server-error.js'
import type {ServerBinaries} from './binaries.js'
import {claimDataDir, refillSpares} from './data-dir-spares.js'
import {startMariadb} from './mariadb-process.js'
import {mariadbTemplate} from './mariadb-template.js'
import {isRunning, killRecorded, recordedProcesses, waitGone} from './processes.js'
import {startRedis} from './redis-process.js'
import {startReplica} from './replica.js'
import {readState, removeSetDir, type ServerSetState, type ServerState, writeState} from './set-dir.js'

export interface ServerSetOptions {
  mysql: boolean
  redis: boolean
  /** A replica of the private MariaDB (needs `mysql`). */
  replica: boolean
  /** The process the set lives and dies with, or null (`servers up`). */
  owner: number | null
  /** The database named in the MySQL URLs handed out. */
  database: string
  /**
   * Ctrl-C: no server is spawned once it is aborted, and what was started is stopped. Servers run
   * in a session of their own (Ctrl-C does not reach them), so a start left to finish would leave
   * them running with no state.json that status, down or the next up could find.
   */
  signal?: AbortSignal
}

/**
 * Starts a set of private servers in `dir` (already created with createSetDir): MariaDB with a
 * ROW binlog, Redis, optionally a replica, in parallel where they are independent. On any
 * failure everything already started is stopped and the directory removed.
 */
export async function startServerSet(binaries: ServerBinaries, dir: string, options: ServerSetOptions): Promise<ServerSetState> {
  const started = performance.now()
  let madeTemplate = false
  const state: ServerSetState = {owner: options.owner, startedAt: new Date().toISOString(), madeTemplate, startMs: 0}
  try {
    const goOn = () => options.signal?.throwIfAborted()
    const startMysql = async () => {
      const template = await mariadbTemplate(binaries)
      madeTemplate = template.created
      goOn()
      await claimDataDir(template.dir, path.join(dir, 'mysql'))
      goOn()
      const primary = await startMariadb({binaries, setDir: dir, name: 'mysql', serverId: 1, binlog: true})
      state.mysql = served(primary, `mysql://root@127.0.0.1:${primary.port}/${options.database}`)
      if (options.replica) {
        goOn()
        const replica = await startReplica(binaries, template.dir, dir, primary.port)
        state.replica = served(replica, `mysql://root@127.0.0.1:${replica.port}/${options.database}`)
      }
    }
    const startCache = async () => {
      goOn()
      const redis = await startRedis(binaries.redisServer, dir)
      state.redis = served(redis, `redis://127.0.0.1:${redis.port}/0`)
    }
    const results = await Promise.allSettled([options.mysql ? startMysql() : undefined, options.redis ? startCache() : undefined])
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
    goOn()
  } catch (error) {
    await stopServerSet(dir)
    throw error
  }
  state.madeTemplate = madeTemplate
  state.startMs = performance.now() - started
  writeState(dir, state)
  // Best effort: without spares the next start copies the template itself.
  if (options.mysql) await refillSpares((await mariadbTemplate(binaries)).dir).catch(() => {})
  return state
}

/** Adds a replica to a running set whose MariaDB has its binlog (every private one has). */
export async function addReplica(binaries: ServerBinaries, dir: string, state: ServerSetState, database: string): Promise<ServerSetState> {
  if (!state.mysql) throw new PrivateServerError('MariaDB replica', 'the set has no private MariaDB to replicate')
  const template = await mariadbTemplate(binaries)
  const replica = await startReplica(binaries, template.dir, dir, state.mysql.port)
  const next = {...state, replica: served(replica, `mysql://root@127.0.0.1:${replica.port}/${database}`)}
  writeState(dir, next)
  return next
}

/** Stops every process the set recorded (only those still ours) and removes its directory. */
export async function stopServerSet(dir: string): Promise<{stopped: string[]}> {
  const killed = killRecorded(dir)
  await waitGone(killed)
  removeSetDir(dir)
  return {stopped: killed.map((p) => p.name)}
}

/** What still runs of a set: its state, and which of its recorded servers answer to their pid. */
export function inspectServerSet(dir: string): {state: ServerSetState | undefined; running: string[]} {
  return {state: readState(dir), running: recordedProcesses(dir).filter(isRunning).map((p) => p.name)}
}

function served(process: {pid: number; port: number; readyMs: number}, url: string): ServerState {
  return {pid: process.pid, port: process.port, url, readyMs: Math.round(process.readyMs)}
}
