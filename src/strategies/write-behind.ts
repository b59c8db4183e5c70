import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import {streamKey} from '../stores/keys.js'
import type {Actor, Strategy} from './types.js'

/**
 * Write-behind: a write goes to Redis and onto a Redis Stream in one MULTI; a drain worker (an
 * actor with `op: drain`) applies the stream to MySQL later. MySQL lags until the drain, and a
 * Redis that loses the stream before the drain loses the write for good. (This is what "Redis
 * to MySQL" means in practice: RDB and AOF files are Redis's own persistence, not a way to
 * write to MySQL.)
 */
export const writeBehind: Strategy = {
  name: 'write-behind',
  summary: 'write: SET the cache and queue the write on a Redis Stream; a drain worker applies it to MySQL later',
  steps: [...CACHE_ASIDE_READ_STEPS, 'cache.write'],
  workerSteps: ['stream.read', 'db.update', 'stream.ack'],
  read: cacheAsideRead,
  async write(actor, value) {
    const {redis, key, rowId, space} = actor.stores
    const stream = streamKey(space, rowId)
    await actor.step('cache.write', () => redis.setAndEnqueue(key, stream, String(value)), {sends: value, effect: () => ({cache: value})})
  },
  async drain(actor, count) {
    for (let i = 0; i < count; i++) await drainOne(actor)
  },
}

async function drainOne(actor: Actor): Promise<void> {
  const {redis, rowId, space} = actor.stores
  const stream = streamKey(space, rowId)
  const entry = await actor.step(
    'stream.read',
    (context) => context.waitUntil(() => redis.firstInStream(stream), 'waits for a write on the stream', actor.settings.workerWaitMs),
    {record: (e) => Number(e.value)},
  )
  await actor.db.update(Number(entry.value))
  await actor.step('stream.ack', () => redis.removeFromStream(stream, entry.id))
}
