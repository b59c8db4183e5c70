import type {BenchClient} from './clients.js'

/**
 * The read benchmark's request paths, as the seed's loops have them: no work on the value
 * beyond what the client library does, so that what is timed is the stores and the client.
 */

/** No cache: every read is a SELECT. */
export async function readFromDb(client: BenchClient, id: number): Promise<void> {
  await client.table.read(id)
}

/** Cache-aside: GET; on a miss SELECT, then SET with a time to live. True on a hit. */
export async function readCacheAside(client: BenchClient, key: string, id: number, ttlMs: number): Promise<boolean> {
  if ((await client.redis.get(key)) !== null) return true
  const row = await client.table.read(id)
  if (row !== null) await client.redis.set(key, row, ttlMs)
  return false
}

/** With a cache, a write updates MySQL, then deletes the key (update-then-delete): the next read misses. */
export async function writeAndInvalidate(client: BenchClient, key: string | null, id: number, age: number): Promise<void> {
  await client.table.update(id, age)
  if (key !== null) await client.redis.del(key)
}
