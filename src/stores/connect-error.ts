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
    case 'ER_CON_COUNT_ERROR':
      return "too many connections: the server's max_connections is reached"
    case 'ER_ACCESS_DENIED_ERROR':
      return `access denied for user ${user ?? ''}`.trim()
    default:
      return code ?? message ?? 'unknown error'
  }
}
