import {Redis} from 'ioredis'
import type mysql from 'mysql2/promise'

import type {RedisTarget} from '../stores/urls.js'
import {LatencyRecorder, type LatencySummary} from './latency.js'
import {READ_SQL} from './user-table.js'
import type {QueryKind} from './types.js'

/** The raw round trips of the same servers from this process: what no harness can beat. */
export interface Floors {
  /** A bare ioredis GET of a cached row. */
  redisGet: LatencySummary
  /** A bare mysql2 query of the same statement the modes send (point or heavy). */
  dbRead: LatencySummary
}

/**
 * Unrecorded calls first: the first thousand or so calls of a fresh process run before V8 has
 * optimized the client's code, and measured 2-3× slower here. They also warm the modes' code.
 */
const WARM_UP = 1000
const MAX_SAMPLES = 3000
/** A heavy query may take milliseconds: the floors stay a small part of the run. */
const BUDGET_MS = 3000
/**
 * Calls of one kind back to back, as the modes make them (a run of cache hits, a run of SELECTs):
 * a server woken for every call answers slower than one kept busy. Blocks of the two kinds
 * alternate so that both see the same moments of a shared machine.
 */
const BLOCK = 250

/**
 * A bare ioredis client and a bare mysql2 connection, timing one call at a time. The GET reads a
 * key set here (what a cache-aside miss would store: the same row, the same bytes), deleted on close.
 */
export class FloorProbe {
  private constructor(
    private readonly redis: Redis,
    private readonly mysqlConnection: mysql.Connection,
    private readonly sample: {key: string; id: number; query: QueryKind},
  ) {}

  /**
   * `mysqlConnection` is the first client's own (see UserTable.connection), with the user
   * table's database chosen; it stays the caller's to close.
   */
  static async open(redis: RedisTarget, mysqlConnection: mysql.Connection, sample: {key: string; id: number; query: QueryKind; ttlMs: number}): Promise<FloorProbe> {
    const client = new Redis(redis.url, {lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false})
    client.on('error', () => {})
    const probe = new FloorProbe(client, mysqlConnection, sample)
    try {
      await client.connect()
      const [rows] = await probe.select()
      await client.set(sample.key, JSON.stringify(rows[0] ?? null), 'PX', sample.ttlMs)
    } catch (error) {
      client.disconnect()
      throw error
    }
    return probe
  }

  /** Times `count` bare GETs, one after another, into `recorder`. */
  async gets(count: number, recorder: LatencyRecorder, signal: AbortSignal): Promise<void> {
    await timeCalls(() => this.redis.get(this.sample.key), count, recorder, signal)
  }

  /** Times `count` bare SELECTs, one after another, into `recorder`. */
  async selects(count: number, recorder: LatencyRecorder, signal: AbortSignal): Promise<void> {
    await timeCalls(() => this.select(), count, recorder, signal)
  }

  /** The floors: after a warm-up, blocks of GETs and SELECTs in turn, within a time budget. */
  async measure(signal: AbortSignal): Promise<Floors> {
    const discarded = new LatencyRecorder()
    while (!signal.aborted && discarded.count < 2 * WARM_UP) {
      await this.gets(BLOCK, discarded, signal)
      await this.selects(BLOCK, discarded, signal)
    }
    const gets = new LatencyRecorder()
    const selects = new LatencyRecorder()
    const started = performance.now()
    while (!signal.aborted && gets.count < MAX_SAMPLES && performance.now() - started < BUDGET_MS) {
      await this.gets(BLOCK, gets, signal)
      await this.selects(BLOCK, selects, signal)
    }
    return {redisGet: gets.summary(), dbRead: selects.summary()}
  }

  async close(): Promise<void> {
    await this.redis.del(this.sample.key).catch(() => {})
    await this.redis.quit().catch(() => this.redis.disconnect())
  }

  destroy(): void {
    this.redis.disconnect()
  }

  private select() {
    return this.mysqlConnection.query<mysql.RowDataPacket[]>(READ_SQL[this.sample.query], [this.sample.id])
  }
}

async function timeCalls(call: () => Promise<unknown>, count: number, recorder: LatencyRecorder, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < count && !signal.aborted; i++) {
    const started = performance.now()
    await call()
    recorder.record(performance.now() - started)
  }
}
