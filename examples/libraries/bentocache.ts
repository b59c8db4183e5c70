/**
 * bentocache 1.x with its Redis driver (ioredis) as the only layer (L2): the read path is
 * `getOrSet({key, factory, ttl})`, the write path UPDATE then `delete({key})`.
 */
import {BentoCache, bentostore} from 'bentocache'
import {redisDriver} from 'bentocache/drivers/redis'

import type {CachesimApp} from '../../src/app/types.js'
import {createItemsTable, findItem, resetItem, updateItem} from './items-table.js'

/** bentocache keeps `{value, logicalExpiration, …}` as JSON under `<driver prefix>:<key>`. */
interface Entry {
  value: number
}

const app: CachesimApp<number> = {
  name: 'bentocache',
  summary: 'bentocache 1.x, L2 Redis only: read getOrSet(key, SELECT, 1m); write UPDATE then delete(key)',
  setup: createItemsTable,
  key: (id, prefix) => `${prefix}bento:${id}`,
  readRow: findItem,
  writeRow: resetItem,
  decode: (raw) => (JSON.parse(raw) as Entry).value,
  encode: (value) => JSON.stringify({value, logicalExpiration: Date.now() + 60_000}),
  create: l2Only({}),
}

/**
 * An instance with Redis as bentocache's only layer, reading through getOrSet with `options`
 * besides the ttl (bentocache-grace.ts gives a grace period and a soft timeout).
 */
export function l2Only(options: {grace?: string; timeout?: number}): CachesimApp<number>['create'] {
  return ({id, prefix, redis, mysql}) => {
    // The driver's prefix and the key make `<prefix>bento:<id>`.
    const bento = new BentoCache({
      default: 'cache',
      stores: {cache: bentostore().useL2Layer(redisDriver({connection: redis, prefix: `${prefix}bento`}))},
    })
    const key = String(id)
    return {
      read: () => bento.getOrSet({key, factory: () => findItem(mysql, id), ttl: '1m', ...options}),
      async write(value) {
        await updateItem(mysql, id, value)
        await bento.delete({key})
      },
    }
  }
}

export default app
