import type {Redis} from 'ioredis'
import type mysql from 'mysql2/promise'

import {BadInputError} from '../errors/bad-input-error.js'
import {BinlogOffError} from '../errors/binlog-off-error.js'
import {StoreError} from '../errors/store-error.js'
import {LOST_CONNECTION, StoreUnavailableError} from '../errors/store-unavailable-error.js'
import type {StoreTargets} from '../stores/targets.js'
import {syncAppliedKey, syncPositionKey} from '../stores/keys.js'
import {MysqlStore, openMysqlConnection, TABLE} from '../stores/mysql.js'
import {RedisStore} from '../stores/redis.js'
import {storeFailure} from '../stores/store-failure.js'
import {binlogProblem} from './binlog-check.js'
import {BinlogReader} from './binlog-reader.js'
import {CacheApplier, type StoredPosition, type SyncMode} from './cache-applier.js'
import type {BinlogPosition, RowEvent} from './row-event.js'
import {loadSnapshot, readSnapshot} from './snapshot.js'
import {SyncStats} from './sync-stats.js'
import {primaryKeys, validateTableNames} from './source-tables.js'
import {tableCodec} from './table-codec.js'

export interface SyncOptions {
  stores: StoreTargets
  /** Tables of cachesim's database; default cachesim_items. */
  tables?: readonly string[]
  mode: SyncMode
  /** Pub/sub channel for every change ('' for none). */
  channel: string
  /** now: from the current end of the binlog; from-start: the oldest binlog kept; resume: the stored position. */
  start: 'now' | 'from-start' | 'resume'
  /** Load the tables into the cache first, then stream from the snapshot's position. */
  snapshot?: boolean
  /** Ends the sync (it then resolves with its figures). */
  signal: AbortSignal
  /** Called every `progressMs` (default 500) and once at the end. */
  onProgress?: (stats: SyncStats) => void
  progressMs?: number
  /** Called once reading has started, with where it started. */
  onStreaming?: (from: BinlogPosition | 'now', snapshotRows: number) => void
  /** Called after each batch Redis has confirmed, with the time it did (performance.now()). */
  onApplied?: (events: readonly RowEvent[], appliedAt: number) => void
}

/** Changes per pipeline at most; more wait for the next round trip. */
const BATCH = 2000

/**
 * `cachesim sync`: reads row changes of cachesim's tables from the binlog, applies each to the
 * cache (by mode), stores the position after it and publishes it, until the signal aborts.
 * Restarted with start: resume, it carries on from the stored position: at least once, and a
 * replayed change never moves a key backwards in set mode.
 */
export async function runSync(options: SyncOptions): Promise<SyncStats> {
  try {
    return await sync(options)
  } catch (error) {
    // A server that goes away or says no, at the start or later, is exit 3, never a crash.
    throw storeFailure(options.stores, error)
  }
}

