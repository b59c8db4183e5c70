/**
 * cacheable 2.x: an in-memory L1 in each app process, @keyv/redis (node-redis) as L2. The read
 * path is `getOrSet(key, load, {ttl})`, the write path UPDATE then `delete(key)`. Each actor is
 * its own process in this picture, so each has its own L1: `peek` shows it, and a stale L1 at
 * the end is that actor's divergence even when Redis is right.
 */
import KeyvRedis from '@keyv/redis'
import {Cacheable} from 'cacheable'
import {Keyv} from 'keyv'

import type {Connection} from 'mysql2/promise'

import type {AppInstance, CachesimApp} from '../../src/app/types.js'
import {createItemsTable, findItem, resetItem, updateItem} from './items-table.js'

const app: CachesimApp<number> = {
  name: 'cacheable',
  summary: 'cacheable 2.x, L1 memory + L2 @keyv/redis: read getOrSet(key, SELECT, 1m); write UPDATE then delete(key)',
  setup: createItemsTable,
  key: (id, prefix) => `${prefix}cacheable:item:${id}`,
  readRow: findItem,
  writeRow: resetItem,
  decode: (raw) => (JSON.parse(raw) as {value: number}).value,
  encode: (value) => JSON.stringify({value, expires: Date.now() + 60_000}),
  create({id, prefix, mysql, urls}) {
    const primary = new Keyv()
    const cache = new Cacheable({primary, secondary: new Keyv({store: new KeyvRedis(urls.redis), namespace: ''}), ttl: '1m'})
    return paths(cache, primary, mysql, id, app.key(id, prefix))
  },
}

/**
 * The read and write paths over one Cacheable whose L1 is `primary` (shown by peek): the same
 * with or without its sync (cacheable-sync.ts).
 */
export function paths(cache: Cacheable, primary: Keyv, mysql: Connection, id: number, key: string): AppInstance<number> {
  // The L1's copy, as the last read or write left it (Keyv's memory store is read synchronously here).
  const l1 = primary.opts.store as Map<string, unknown>
  return {
    read: async () => (await cache.getOrSet(key, () => findItem(mysql, id))) ?? null,
    async write(value) {
      await updateItem(mysql, id, value)
      await cache.delete(key)
    },
    peek() {
      const raw = l1.get(`keyv:${key}`) ?? l1.get(key)
      if (raw === undefined) return undefined
      const entry = typeof raw === 'string' ? (JSON.parse(raw) as {value: number}) : (raw as {value: number})
      return entry.value
    },
    async close() {
      await cache.disconnect()
    },
  }
}

export default app
