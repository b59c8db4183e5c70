/**
 * cacheable 2.x with its sync: an in-memory L1 in each app process, @keyv/redis (node-redis) as
 * L2, and CacheableSync over Redis pub/sub (qified with @qified/redis). Every `set` (a refill in
 * `getOrSet` too) and every `delete` that removed something from the L1 is published; the other
 * processes' subscribers put the value in (or drop it from) their L1. Each actor is its own
 * process here: its own Cacheable, L1 and sync connections. The channels carry cachesim's prefix
 * in their names, so no other application's subscribers hear them.
 */
import KeyvRedis from '@keyv/redis'
import {RedisMessageProvider} from '@qified/redis'
import {Cacheable, CacheableSync} from 'cacheable'
import {Keyv} from 'keyv'
import {Qified} from 'qified'

import type {CachesimApp} from '../../src/app/types.js'
import cacheable, {paths} from './cacheable.js'

const app: CachesimApp<number> = {
  ...cacheable,
  name: 'cacheable-sync',
  summary: 'cacheable 2.x, L1 memory + L2 @keyv/redis + sync over Redis pub/sub: read getOrSet(key, SELECT, 1m); write UPDATE then delete(key)',
  async create({id, prefix, mysql, urls}) {
    const primary = new Keyv()
    const qified = new Qified({messageProviders: [new RedisMessageProvider({uri: urls.redis})]})
    // CacheableSync subscribes as the Cacheable is made, without waiting: wait for both
    // subscriptions (set and delete), so that no message of the run finds this instance deaf.
    const subscribed = new Promise<void>((resolve, reject) => {
      let count = 0
      qified.on('error', reject)
      qified.on('subscribe', () => {
        count += 1
        if (count === 2) resolve()
      })
    })
    const sync = new CacheableSync({qified, namespace: `${prefix}cacheable-sync`})
    const cache = new Cacheable({primary, secondary: new Keyv({store: new KeyvRedis(urls.redis), namespace: ''}), ttl: '1m', sync})
    await subscribed
    return paths(cache, primary, mysql, id, cacheable.key(id, prefix))
  },
}

export default app
