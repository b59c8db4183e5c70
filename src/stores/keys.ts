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
