import {CachesimError} from '../errors/cachesim-error.js'
import {StoreError} from '../errors/store-error.js'
import {LOST_CONNECTION, StoreUnavailableError} from '../errors/store-unavailable-error.js'
import {connectFailure, isNotThere, isRefusal} from './connect-error.js'
import {isOwnServer, type MysqlTarget, type RedisTarget} from './urls.js'

/** What the drivers put on their errors (mysql2: code, fatal, sqlMessage; ioredis: message). */
interface DriverError {
  code?: string
  fatal?: boolean
  sqlState?: string
  sqlMessage?: string
  message?: string
}

/** MySQL errors that mean the connection went away under us (the server stopped, or killed it). */
const MYSQL_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'PROTOCOL_SEQUENCE_TIMEOUT'])

/** ioredis's words for the same. */
const REDIS_LOST = /Stream isn't writeable|Connection is closed|ECONNRESET|ECONNREFUSED|EPIPE|socket closed/i

/** Whether a driver's error (mysql2's or ioredis's) says the connection went away, not that the call was wrong. */
export function isConnectionLoss(error: unknown): boolean {
  const e = (error ?? {}) as DriverError
  return e.fatal === true || (e.code !== undefined && MYSQL_LOST.has(e.code)) || /closed state/.test(e.message ?? '') || REDIS_LOST.test(e.message ?? '')
}

/** A mysql2 error that says the connection is gone, as a StoreUnavailableError; undefined for any other error. */
export function mysqlLost(target: MysqlTarget, error: unknown): StoreUnavailableError | undefined {
  const e = (error ?? {}) as DriverError
  if (e.fatal !== true && !(e.code !== undefined && MYSQL_LOST.has(e.code)) && !/closed state/.test(e.message ?? '')) return undefined
  return new StoreUnavailableError('MySQL', target.display, LOST_CONNECTION, {cause: error, own: isOwnServer(target.display)})
}

/** An ioredis error that says the connection is gone, as a StoreUnavailableError; undefined for any other error. */
export function redisLost(target: RedisTarget, error: unknown): StoreUnavailableError | undefined {
  if (!REDIS_LOST.test(((error ?? {}) as DriverError).message ?? '')) return undefined
  return new StoreUnavailableError('Redis', target.display, LOST_CONNECTION, {cause: error, own: isOwnServer(target.display)})
}

/**
 * A mysql2 error that says the server is not there, refused what cachesim asked (privileges), or
 * went away, as the one-line error a user sees (exit 3); undefined for anything else, which is
 * cachesim's own bug.
 */
export function mysqlFailure(target: MysqlTarget, error: unknown): CachesimError | undefined {
  if (error instanceof CachesimError) return error
  const e = (error ?? {}) as DriverError
  if (isNotThere(e.code)) return connectFailure('MySQL', target.display, error, target.user)
  if (isRefusal('MySQL', e)) {
    return new StoreError(
      'MySQL',
      `${target.display} refused: ${e.sqlMessage ?? e.message}; give user ${target.user} what cachesim needs there, name another in --mysql, or use --servers private`,
      {cause: error},
    )
  }
  return mysqlLost(target, error)
}

/** The same for an ioredis error. */
export function redisFailure(target: RedisTarget, error: unknown): CachesimError | undefined {
  if (error instanceof CachesimError) return error
  const message = ((error ?? {}) as DriverError).message ?? ''
  if (isRefusal('Redis', {message})) return new StoreError('Redis', `${target.display} refused: ${message}`, {cause: error})
  return redisLost(target, error)
}

/**
 * For code that talks to both stores (sync): the error as one of cachesim's when a store went
 * away or refused, else as it was. mysql2's errors are told apart by their own fields.
 */
export function storeFailure(stores: {mysql: MysqlTarget; redis: RedisTarget}, error: unknown): unknown {
  const e = (error ?? {}) as DriverError
  const fromMysql = e.sqlState !== undefined || e.fatal !== undefined || /^(PROTOCOL_|ER_)/.test(e.code ?? '')
  return (fromMysql ? mysqlFailure(stores.mysql, error) : redisFailure(stores.redis, error)) ?? error
}
