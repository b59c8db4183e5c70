import {BadInputError} from '../errors/bad-input-error.js'

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/cachesim'
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0'
export const DEFAULT_PREFIX = 'cachesim:'

export interface MysqlTarget {
  /** The URL with any password masked: the only form that is ever printed. */
  display: string
  host: string
  port: number
  user: string
  password: string | undefined
  database: string
}

export interface RedisTarget {
  display: string
  url: string
}

/**
 * The servers cachesim started itself in this process (private servers), by their shown URL:
 * when one fails, the advice is not to start the user's server (systemctl) but to run again.
 */
const ownServers = new Set<string>()

export function markOwnServer(url: string): void {
  ownServers.add(maskUrl(url))
}

export function isOwnServer(display: string): boolean {
  return ownServers.has(display)
}

/** Replaces the password of a URL with `****` so that it can be printed. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.password) url.password = '****'
    return url.toString()
  } catch {
    return raw.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:****@')
  }
}

/** The server's own schemas: cachesim must never create a table in them (nor drop one). */
const SYSTEM_SCHEMAS = ['mysql', 'sys', 'information_schema', 'performance_schema']

export function parseMysqlUrl(raw: string): MysqlTarget {
  const url = parseUrl(raw, 'MySQL', 'mysql://user:password@host:3306/database')
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new BadInputError(`MySQL URL ${maskUrl(raw)} must start with mysql://, e.g. ${DEFAULT_MYSQL_URL}`)
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'cachesim'
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new BadInputError(`MySQL database name "${database}" may only use letters, digits and _ (at most 64)`)
  }
  if (SYSTEM_SCHEMAS.includes(database.toLowerCase())) {
    throw new BadInputError(
      `MySQL URL ${maskUrl(raw)} names the server's system schema "${database}"; cachesim creates its table in the database it is given, so give one of its own, e.g. ${DEFAULT_MYSQL_URL}`,
    )
  }
  return {
    display: maskUrl(raw),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
  }
}

export function parseRedisUrl(raw: string): RedisTarget {
  const url = parseUrl(raw, 'Redis', 'redis://:password@host:6379/0')
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new BadInputError(`Redis URL ${maskUrl(raw)} must start with redis:// or rediss://, e.g. ${DEFAULT_REDIS_URL}`)
  }
  const db = url.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d{1,2}$/.test(db)) {
    throw new BadInputError(`Redis URL ${maskUrl(raw)}: the path must be a database number such as /0`)
  }
  return {display: maskUrl(raw), url: raw}
}

export function validatePrefix(prefix: string): string {
  if (prefix.length === 0 || prefix.length > 100 || /[\s*?[\]]/.test(prefix)) {
    throw new BadInputError(
      `key prefix "${prefix}" must be 1-100 characters with no spaces or glob characters (* ? [ ]), e.g. ${DEFAULT_PREFIX}`,
    )
  }
  return prefix
}

function parseUrl(raw: string, store: string, example: string): URL {
  try {
    return new URL(raw)
  } catch {
    throw new BadInputError(`${store} URL "${maskUrl(raw)}" is not a URL; expected something like ${example}`)
  }
}
