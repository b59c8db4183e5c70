import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

export type StoreKind = 'MySQL' | 'Redis'

const howToStart: Record<StoreKind, string> = {
  MySQL:
    'start it (e.g. `sudo systemctl start mariadb`, or `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`) or point --mysql / CACHESIM_MYSQL_URL at a running server',
  Redis:
    'start it (e.g. `redis-server --daemonize yes --port 6379`) or point --redis / CACHESIM_REDIS_URL at a running server',
}

/** A store that does not answer or refuses us. `url` must already be masked. */
export class StoreUnavailableError extends CachesimError {
  readonly store: StoreKind
  readonly url: string

  constructor(store: StoreKind, url: string, reason: string, options?: ErrorOptions) {
    super(`cannot reach ${store} at ${url} (${reason}): ${howToStart[store]}`, ExitCode.storeUnavailable, options)
    this.store = store
    this.url = url
  }
}
