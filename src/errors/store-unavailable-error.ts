import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

export type StoreKind = 'MySQL' | 'Redis'

/** The reason a store error gives when a connection that worked went away. */
export const LOST_CONNECTION = 'lost the connection'

/** What to do about it, with the URL's own port in the example. */
function howToStart(store: StoreKind, url: string): string {
  const port = /:(\d+)(?:\/|$)/.exec(url.replace(/^\w+:\/\/[^@]*@/, ''))?.[1]
  return store === 'MySQL'
    ? 'start it (e.g. `sudo systemctl start mariadb`, or `mysql.server start` on macOS), point --mysql / CACHESIM_MYSQL_URL at a running server, or let cachesim start its own (--servers auto)'
    : `start it (e.g. \`redis-server --daemonize yes --port ${port ?? '6379'}\`), point --redis / CACHESIM_REDIS_URL at a running server, or let cachesim start its own (--servers auto)`
}

const howToGetIn: Record<StoreKind, string> = {
  MySQL: "fix the user or password in --mysql / CACHESIM_MYSQL_URL, or use --servers private to run on cachesim's own servers",
  Redis: "fix the password in --redis / CACHESIM_REDIS_URL, or use --servers private to run on cachesim's own servers",
}

/**
 * A store that does not answer (nothing listens, no such host, no answer in time), stopped
 * answering, or answers and refuses us (a wrong password, too many connections). `url` must
 * already be masked. Only a store that did not answer may be replaced by a private server
 * (--servers auto).
 */
export class StoreUnavailableError extends CachesimError {
  readonly store: StoreKind
  readonly url: string
  /** In words, e.g. "connection refused", "access denied for user bob". */
  readonly reason: string
  /** The server was there and said no; false when nothing answered. */
  readonly answered: boolean

  constructor(store: StoreKind, url: string, reason: string, {answered = false, ...options}: ErrorOptions & {answered?: boolean} = {}) {
    super(
      reason === LOST_CONNECTION
        ? `lost the connection to ${store} at ${url} in the middle of the run: did the server stop?`
        : answered
          ? `${store} at ${url} refused cachesim (${reason}): ${howToGetIn[store]}`
          : `cannot reach ${store} at ${url} (${reason}): ${howToStart(store, url)}`,
      ExitCode.storeUnavailable,
      options,
    )
    this.store = store
    this.url = url
    this.reason = reason
    this.answered = answered
  }
}
