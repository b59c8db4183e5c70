import type {StepRecord, Value} from '../history/types.js'
import {storeOf} from '../history/step-name.js'
import type {RunResult} from '../run/result.js'
import {itemKey, lockKey, rowKeys, type KeySpace} from '../stores/keys.js'
import {MysqlStore} from '../stores/mysql.js'
import {RedisStore} from '../stores/redis.js'
import type {StoreTargets} from '../stores/targets.js'

/** The server a step's store is on; a local lock, a wait or the binlog reader takes no round trip. */
type Server = 'mysql' | 'redis' | null

/**
 * The raw round-trip floor of explored runs: one round trip per step to the server the step went
 * to, one after another on one connection each, with the same reset before and the same reads
 * after. A step is replayed from what it recorded, never from what a strategy calls it: a step that
 * changed the row or the key (its effect) writes what it left there, any other step on that server
 * reads. A Lua call or a MULTI is replayed as one plain command, so the floor, if anything, is
 * a little low. What cachesim adds on top of this is its framework cost.
 */
export class RawFloor {
  private constructor(
    private readonly mysql: MysqlStore,
    private readonly redis: RedisStore,
    private readonly keys: KeySpace,
  ) {}

  static async open(options: StoreTargets): Promise<RawFloor> {
    const mysql = await MysqlStore.connect(options.mysql)
    const redis = await RedisStore.connect(options.redis).catch(async (error: unknown) => {
      await mysql.close()
      throw error
    })
    return new RawFloor(mysql, redis, {prefix: options.prefix})
  }

  /** Milliseconds the raw calls of these runs took, in all. */
  async time(runs: readonly RunResult[], lock: 'local' | 'redis', rowId = 1): Promise<number> {
    const key = itemKey(this.keys, rowId)
    const lockName = lockKey(this.keys, rowId)
    const serverOf = (step: StepRecord): Server => {
      const store = storeOf(step.step)
      if (store === 'db') return 'mysql'
      if (store === 'cache' || store === 'stream' || store === 'redis') return 'redis'
      if (store === 'lock' && lock === 'redis') return 'redis'
      return null
    }
    const started = performance.now()
    for (const run of runs) {
      const reset = new Map(rowKeys(this.keys, rowId).map((k): [string, string | null] => [k, null]))
      reset.set(key, raw(run.initial.cache))
      await Promise.all([this.mysql.reset(rowId, asNumber(run.initial.db)), this.redis.reset(reset)])
      for (const step of run.steps) {
        const server = serverOf(step)
        if (server === 'mysql') {
          const written = step.effect?.db
          if (written === undefined) await this.mysql.select(rowId)
          else await this.mysql.update(rowId, asNumber(written) ?? 0)
        } else if (server === 'redis') {
          const written = step.effect?.cache
          const at = storeOf(step.step) === 'lock' ? lockName : key
          if (written === undefined) await this.redis.get(at)
          else if (written === null) await this.redis.del(at)
          else await this.redis.set(at, raw(written)!)
        }
      }
      await Promise.all([this.mysql.snapshot(rowId), this.redis.get(key)])
    }
    return performance.now() - started
  }

  async close(): Promise<void> {
    await Promise.all([this.mysql.close(), this.redis.close()])
  }
}

/** A value as the cache keeps it: a number as its digits, anything else as JSON; null is no key. */
function raw(value: Value): string | null {
  if (value === null) return null
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function asNumber(value: Value): number | null {
  return typeof value === 'number' ? value : null
}
