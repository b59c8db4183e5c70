import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Actor, Strategy} from './types.js'

/** Update MySQL (committed), then DEL the cache: the usual cache-aside write. */
export async function updateThenDeleteWrite(actor: Actor, value: number): Promise<void> {
  await actor.db.update(value)
  await actor.cache.del()
}

export const updateThenDelete: Strategy = {
  name: 'update-then-delete',
  summary: 'write: UPDATE MySQL, then DEL the cache; stale reads until the DEL, rarely a stale refill',
  steps: [...CACHE_ASIDE_READ_STEPS, 'db.update', 'cache.del'],
  read: cacheAsideRead,
  write: updateThenDeleteWrite,
}
