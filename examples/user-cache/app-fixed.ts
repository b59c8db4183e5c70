/** The cachesim app module for FixedUserCache (the generation-counter fix); see app.ts. */
import type {CachesimApp} from '../../src/app/types.js'
import {FixedUserCache} from './user-cache-fixed.js'
import {createUsersTable, findUser, resetUser, type User, userNumbered} from './users-table.js'

const app: CachesimApp<User> = {
  name: 'user-cache-fixed',
  summary: 'the user cache with a per-key generation counter: a fill lands only if no update came since the read began',
  setup: createUsersTable,
  key: (id, prefix) => `${prefix}user:${id}`,
  readRow: findUser,
  writeRow: resetUser,
  value: userNumbered,
  create({id, prefix, redis, mysql}) {
    const cache = new FixedUserCache(redis, mysql, prefix)
    return {
      read: () => cache.get(id),
      write: (user) => cache.update(id, user),
    }
  },
}

export default app
