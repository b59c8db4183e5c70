import {type ConnectProblem, type StoreKind, StoreUnavailableError} from '../errors/store-unavailable-error.js'
import {isOwnServer} from './urls.js'

/** Codes that mean nothing answered at the address: no server there, or none reachable. */
const NOT_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])

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

/** Redis replies that mean the same. */
const REDIS_REFUSAL = /^(NOAUTH|WRONGPASS|NOPERM)\b|invalid password|invalid username-password/i

/** True when the error code says the server is not there (rather than there and refusing us). */
export function isNotThere(code: string | undefined): boolean {
  return code !== undefined && NOT_THERE.has(code)
}

/** True when the server answered and will not let cachesim in, or do what it asked. */
export function isRefusal(store: StoreKind, error: {code?: string; message?: string}): boolean {
  return store === 'MySQL' ? error.code !== undefined && MYSQL_REFUSALS.has(error.code) : REDIS_REFUSAL.test(error.message ?? '')
}

/** Turns a driver's error code into words a user can act on. Shared with the Redis adapter. */
export function describeConnectError(code: string | undefined, message: string | undefined, user?: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    case 'ETIMEDOUT':
      return 'no answer within 3 s'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable'
    case 'ECONNRESET':
      return 'connection reset'
    case 'PROTOCOL_CONNECTION_LOST':
      return 'it closed the connection'
    case 'ER_CON_COUNT_ERROR':
      return "too many connections: the server's max_connections is reached"
    case 'ER_ACCESS_DENIED_ERROR':
      return `access denied for user ${user ?? ''}`.trim()
    default:
      return code ?? message ?? 'unknown error'
  }
}

/**
 * Why a connection could not be opened, as the error a user sees: whether anything answered
 * decides whether --servers auto may put a private server in its place.
 */
export function connectFailure(store: StoreKind, display: string, error: unknown, user?: string): StoreUnavailableError {
  const e = (error ?? {}) as {code?: string; message?: string}
  const problem: ConnectProblem = isNotThere(e.code) ? 'absent' : isRefusal(store, e) ? 'refused' : 'failed'
  let reason = describeConnectError(e.code, e.message, user)
  if (store === 'Redis' && /^NOAUTH\b/.test(e.message ?? '')) reason = 'it wants a password and none was given'
  else if (store === 'Redis' && problem === 'refused') reason = 'wrong user or password'
  // ioredis' own words ("Protocol error, got "J" as reply type byte. Please report this.") ask
  // for a bug report; what answered is simply not a Redis (a MySQL on that port, say).
  else if (store === 'Redis' && /^Protocol error\b/.test(e.message ?? '')) reason = 'what answered there is not a Redis server: it answered in another protocol'
  return new StoreUnavailableError(store, display, reason, {cause: error, problem, own: isOwnServer(display)})
}
