import type {RedisStore} from '../stores/redis.js'
import {userKey, type KeySpace} from '../stores/keys.js'

const DELETE_BATCH = 1000

/** Deletes the cached copies of users 1..keys, exactly the keys the benchmark may have set. */
export async function deleteUserKeys(redis: RedisStore, space: KeySpace, keys: number): Promise<void> {
  for (let first = 1; first <= keys; first += DELETE_BATCH) {
    const batch: string[] = []
    for (let id = first; id < Math.min(first + DELETE_BATCH, keys + 1); id++) batch.push(userKey(space, id))
    await redis.delete(batch)
  }
}
