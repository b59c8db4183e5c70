import {CachesimError} from '../errors/cachesim-error.js'
import {StoreError} from '../errors/store-error.js'
import {connectFailure, isNotThere} from './connect-error.js'
import type {MysqlTarget, RedisTarget} from './urls.js'

/** What the drivers put on their errors (mysql2: code, fatal, sqlMessage; ioredis: name, message). */
interface DriverError {
  code?: string
  fatal?: boolean
  sqlState?: string
  sqlMessage?: string
  name?: string
  message?: string
}

/** MySQL server errors that mean: the server is there, and will not let this user do that. */
const MYSQL_REFUSALS = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_PROCACCESS_DENIED_ERROR',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_HOST_IS_BLOCKED',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_MUST_CHANGE_PASSWORD',
  'ER_MUST_CHANGE_PASSWORD_LOGIN',
])

/** MySQL errors that mean the connection went away under us (the server stopped, or killed it). */
const MYSQL_LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'PROTOCOL_SEQUENCE_TIMEOUT'])

/**
 * A mysql2 error that says the server is gone or refused what cachesim asked, as the one-line
 * error a user sees (exit 3); undefined for anything else, which is cachesim's own bug.
 */
export function mysqlFailure(target: MysqlTarget, error: unknown): CachesimError | undefined {
  if (error instanceof CachesimError) return error
  const e = (error ?? {}) as DriverError
  if (isNotThere(e.code)) return connectFailure('MySQL', target.display, error, target.user)
  if (e.code !== undefined && MYSQL_REFUSALS.has(e.code)) {
    return new StoreError(
      'MySQL',
      `${target.display} refused: ${e.sqlMessage ?? e.message}; give user ${target.user} what cachesim needs there, name another in --mysql, or use --servers private`,
      {cause: error},
    )
  }
  if ((e.code !== undefined && MYSQL_LOST.has(e.code)) || e.fatal === true) {
    return new StoreError('MySQL', `lost the connection to ${target.display} (${e.message ?? e.code})`, {cause: error})
  }
  return undefined
}

/** The same for an ioredis error: the connection closed, or the server refused us. */
export function redisFailure(target: RedisTarget, error: unknown): CachesimError | undefined {
  if (error instanceof CachesimError) return error
  const message = ((error ?? {}) as DriverError).message ?? ''
  if (/^(NOAUTH|WRONGPASS|NOPERM)\b/.test(message)) return new StoreError('Redis', `${target.display} refused: ${message}`, {cause: error})
  if (/^Connection is closed|^Stream isn't writeable|ECONNRESET|EPIPE/.test(message)) {
    return new StoreError('Redis', `lost the connection to ${target.display} (${message})`, {cause: error})
  }
  return undefined
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
