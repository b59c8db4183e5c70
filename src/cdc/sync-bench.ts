import mysql from 'mysql2/promise'

import type {StoreTargets} from '../stores/targets.js'
import {binlogChannel, syncPositionKey} from '../stores/keys.js'
import {MysqlStore, openMysqlConnection, TABLE} from '../stores/mysql.js'
import {RedisStore} from '../stores/redis.js'
import {storeFailure} from '../stores/store-failure.js'
import {delay} from '../util/delay.js'
import {type Percentiles, percentiles} from '../util/percentiles.js'
import {binlogEnd} from './binlog-check.js'
import type {SyncMode} from './cache-applier.js'
import type {RowEvent} from './row-event.js'
import {runSync} from './run-sync.js'

export interface SyncBenchOptions {
  stores: StoreTargets
  mode: SyncMode
  /** Row changes written before sync starts, then drained as fast as sync can (throughput). */
  backlog: number
  /** Updates per second while lag is measured, and for how long. */
  rate: number
  seconds: number
  rounds: number
  /** Rows the changes spread over. */
  rows: number
  signal: AbortSignal
  onRound?: (round: SyncBenchRound, index: number) => void
}

export interface SyncBenchRound {
  /** Row changes applied per second while draining the backlog. */
  eventsPerSecond: number
  backlog: number
  drainMs: number
  /** Updates actually sent in the paced phase, and at what rate. */
  updates: number
  achievedRate: number
  /** From the moment COMMIT returned to the client until the change reached the sync process (can be negative: the binlog is sent before the client has read the OK). */
  commitToNodeMs: Percentiles
  /** From the moment COMMIT returned until Redis confirmed the cache write. */
  commitToCacheMs: Percentiles
}

/**
 * The figures of `cachesim sync bench`: throughput (a backlog of single-row updates drained from
 * the binlog) and lag (commit → cache at a steady rate of updates), measured in one process
 * with the writer, so that both ends read the same clock. Sync does all it does in a real run
 * (set or invalidate, position, PUBLISH on the prefix's channel). Works only in cachesim's table.
 */
export async function benchSync(options: SyncBenchOptions): Promise<SyncBenchRound[]> {
  try {
    return await bench(options)
  } catch (error) {
    throw storeFailure(options.stores, error)
  }
}

async function bench(options: SyncBenchOptions): Promise<SyncBenchRound[]> {
  const store = await MysqlStore.connect(options.stores.mysql, {database: false})
  await store.ensureSchema()
  await store.close()
  const rounds: SyncBenchRound[] = []
  for (let i = 0; i < options.rounds; i++) {
    const round = {...(await throughput(options)), ...(await lag(options))}
    rounds.push(round)
    options.onRound?.(round, i)
  }
  return rounds
}

async function throughput(options: SyncBenchOptions): Promise<Pick<SyncBenchRound, 'eventsPerSecond' | 'backlog' | 'drainMs'>> {
  const {stores} = options
  const writers = await Promise.all([1, 2, 3, 4].map(() => connect(stores)))
  try {
    await seedRows(writers[0]!, options.rows)
    const end = await binlogEnd(writers[0]!)
    // The backlog starts here: a resumed sync reads from exactly this position.
    const redis = await RedisStore.openClient(stores.redis)
    await redis.set(syncPositionKey({prefix: stores.prefix}, [TABLE]), JSON.stringify({...end, version: ''}))
    await redis.quit()
    let next = 0
    await Promise.all(
      writers.map(async (writer) => {
        while (next < options.backlog) {
          const seq = next++
          await writer.query(`UPDATE ${TABLE} SET value = ?, version = version + 1 WHERE id = ?`, [seq, 1 + (seq % options.rows)])
        }
      }),
    )
  } finally {
    await Promise.all(writers.map((w) => w.end()))
  }
  const stop = new AbortController()
  const stopAll = () => stop.abort()
  options.signal.addEventListener('abort', stopAll, {once: true})
  let started = 0
  let drained = 0
  let applied = 0
  await runSync({
    stores,
    mode: options.mode,
    channel: binlogChannel({prefix: stores.prefix}),
    start: 'resume',
    signal: stop.signal,
    onStreaming: () => (started = performance.now()),
    onApplied: (events, at) => {
      applied += events.length
      if (applied >= options.backlog && drained === 0) {
        drained = at
        stop.abort()
      }
    },
  })
  options.signal.removeEventListener('abort', stopAll)
  options.signal.throwIfAborted()
  const drainMs = drained - started
  return {eventsPerSecond: (options.backlog * 1000) / drainMs, backlog: options.backlog, drainMs}
}

async function lag(options: SyncBenchOptions): Promise<Omit<SyncBenchRound, 'eventsPerSecond' | 'backlog' | 'drainMs'>> {
  const {stores} = options
  const writer = await connect(stores)
  const committed = new Map<number, number>()
  const toNode: number[] = []
  const toCache: number[] = []
  const onApplied = (events: readonly RowEvent[], at: number) => {
    for (const event of events) {
      const sentAt = committed.get(Number(event.after?.value))
      if (sentAt === undefined) continue
      toNode.push(event.receivedAt - sentAt)
      toCache.push(at - sentAt)
    }
  }
  const stop = new AbortController()
  const stopAll = () => stop.abort()
  options.signal.addEventListener('abort', stopAll, {once: true})
  let streaming!: () => void
  const ready = new Promise<void>((resolve) => (streaming = resolve))
  const sync = runSync({stores, mode: options.mode, channel: binlogChannel({prefix: stores.prefix}), start: 'now', signal: stop.signal, onStreaming: () => streaming(), onApplied})
  let updates = 0
  let elapsed = 0
  try {
    await Promise.race([ready, sync])
    const total = options.rate * options.seconds
    const start = performance.now()
    // Values start far above the throughput phase's, so each update's value names it.
    for (let seq = 1_000_000_000; updates < total && !options.signal.aborted; seq++) {
      const due = start + (updates * 1000) / options.rate
      const wait = due - performance.now()
      if (wait > 1) await delay(Math.floor(wait))
      await writer.query(`UPDATE ${TABLE} SET value = ?, version = version + 1 WHERE id = ?`, [seq, 1 + (seq % options.rows)])
      committed.set(seq, performance.now())
      updates += 1
    }
    elapsed = performance.now() - start
    // Let the last changes through before stopping.
    const deadline = Date.now() + 5000
    while (toCache.length < updates && Date.now() < deadline) await delay(5)
  } finally {
    stop.abort()
    await sync
    await writer.end()
    options.signal.removeEventListener('abort', stopAll)
  }
  options.signal.throwIfAborted()
  return {updates, achievedRate: (updates * 1000) / elapsed, commitToNodeMs: percentiles(toNode), commitToCacheMs: percentiles(toCache)}
}

async function seedRows(connection: mysql.Connection, rows: number): Promise<void> {
  const values = Array.from({length: rows}, (_, i) => [i + 1, 0, 0])
  await connection.query(`INSERT INTO ${TABLE} (id, value, version) VALUES ? ON DUPLICATE KEY UPDATE value = 0`, [values])
}

async function connect(stores: StoreTargets): Promise<mysql.Connection> {
  return openMysqlConnection(stores.mysql)
}
