/**
 * cache-manager 7 on Redis through Keyv and @keyv/redis (node-redis): the read path is
 * `wrap(key, load, ttl)`, the write path UPDATE then `del(key)`, as its README shows.
 */
import KeyvRedis from '@keyv/redis'
import {createCache} from 'cache-manager'
import {Keyv} from 'keyv'

import type {CachesimApp} from '../../src/app/types.js'
import {createItemsTable, findItem, resetItem, updateItem} from './items-table.js'

const TTL_MS = 60_000

const app: CachesimApp<number> = {
  name: 'cache-manager',
  summary: 'cache-manager 7 + @keyv/redis: read wrap(key, SELECT, 60 s); write UPDATE then del(key)',
  setup: createItemsTable,
  // Keyv with no namespace stores the key as given.
  key: (id, prefix) => `${prefix}cm:item:${id}`,
  readRow: findItem,
  writeRow: resetItem,
  // Keyv keeps {"value": …, "expires": …} as JSON.
  decode: (raw) => (JSON.parse(raw) as {value: number}).value,
  encode: (value) => JSON.stringify({value, expires: Date.now() + TTL_MS}),
  async create({id, prefix, mysql, urls}) {
    const store = new KeyvRedis(urls.redis)
    const cache = createCache({stores: [new Keyv({store, namespace: ''})]})
    const key = app.key(id, prefix)
    return {
      read: () => cache.wrap(key, () => findItem(mysql, id), TTL_MS),
      async write(value) {
        await updateItem(mysql, id, value)
        await cache.del(key)
      },
      async close() {
        await cache.disconnect()
      },
    }
  },
}

export default app
