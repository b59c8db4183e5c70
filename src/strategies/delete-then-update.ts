import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Strategy} from './types.js'

/**
 * DEL the cache, then update MySQL in a transaction. While the transaction is open a reader
 * misses, reads the old committed row and puts it back in the cache.
 */
export const deleteThenUpdate: Strategy = {
  name: 'delete-then-update',
  summary: 'write: DEL the cache, then UPDATE MySQL in a transaction; a reader in between refills the old value',
  steps: [...CACHE_ASIDE_READ_STEPS, 'cache.del', 'db.begin', 'db.update', 'db.commit'],
  read: cacheAsideRead,
  async write(actor, value) {
    await actor.cache.del()
    await actor.db.begin()
    await actor.db.update(value)
    await actor.db.commit()
  },
}
