import {type ChildProcess, spawn} from 'node:child_process'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {randomBytes} from 'node:crypto'

import {CachesimError} from '../errors/cachesim-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {findServerBinaries, INSTALL_HINT} from './binaries.js'
import {runsDir} from './paths.js'
import {markOwnServer} from '../stores/urls.js'
import {killRecorded} from './processes.js'
import {startServerSet, stopServerSet} from './server-set.js'
import {createSetDir, removeSetDir, type ServerSetState} from './set-dir.js'

export interface PrivateServerOptions {
  /** Start a MariaDB (ROW binlog on). Default true. */
  mysql?: boolean
  /** Start a Redis. Default true. */
  redis?: boolean
  /** Also start a replica of the MariaDB (see ReplicaControl). Default false. */
  replica?: boolean
  /** The database the MySQL URLs name. Default cachesim. */
  database?: string
  /** Ctrl-C: no server is spawned once it is aborted, and what was started is stopped. */
  signal?: AbortSignal
}

/** Throwaway servers that live as long as the process that started them, and not a moment longer. */
export interface PrivateServers {
  /** The set's directory: data, logs, pids. Removed by stop(). */
  readonly dir: string
  readonly mysqlUrl?: string
  readonly redisUrl?: string
  readonly replicaUrl?: string
  readonly state: ServerSetState
  /** Kills the servers and removes their data; waits until they are gone. */
  stop(): Promise<void>
  /** The same without waiting, for a Ctrl-C handler. */
  stopNow(): void
}

const REAPER = fileURLToPath(new URL('./reaper.js', import.meta.url))

/**
 * Starts private servers on free loopback ports for this process: MariaDB with a ROW binlog
 * (from a cached template, ~100-300 ms; the first time also runs mariadb-install-db), Redis, and
 * optionally a replica. A reaper process stops them and removes their data when this process
 * ends in any way, kill -9 included; stop() does the same at once.
 */
export async function startPrivateServers(options: PrivateServerOptions = {}): Promise<PrivateServers> {
  const lookup = await findServerBinaries()
  if (!lookup.found) {
    throw new CachesimError(`cannot start private servers: no ${lookup.missing.join(', ')} on this machine; ${INSTALL_HINT}`, ExitCode.storeUnavailable)
  }
  options.signal?.throwIfAborted()
  const dir = path.join(runsDir(), `${process.pid}-${randomBytes(3).toString('hex')}`)
  await createSetDir(dir)
  const reaper = spawnReaper(dir)
  let state: ServerSetState
  try {
    state = await startServerSet(lookup.binaries, dir, {
      mysql: options.mysql ?? true,
      redis: options.redis ?? true,
      replica: options.replica ?? false,
      owner: process.pid,
      database: options.database ?? 'cachesim',
      ...(options.signal ? {signal: options.signal} : {}),
    })
  } catch (error) {
    reaper.stdin?.end()
    throw error
  }
  for (const server of [state.mysql, state.redis, state.replica]) if (server) markOwnServer(server.url)
  let stopped = false
  return {
    dir,
    state,
    ...(state.mysql ? {mysqlUrl: state.mysql.url} : {}),
    ...(state.redis ? {redisUrl: state.redis.url} : {}),
    ...(state.replica ? {replicaUrl: state.replica.url} : {}),
    async stop() {
      if (stopped) return
      stopped = true
      await stopServerSet(dir)
      reaper.stdin?.end()
    },
    stopNow() {
      if (stopped) return
      stopped = true
      killRecorded(dir)
      removeSetDir(dir)
      reaper.stdin?.end()
    },
  }
}

/** The reaper reads a pipe from us; it never keeps this process alive. */
function spawnReaper(dir: string): ChildProcess {
  const reaper = spawn(process.execPath, [REAPER, dir], {detached: true, stdio: ['pipe', 'ignore', 'ignore']})
  reaper.unref()
  reaper.on('error', () => {})
  const pipe = reaper.stdin as (NodeJS.WritableStream & {unref?: () => void}) | null
  pipe?.on('error', () => {})
  pipe?.unref?.()
  return reaper
}
