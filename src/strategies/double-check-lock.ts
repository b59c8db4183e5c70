import {updateThenDeleteWrite} from './update-then-delete.js'
import type {Strategy} from './types.js'

/**
 * The seed's double-checked lock: on a miss, take a lock, look in the cache again, and only on a
 * second miss read MySQL and fill the cache. One SELECT per miss, however many readers pile up;
 * writers do not take the lock, so it does not stop a stale refill.
 */
export const doubleCheckLock: Strategy = {
  name: 'double-check-lock',
  summary: 'read: on a miss lock, GET again, then SELECT and SET; write: update-then-delete',
  steps: ['cache.get', 'lock.acquire', 'db.select', 'cache.set', 'lock.release', 'db.update', 'cache.del'],
  usesLock: true,
  knobs: ['lock'],
  async read(actor) {
    const cached = await actor.cache.get()
    if (cached !== null) return cached
    await actor.lock.acquire()
    try {
      const again = await actor.cache.get()
      if (again !== null) return again
      const value = await actor.db.select()
      if (value !== null) await actor.cache.set(value)
      return value
    } finally {
      await actor.lock.release()
    }
  },
  write: updateThenDeleteWrite,
}
