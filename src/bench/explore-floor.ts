import {randomUUID} from 'node:crypto'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import type {RunResult} from '../run/result.js'
import {itemKey, lockKey, streamKey} from '../stores/keys.js'
import {TABLE} from '../stores/mysql.js'
import type {WorkbenchOptions} from '../run/workbench.js'

/** A Lua call as cheap as a lease fill or a set-if-newer: a GET and a SET of one key. */
const ROUND_TRIP_SCRIPT = `local v = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1]) return 1`

/**
 * The raw round-trip floor of explored runs: the same store operations, sent with plain mysql2
 * and ioredis calls one after another on one connection each, with the same reset before and
 * the same reads after. What cachesim adds on top of this is its framework cost.
 */
export class RawFloor {
  private constructor(
    private readonly db: mysql.Connection,
    private readonly redis: Redis,
    private readonly options: WorkbenchOptions,
  ) {}

  static async open(options: WorkbenchOptions): Promise<RawFloor> {
    const {mysql: target} = options
    const db = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      database: target.database,
      ...(target.password === undefined ? {} : {password: target.password}),
      trace: false,
    })
    const redis = new Redis(options.redis.url, {maxRetriesPerRequest: 0, retryStrategy: () => null})
    return new RawFloor(db, redis, options)
  }

  /** Milliseconds the raw calls of these runs took, in all. */
  async time(runs: readonly RunResult[], lock: 'local' | 'redis', rowId = 1): Promise<number> {
    const key = itemKey({prefix: this.options.prefix}, rowId)
    const lockName = lockKey({prefix: this.options.prefix}, rowId)
    const stream = streamKey({prefix: this.options.prefix}, rowId)
    const started = performance.now()
    for (const run of runs) {
      const initialCache = run.initial.cache === null ? null : String(run.initial.cache)
      await Promise.all([
        this.db.query(`INSERT INTO ${TABLE} (id, value, version) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE value = VALUES(value), version = 0`, [rowId, run.initial.db]),
        initialCache === null ? this.redis.multi().del(key).del(lockName).exec() : this.redis.multi().set(key, initialCache).del(lockName).exec(),
      ])
      for (const step of run.steps) {
        const value = typeof step.value === 'number' ? step.value : 0
        switch (step.step) {
          case 'cache.get':
            await this.redis.get(key)
            break
          case 'cache.set':
            await this.redis.set(key, String(value))
            break
          case 'cache.del':
            await this.redis.del(key)
            break
          case 'db.select':
            await this.db.query(`SELECT value FROM ${TABLE} WHERE id = ?`, [rowId])
            break
          case 'db.update':
            await this.db.query(`UPDATE ${TABLE} SET value = ?, version = version + 1 WHERE id = ?`, [value, rowId])
            break
          case 'db.begin':
            await this.db.query('BEGIN')
            break
          case 'db.commit':
            await this.db.query('COMMIT')
            break
          case 'db.rollback':
            await this.db.query('ROLLBACK')
            break
          case 'lock.acquire':
            if (lock === 'redis') await this.redis.set(lockName, randomUUID(), 'PX', 5000, 'NX')
            break
          case 'lock.release':
            if (lock === 'redis') await this.redis.del(lockName)
            break
          // The strategies' atomic steps are one Lua call or one MULTI each: the same round trip.
          case 'cache.fill':
          case 'cache.tombstone':
            await this.redis.eval(ROUND_TRIP_SCRIPT, 1, key, String(value))
            break
          case 'cache.write':
            await this.redis.multi().set(key, String(value)).xadd(stream, '*', 'value', String(value)).exec()
            break
          case 'stream.read':
            await this.redis.xrange(stream, '-', '+', 'COUNT', 1)
            break
          case 'stream.ack':
            await this.redis.del(stream)
            break
          case 'cache.lose':
            await this.redis.del(key, lockName, stream)
            break
          default:
            // wait and pause take no round trip
            break
        }
      }
      await Promise.all([this.db.query(`SELECT value, version FROM ${TABLE} WHERE id = ?`, [rowId]), this.redis.get(key)])
    }
    return performance.now() - started
  }

  async close(): Promise<void> {
    await this.db.end().catch(() => this.db.destroy())
    await this.redis.quit().catch(() => this.redis.disconnect())
  }
}
