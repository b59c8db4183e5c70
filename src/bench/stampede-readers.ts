import {redisLock} from '../schedule/locks.js'
import {delay} from '../util/delay.js'
import type {BenchClient} from './clients.js'
import type {Mutex} from './mutex.js'

/** What one reader of a stampede saw. */
export interface ReaderOutcome {
  /** Its first GET missed: it really arrived while the key was gone. */
  missed: boolean
  /** It got the row (from the cache or from MySQL). */
  found: boolean
}

export interface HotKey {
  id: number
  key: string
  lockKey: string
  cacheTtlMs: number
}

/** A Redis lock outlives a slow refill; a waiter gives up only well after it would have expired. */
export const LOCK_TTL_MS = 5000
const GIVE_UP_MS = 2 * LOCK_TTL_MS
/** How often a waiter looks again; every look is a GET (and a SET NX when it still misses). */
export const POLL_MS = 2

/** No protection: every reader that misses SELECTs and SETs. */
export async function readUnprotected(client: BenchClient, hot: HotKey): Promise<ReaderOutcome> {
  if ((await client.redis.get(hot.key)) !== null) return {missed: false, found: true}
  return {missed: true, found: await refill(client, hot)}
}

/** The seed's double-checked lock: on a miss, take the process's mutex, GET again, then refill. */
export async function readWithLocalLock(client: BenchClient, hot: HotKey, mutex: Mutex): Promise<ReaderOutcome> {
  if ((await client.redis.get(hot.key)) !== null) return {missed: false, found: true}
  await mutex.lock()
  try {
    if ((await client.redis.get(hot.key)) !== null) return {missed: true, found: true}
    return {missed: true, found: await refill(client, hot)}
  } finally {
    mutex.unlock()
  }
}

/**
 * A Redis lock with waiters: on a miss, SET lock NX PX; the holder GETs again and refills, then
 * releases with compare-and-delete; the others wait, polling the cache, and take the lock only
 * if it is free again (its holder died): one SELECT across every process.
 */
export async function readWithRedisLock(client: BenchClient, hot: HotKey, signal: AbortSignal): Promise<ReaderOutcome> {
  if ((await client.redis.get(hot.key)) !== null) return {missed: false, found: true}
  const lock = redisLock(client.redis, hot.lockKey, LOCK_TTL_MS)
  const giveUpAt = performance.now() + GIVE_UP_MS
  for (;;) {
    if (await lock.tryAcquire()) {
      try {
        if ((await client.redis.get(hot.key)) !== null) return {missed: true, found: true}
        return {missed: true, found: await refill(client, hot)}
      } finally {
        await lock.release()
      }
    }
    if (performance.now() > giveUpAt) return {missed: true, found: false}
    await delay(POLL_MS, signal)
    if ((await client.redis.get(hot.key)) !== null) return {missed: true, found: true}
  }
}

async function refill(client: BenchClient, hot: HotKey): Promise<boolean> {
  const row = await client.table.read(hot.id)
  if (row === null) return false
  await client.redis.set(hot.key, row, hot.cacheTtlMs)
  return true
}
