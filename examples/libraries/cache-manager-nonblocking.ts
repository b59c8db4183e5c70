/**
 * cache-manager 7 on `createKeyvNonBlocking` (@keyv/redis): the same paths as cache-manager.ts,
 * but a Redis error is swallowed: a DEL that never reaches Redis returns true, and the writer
 * reports success while the old value stays.
 */
import {createKeyvNonBlocking} from '@keyv/redis'
import {createCache} from 'cache-manager'

import type {CachesimApp} from '../../src/app/types.js'
import cacheManager from './cache-manager.js'
import {findItem, updateItem} from './items-table.js'

const TTL_MS = 60_000

const app: CachesimApp<number> = {
  ...cacheManager,
  name: 'cache-manager-nonblocking',
  summary: 'cache-manager 7 + createKeyvNonBlocking: Redis errors are swallowed (a failed del returns true)',
  async create({id, prefix, mysql, urls}) {
    const cache = createCache({stores: [createKeyvNonBlocking(urls.redis)]})
    const key = app.key(id, prefix)
    return {
      read: () => cache.wrap(key, () => findItem(mysql, id), TTL_MS),
      async write(value) {
        await updateItem(mysql, id, value)
        // The answer a caller sees: true even when the command failed.
        const removed = await cache.del(key)
        if (!removed) throw new Error('del returned false')
      },
      async close() {
        await cache.disconnect()
      },
    }
  },
}

export default app
