/** Every Redis key cachesim touches is built here, under the prefix. */
export interface KeySpace {
  prefix: string
}

/** The cached copy of row `id`. */
export function itemKey(space: KeySpace, id: number | string): string {
  return `${space.prefix}item:${id}`
}

/** The lock a strategy takes for row `id` (double-check-lock with --lock redis, and the like). */
export function lockKey(space: KeySpace, id: number): string {
  return `${space.prefix}lock:item:${id}`
}

/** Held by the one cachesim run that works under this prefix (see run/redis-namespace-lock.ts). */
export function namespaceLockKey(space: KeySpace): string {
  return `${space.prefix}lock:namespace`
}

/** The queue of writes for row `id`, for strategies that write behind (a Redis Stream). */
export function streamKey(space: KeySpace, id: number): string {
  return `${space.prefix}stream:item:${id}`
}

/** Every key cachesim may keep for row `id`: what a run resets, and what Redis loses in `op: lose`. */
export function rowKeys(space: KeySpace, id: number): string[] {
  return [itemKey(space, id), lockKey(space, id), streamKey(space, id)]
}

/** The cached copy of row `id` of the read benchmark's user table (the seed's `user:1`). */
export function userKey(space: KeySpace, id: number): string {
  return `${space.prefix}user:${id}`
}

/** The lock the stampede's readers take for user `id` (--lock redis). */
export function userLockKey(space: KeySpace, id: number): string {
  return `${space.prefix}lock:user:${id}`
}

/** The cached copy of a row of another cachesim table (sync): `row:TABLE:PK` (PK columns joined by `:`). */
export function rowKey(space: KeySpace, table: string, primaryKey: readonly string[]): string {
  return `${space.prefix}row:${table}:${primaryKey.join(':')}`
}

/** Where `cachesim sync` keeps its binlog position for a set of tables (read by --resume). */
export function syncPositionKey(space: KeySpace, tables: readonly string[]): string {
  return `${space.prefix}sync:position:${[...tables].sort().join(',')}`
}

/** A hash of cache key → binlog version of the change last written there (sync --mode set). */
export function syncAppliedKey(space: KeySpace, table: string): string {
  return `${space.prefix}sync:applied:${table}`
}

/** The pub/sub channel sync publishes row changes on, by default. */
export function binlogChannel(space: KeySpace): string {
  return `${space.prefix}binlog`
}
