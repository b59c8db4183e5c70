import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Strategy} from './types.js'

/** Update MySQL, then SET the new value in the cache. Two writers can land their SETs out of order. */
export const updateThenUpdate: Strategy = {
  name: 'update-then-update',
  summary: 'write: UPDATE MySQL, then SET the cache; two writers can leave the older SET last',
  steps: [...CACHE_ASIDE_READ_STEPS, 'db.update'],
  read: cacheAsideRead,
  async write(actor, value) {
    await actor.db.update(value)
    await actor.cache.set(value)
  },
}
