/**
 * bentocache 1.x with an in-memory L1 per process, Redis as L2 and its Redis bus: a write's
 * delete is published, and other processes drop their L1 copy when the message reaches them.
 * Each actor is its own process here (its own BentoCache, L1 and bus connections); the bus
 * channel carries cachesim's prefix in its name, so no other application's bus hears it.
 */
import {BentoCache, bentostore} from 'bentocache'
import {memoryDriver} from 'bentocache/drivers/memory'
import {redisBusDriver, redisDriver} from 'bentocache/drivers/redis'

import type {CachesimApp} from '../../src/app/types.js'
import bentocache from './bentocache.js'
import {findItem, updateItem} from './items-table.js'

const app: CachesimApp<number> = {
  ...bentocache,
  name: 'bentocache-l1-bus',
  summary: 'bentocache 1.x, L1 memory + L2 Redis + Redis bus: read getOrSet; write UPDATE then delete (published on the bus)',
  create({id, prefix, redis, mysql, urls}) {
    const url = new URL(urls.redis)
    const connection = {host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0)}
    const l1 = memoryDriver({maxItems: 100})
    const bento = new BentoCache({
      default: `${prefix}bus`,
      stores: {
        [`${prefix}bus`]: bentostore()
          .useL1Layer(l1)
          // bentocache closes its connections in disconnectAll(): its L2 gets one of its own.
          .useL2Layer(redisDriver({connection: redis.duplicate(), prefix: `${prefix}bento`}))
          .useBus(redisBusDriver({connection, retryQueue: {enabled: false}})),
      },
    })
    const key = String(id)
    return {
      read: () => bento.getOrSet({key, factory: () => findItem(mysql, id), ttl: '1m'}),
      async write(value) {
        await updateItem(mysql, id, value)
        await bento.delete({key})
      },
      async close() {
        await bento.disconnectAll()
      },
    }
  },
}

export default app
