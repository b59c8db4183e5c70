/** The cachesim app module for FixedUserCache (the generation-counter fix): app.ts, with the fixed cache. */
import type {CachesimApp} from '../../src/app/types.js'
import userCache from './app.js'
import {FixedUserCache} from './user-cache-fixed.js'
import type {User} from './users-table.js'

const app: CachesimApp<User> = {
  ...userCache,
  name: 'user-cache-fixed',
  summary: 'the user cache with a per-key generation counter: a fill lands only if no update came since the read began',
  create({id, prefix, redis, mysql}) {
    const cache = new FixedUserCache(redis, mysql, prefix)
    return {
      read: () => cache.get(id),
      write: (user) => cache.update(id, user),
    }
  },
}

export default app
