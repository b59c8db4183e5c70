import type {Actor, Strategy} from './types.js'

/**
 * Writers and cache fills take the same Redis lock (a token, released by compare-and-delete, with
 * a TTL), so a fill can never straddle a write. Safe until a holder stalls past the TTL: the lock
 * expires under it, and the stale fill lands after the write.
 */
export const writeLock: Strategy = {
  name: 'write-lock',
  summary: 'writes and cache fills take one Redis lock; safe unless a holder stalls past the lock TTL',
  steps: ['cache.get', 'lock.acquire', 'db.select', 'cache.set', 'lock.release', 'db.update', 'cache.del'],
  usesLock: true,
  lockKind: 'redis',
  async read(actor) {
    const cached = await actor.cache.get()
    if (cached !== null) return cached
    return withLock(actor, async () => {
      const again = await actor.cache.get()
      if (again !== null) return again
      const value = await actor.db.select()
      if (value !== null) await actor.cache.set(value)
      return value
    })
  },
  async write(actor, value) {
    await withLock(actor, async () => {
      await actor.db.update(value)
      await actor.cache.del()
    })
  },
}

async function withLock<T>(actor: Actor, body: () => Promise<T>): Promise<T> {
  await actor.lock.acquire()
  try {
    return await body()
  } finally {
    await actor.lock.release()
  }
}
