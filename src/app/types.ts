import type {Redis} from 'ioredis'
import type {Connection} from 'mysql2/promise'

/**
 * The app module's interface: what a user's cache layer (or a library set up around one) gives
 * cachesim so that it can be raced. The module's default export is a `CachesimApp`.
 *
 * cachesim calls `create` once per actor for every run (and every explored order), with that
 * actor's own connections; every command the instance then sends through ioredis, node-redis or
 * mysql2 is a step. The other members tell cachesim how to set the row up and how to read both
 * stores back, so that it can judge what the steps did.
 */
export interface CachesimApp<V = unknown> {
  /** Shown in reports in place of a strategy's name: letters, digits, ".", "_" and "-". */
  name: string
  /** One line on what the app does. */
  summary?: string
  /** Creates the app's tables in cachesim's database (CREATE TABLE IF NOT EXISTS …); called once per command. */
  setup?(mysql: Connection): Promise<void>
  /** The cache key of row `id`; it must start with `prefix` (cachesim's key prefix). */
  key(id: number, prefix: string): string
  /** The row's value as the app would load it, null when there is no row. */
  readRow(mysql: Connection, id: number): Promise<V | null>
  /** Makes the row hold `value` (null: no row), before each run. */
  writeRow(mysql: Connection, id: number, value: V | null): Promise<void>
  /**
   * The cached value as the app would read it, null when there is none: for a cache that is not
   * a string under `key` (a hash: HGETALL, then make the value). By default GET, then `decode`.
   * `redis` is cachesim's own ioredis client, whatever client the app itself uses. Give
   * readCache and writeCache together, or neither (cachesim refuses one alone).
   */
  readCache?(redis: Redis, key: string): Promise<V | null>
  /** Makes the cache hold `value` before a run that starts warm (the pair of readCache). By default SET `encode(value)`. */
  writeCache?(redis: Redis, key: string, value: V): Promise<void>
  /** The value a cached string stands for, null when it is not a value (a marker, a lock). JSON.parse by default. */
  decode?(raw: string): V | null
  /** The string the app would cache for `value`. JSON.stringify by default. */
  encode?(value: V): string
  /** The value a scenario's number stands for (`write: 99`, `initial: {db: 100}`); the number itself by default. */
  value?(n: number): V
  /** One instance of the app for one actor. */
  create(context: AppContext): AppInstance<V> | Promise<AppInstance<V>>
}

/** What an instance gets: its actor's own connections, ready, and the row it works on. */
export interface AppContext {
  /** The actor's name (A, B, …). */
  actor: string
  /** The row this run works on. */
  id: number
  /** cachesim's key prefix: every key the app touches must start with it. */
  prefix: string
  /** The actor's own Redis connection (ioredis), owned by cachesim: do not quit it. */
  redis: Redis
  /** The actor's own MySQL connection (mysql2/promise), in cachesim's database, owned by cachesim. */
  mysql: Connection
  /** For apps that open their own clients (node-redis, a pool): where the servers are. Never print these. */
  urls: {redis: string; mysql: string}
}

/** The app's read and write path for one row, as one actor runs them. */
export interface AppInstance<V = unknown> {
  /** The read path: the value the app would return to its caller (null: not found). */
  read(): Promise<V | null>
  /** The write path: the row becomes `value`, and the cache whatever the app does about it. */
  write(value: V): Promise<void>
  /** Closes what the instance opened itself (clients it made, timers). */
  close?(): Promise<void>
  /** What an in-process (L1) cache holds for the row, undefined when it holds nothing. */
  peek?(): V | null | undefined
}
