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

/** A store that does not answer, or stopped answering. `url` must already be masked. */
export class StoreUnavailableError extends CachesimError {
  readonly store: StoreKind
  readonly url: string

  constructor(store: StoreKind, url: string, reason: string, options?: ErrorOptions) {
    super(
      reason === LOST_CONNECTION
        ? `lost the connection to ${store} at ${url} in the middle of the run: did the server stop?`
        : `cannot reach ${store} at ${url} (${reason}): ${howToStart(store, url)}`,
      ExitCode.storeUnavailable,
      options,
    )
    this.store = store
    this.url = url
  }
}
