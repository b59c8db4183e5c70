import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

export type StoreKind = 'MySQL' | 'Redis'

/** The reason a store error gives when a connection that worked went away. */
export const LOST_CONNECTION = 'lost the connection'

/**
 * Why a connection could not be opened: nothing answered (absent: refused, no such host, no answer
 * in time), the server answered and said no (refused: a password, privileges, too many
 * connections), or it answered and then dropped us (failed).
 */
export type ConnectProblem = 'absent' | 'refused' | 'failed'

/** What to do about it, with the URL's own port in the example. */
function howToStart(store: StoreKind, url: string): string {
  const port = /:(\d+)(?:\/|$)/.exec(url.replace(/^\w+:\/\/[^@]*@/, ''))?.[1]
  return store === 'MySQL'
    ? 'start it (e.g. `sudo systemctl start mariadb`, or `mysql.server start` on macOS), point --mysql / CACHESIM_MYSQL_URL at a running server, or let cachesim start its own (--servers auto)'
    : `start it (e.g. \`redis-server --daemonize yes --port ${port ?? '6379'}\`), point --redis / CACHESIM_REDIS_URL at a running server, or let cachesim start its own (--servers auto)`
}

const flag: Record<StoreKind, string> = {MySQL: '--mysql / CACHESIM_MYSQL_URL', Redis: '--redis / CACHESIM_REDIS_URL'}
const PRIVATE = "or use --servers private to run on cachesim's own servers"

function describeProblem(store: StoreKind, url: string, reason: string, problem: ConnectProblem, own: boolean): string {
  if (own) {
    // cachesim's own private server: nothing for the user to start or fix, only to run again.
    const what = reason === LOST_CONNECTION ? `lost the connection to cachesim's own ${store} at ${url} in the middle of the run` : `cachesim's own ${store} at ${url} is gone (${reason})`
    return `${what}: something stopped it (cachesim servers status shows what runs); run again and cachesim starts a new one`
  }
  if (reason === LOST_CONNECTION) return `lost the connection to ${store} at ${url} in the middle of the run: did the server stop?`
  switch (problem) {
    case 'absent':
      return `cannot reach ${store} at ${url} (${reason}): ${howToStart(store, url)}`
    case 'refused':
      return `${store} at ${url} refused cachesim (${reason}): fix the ${store === 'MySQL' ? 'user or password' : 'password'} in ${flag[store]}, ${PRIVATE}`
    case 'failed':
      return `cannot use ${store} at ${url} (${reason}): check that a ${store} server runs there, ${PRIVATE}`
  }
}

/**
 * A store that cachesim could not connect to, or lost, and why. `url` must already be masked.
 * Only a store that is absent may be replaced by a private server (--servers auto); one that
 * answered is the user's to fix.
 */
export class StoreUnavailableError extends CachesimError {
  readonly store: StoreKind
  readonly url: string
  /** In words, e.g. "connection refused", "access denied for user bob". */
  readonly reason: string
  readonly problem: ConnectProblem

  constructor(
    store: StoreKind,
    url: string,
    reason: string,
    {problem, own = false, ...options}: ErrorOptions & {problem?: ConnectProblem; /** A private server cachesim started. */ own?: boolean} = {},
  ) {
    problem ??= reason === LOST_CONNECTION ? 'failed' : 'absent'
    super(describeProblem(store, url, reason, problem, own), ExitCode.storeUnavailable, options)
    this.store = store
    this.url = url
    this.reason = reason
    this.problem = problem
  }

  /** The server was there (and refused us, or dropped us). */
  get answered(): boolean {
    return this.problem !== 'absent'
  }
}
