import {CachesimError} from '../errors/cachesim-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {StoreUnavailableError} from '../errors/store-unavailable-error.js'
import {MysqlStore} from './mysql.js'
import {RedisStore} from './redis.js'
import type {StoreTargets} from './targets.js'

/** One connection to each store: an actor's own, or the observer's that resets and reads them. */
export interface StorePair {
  mysql: MysqlStore
  redis: RedisStore
}

/**
 * Connects to both stores at once; when either fails, the other is dropped and the error names
 * both failures. `database` false connects to MySQL without choosing one (to create it).
 */
export async function connectPair(targets: StoreTargets, options: {database?: boolean} = {}): Promise<StorePair> {
  const [mysql, redis] = await Promise.allSettled([MysqlStore.connect(targets.mysql, options), RedisStore.connect(targets.redis)])
  if (mysql.status === 'fulfilled' && redis.status === 'fulfilled') return {mysql: mysql.value, redis: redis.value}
  if (mysql.status === 'fulfilled') mysql.value.destroy()
  if (redis.status === 'fulfilled') redis.value.destroy()
  throw combine([mysql, redis].flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])))
}

/** One error for one or two failed connections, so that a user sees both at once. */
function combine(errors: unknown[]): unknown {
  if (errors.length === 1) return errors[0]
  const unavailable = errors.filter((e): e is StoreUnavailableError => e instanceof StoreUnavailableError)
  if (unavailable.length !== errors.length) return errors[0]
  return new CachesimError(unavailable.map((e) => e.message).join('; '), ExitCode.storeUnavailable)
}
