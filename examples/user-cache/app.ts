/**
 * The cachesim app module for UserCache: how to set the example's table up, how to read the row
 * and the cached user back, and one UserCache per actor. `npx cachesim explore cold-refill --app
 * examples/user-cache/app.ts` races it.
 */
import type {CachesimApp} from '../../src/app/types.js'
import {UserCache} from './user-cache.js'
import {createUsersTable, findUser, resetUser, type User, userNumbered} from './users-table.js'

const app: CachesimApp<User> = {
  name: 'user-cache',
  summary: 'cache-aside user cache: GET, on a miss SELECT then SET EX 1800; update: UPDATE then DEL',
  setup: createUsersTable,
  key: (id, prefix) => `${prefix}user:${id}`,
  readRow: findUser,
  writeRow: resetUser,
  value: userNumbered,
  create({id, prefix, redis, mysql}) {
    const cache = new UserCache(redis, mysql, prefix)
    return {
      read: () => cache.get(id),
      write: (user) => cache.update(id, user),
    }
  },
}

export default app
