/** Every Redis key cachesim touches is built here, under the prefix. */
export interface KeySpace {
  prefix: string
}

/** The cached copy of row `id`. */
export function itemKey(space: KeySpace, id: number): string {
  return `${space.prefix}item:${id}`
}

/** The lock a strategy takes for row `id` (double-check-lock with --lock redis, and the like). */
export function lockKey(space: KeySpace, id: number): string {
  return `${space.prefix}lock:item:${id}`
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
