import type {Actor} from './types.js'

/** The read path most strategies share: GET; on a miss SELECT, then SET what was found. */
export async function cacheAsideRead(actor: Actor): Promise<number | null> {
  const cached = await actor.cache.get()
  if (cached !== null) return cached
  const value = await actor.db.select()
  if (value !== null) await actor.cache.set(value)
  return value
}

export const CACHE_ASIDE_READ_STEPS = ['cache.get', 'db.select', 'cache.set'] as const
