import {type StoreKind, StoreUnavailableError} from '../errors/store-unavailable-error.js'

/** Codes that mean nothing answered at the address: no server there, or none reachable. */
const NOT_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])

/** True when the error code says the server is not there (rather than there and refusing us). */
export function isNotThere(code: string | undefined): boolean {
  return code !== undefined && NOT_THERE.has(code)
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
  const {code, message} = error as {code?: string; message?: string}
  if (store === 'Redis' && /NOAUTH/.test(message ?? '')) {
    return new StoreUnavailableError(store, display, 'it wants a password and none was given', {cause: error, answered: true})
  }
  if (store === 'Redis' && /WRONGPASS|invalid password|invalid username-password/i.test(message ?? '')) {
    return new StoreUnavailableError(store, display, 'wrong user or password', {cause: error, answered: true})
  }
  return new StoreUnavailableError(store, display, describeConnectError(code, message, user), {cause: error, answered: !isNotThere(code)})
}
