import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Strategy} from './types.js'

/** SET the cache first, then update MySQL. Readers see values MySQL has not committed yet. */
export const cacheFirst: Strategy = {
  name: 'cache-first',
  summary: 'write: SET the cache, then UPDATE MySQL; two writers can leave the older UPDATE last',
  steps: [...CACHE_ASIDE_READ_STEPS, 'db.update'],
  read: cacheAsideRead,
  async write(actor, value) {
    await actor.cache.set(value)
    await actor.db.update(value)
  },
}
