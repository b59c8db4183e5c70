import type mysql from 'mysql2/promise'

import type {StoreTargets} from '../stores/targets.js'
import {userKey, userLockKey} from '../stores/keys.js'
import {openBenchStores} from './bench-stores.js'
import {summarize} from './latency.js'
import type {StampedeResult, StampedeRound} from './result.js'
import {epochNow, type WorkerRound} from './stampede-protocol.js'
import {stampedeNotes} from './stampede-notes.js'
import type {HotKey} from './stampede-readers.js'
import {StampedeWorkers} from './stampede-workers.js'
import type {StampedeLock, StampedeOptions} from './types.js'
import {loadUserTable} from './user-table.js'
import {checkStampedeOptions} from './validate.js'

/** Rows in the table: the hot one is user 1, the seed's; the rest give --query heavy its work. */
export const STAMPEDE_ROWS = 1000
/** Time for every worker to get the round and be waiting when the barrier opens. */
const START_MARGIN_MS = 100
/**
 * A round whose readers did not all miss was not "at once" (a busy machine descheduled a worker
 * past the barrier): it is run again, up to this many times in all, and the attempts reported.
 */
const MAX_ATTEMPTS = 3

export interface StampedeHooks {
  signal: AbortSignal
  /** Called once connections are open, with a way to drop them all at once (Ctrl-C). */
  onOpen?: (handle: {destroy(): void}) => void
  onRound?: (lock: StampedeLock) => void
}

/**
 * The hot key's stampede: N readers, spread over worker processes, each with its own MySQL and
 * Redis connection, ask for user 1 the instant its cache key is gone. One round for each
 * protection; each reports how many SELECTs reached MySQL, by our count and by the server's.
 */
export async function runStampede(options: StampedeOptions, stores: StoreTargets, hooks: StampedeHooks): Promise<StampedeResult> {
  checkStampedeOptions(options)
  const {signal} = hooks
  const opened = await openBenchStores(stores, options.readers, {flag: '--readers', value: options.readers})
  const {bench} = opened
  let loader: mysql.Connection | null = opened.loader
  const hot: HotKey = {id: 1, key: userKey(bench.keys, 1), lockKey: userLockKey(bench.keys, 1), cacheTtlMs: 60_000}
  let workers: StampedeWorkers | null = null
  hooks.onOpen?.({
    destroy: () => {
      workers?.kill()
      loader?.destroy()
    },
  })
  const rounds: StampedeRound[] = []
  let startSkewUs: number | null = null
  try {
    await loadUserTable(loader, stores.mysql.database, STAMPEDE_ROWS, signal)
    // Closed before the readers open: the room checked for them counted this connection, not the observer's.
    await loader.end()
    loader = null
    workers = StampedeWorkers.start(options.processes)
    const share = (i: number) => Math.floor(options.readers / options.processes) + (i < options.readers % options.processes ? 1 : 0)
    await workers.exchange(
      // Warm-up GETs a key no round sets (the hot key's, plus a suffix) and SELECTs another row.
      (i) => ({type: 'open', stores, readers: share(i), query: options.query, readersFlag: options.readers, warmUp: {key: `${hot.key}:warm-up`, id: 2}}),
      'opened',
      signal,
    )
    for (const lock of options.locks) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS && !signal.aborted; attempt++) {
        hooks.onRound?.(lock)
        // The hot key expires: gone, with no lock left over from an earlier round.
        await bench.observer.redis.delete([hot.key, hot.lockKey])
        const startAt = epochNow() + START_MARGIN_MS
        const reports = await workers.exchange(() => ({type: 'round', lock, hot, startAt}), 'round-done', signal)
        const round = toRound(lock, reports, startAt, attempt)
        if (round.missed < options.readers && attempt < MAX_ATTEMPTS) continue
        rounds.push(round)
        const released = reports.map((r) => r.releasedAt)
        startSkewUs = Math.max(startSkewUs ?? 0, Math.round((Math.max(...released) - Math.min(...released)) * 1000))
        break
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error
  } finally {
    if (signal.aborted) workers?.kill()
    await workers?.close()
    await bench.observer.redis.delete([hot.key, hot.lockKey]).catch(() => {})
    await Promise.allSettled([loader?.end(), bench.close()])
  }
  return {
    options,
    key: hot.key,
    interrupted: signal.aborted,
    startSkewUs,
    rounds,
    notes: stampedeNotes(options, rounds),
  }
}

function toRound(lock: StampedeLock, reports: readonly WorkerRound[], startAt: number, attempts: number): StampedeRound {
  const server = reports.map((r) => r.serverSelects)
  return {
    lock,
    attempts,
    missed: reports.reduce((n, r) => n + r.missed, 0),
    dbQueries: reports.reduce((n, r) => n + r.selects, 0),
    serverSelects: server.every((s) => s !== null) ? server.reduce((n, s) => n! + s!, 0) : null,
    redisCommands: reports.reduce((n, r) => n + r.commands, 0),
    dbQueriesPerProcess: reports.map((r) => r.selects),
    latencyUs: summarize(reports.flatMap((r) => r.latenciesMs)),
    totalMs: Math.round((Math.max(...reports.map((r) => r.endedAt)) - startAt) * 100) / 100,
    failedReaders: reports.reduce((n, r) => n + r.failed, 0),
  }
}