async function sync(options: SyncOptions): Promise<SyncStats> {
  const {stores, mode, signal} = options
  const tables = [...new Set(options.tables && options.tables.length > 0 ? validateTableNames(options.tables) : [TABLE])]
  if (options.snapshot && options.start !== 'now') throw new BadInputError('--snapshot starts from the snapshot: it goes with neither --from-start nor --resume')
  const problem = await binlogProblem(stores.mysql)
  if (problem) throw new BinlogOffError(stores.mysql.display, problem)
  if (tables.includes(TABLE)) {
    const store = await MysqlStore.connect(stores.mysql, {database: false})
    try {
      await store.ensureSchema()
    } finally {
      await store.close()
    }
  }

  const keys = {prefix: stores.prefix}
  const positionKey = syncPositionKey(keys, tables)
  const redis = await RedisStore.openClient(stores.redis)
  let connection: mysql.Connection
  try {
    connection = await openMysqlConnection(stores.mysql, {database: false})
  } catch (error) {
    redis.disconnect()
    throw error
  }
  // Redis gone while no change comes (ioredis does not reconnect here): say so now, not at the next change.
  const redisGone = new Promise<never>((_, reject) => redis.once('end', () => reject(new StoreUnavailableError('Redis', stores.redis.display, LOST_CONNECTION))))
  redisGone.catch(() => {})
  let reader: BinlogReader | undefined
  const stats = new SyncStats()
  let timer: NodeJS.Timeout | undefined
  try {
    const columns = await primaryKeys(connection, stores.mysql.database, tables)
    const codecs = new Map(tables.map((table) => [table, tableCodec(keys, table, columns.get(table)!)]))
    const applier = new CacheApplier(redis, {mode, channel: options.channel, positionKey, appliedKey: (table) => syncAppliedKey(keys, table), codecs})

    let from: BinlogPosition | 'now' | 'start' = options.start === 'from-start' ? 'start' : 'now'
    if (options.start === 'resume') {
      from = await storedPosition(redis, positionKey)
    } else if (mode === 'set') {
      // A fresh start forgets the versions of an earlier sync (perhaps of another server).
      await redis.del(...tables.map((table) => syncAppliedKey(keys, table)))
    }
    let snapshotRows = 0
    if (options.snapshot) {
      const snapshot = await readSnapshot(connection, stores.mysql.database, tables)
      snapshotRows = await loadSnapshot(redis, applier, codecs, snapshot)
      from = snapshot.position
      await redis.set(positionKey, JSON.stringify({...snapshot.position, version: ''}))
    }
    reader = await BinlogReader.open({mysql: stores.mysql, tables, keys, from})
    // Stored at once, so that a sync killed before its first change can still --resume.
    if (!options.snapshot && options.start !== 'resume') await redis.set(positionKey, JSON.stringify({...reader.position, version: ''}))
    options.onStreaming?.(from === 'start' ? reader.position : from, snapshotRows)
    timer = setInterval(() => options.onProgress?.(stats), options.progressMs ?? 500)
    stats.position = reader.position
    const pumping = pump(reader, applier, stats, signal, options.onApplied)
    // Once Redis is gone, the pump left waiting fails as the reader closes: that is no news.
    pumping.catch(() => {})
    await Promise.race([pumping, redisGone])
    return stats
  } finally {
    if (timer) clearInterval(timer)
    options.onProgress?.(stats)
    await reader?.close()
    await connection.end().catch(() => connection.destroy())
    await redis.quit().catch(() => redis.disconnect())
  }
}

/** Takes what the reader has queued, applies it as one pipeline, and again, until aborted. */
async function pump(
  reader: BinlogReader,
  applier: CacheApplier,
  stats: SyncStats,
  signal: AbortSignal,
  onApplied: SyncOptions['onApplied'],
): Promise<void> {
  for (;;) {
    try {
      await reader.waitForEvent(signal)
    } catch (error) {
      if (signal.aborted) return
      throw error
    }
    const batch = reader.takeMany(BATCH)
    let written: number
    try {
      written = await applier.apply(batch)
    } catch (error) {
      throw new StoreError('Redis', `applying changes failed: ${(error as Error).message}`, {cause: error})
    }
    const appliedAt = performance.now()
    stats.record(batch, written, appliedAt)
    stats.position = reader.position
    onApplied?.(batch, appliedAt)
  }
}

async function storedPosition(redis: Redis, key: string): Promise<BinlogPosition> {
  const stored = await redis.get(key)
  if (stored === null) throw new BadInputError(`--resume: no position stored at ${key}; run sync once without --resume`)
  let position: Partial<StoredPosition>
  try {
    position = (JSON.parse(stored) ?? {}) as Partial<StoredPosition>
  } catch {
    position = {}
  }
  if (typeof position.file !== 'string' || typeof position.pos !== 'number') {
    throw new BadInputError(`--resume: ${key} holds no position that sync stored; run sync once without --resume`)
  }
  return {file: position.file, pos: position.pos}
}
