import {randomUUID} from 'node:crypto'

import type {ActorName} from '../history/types.js'
import type {RedisStore} from '../stores/redis.js'
import type {KeyTtls} from '../strategies/types.js'

/** A lock on the row, as one actor holds it. `tryAcquire` never waits; the step around it does. */
export interface RowLock {
  tryAcquire(): Promise<boolean>
  /** True when this actor still held the lock and gave it back. */
  release(): Promise<boolean>
  /** Who holds it, for the message of a blocked step. */
  describeHolder(): string
}

/**
 * An in-process mutex shared by the actors of one run, as in the seed's Go code (sync.Mutex):
 * it serializes readers in this process only.
 */
export class LocalMutex {
  holder: ActorName | null = null

  for(actor: ActorName): RowLock {
    return {
      tryAcquire: async () => {
        if (this.holder !== null) return false
        this.holder = actor
        return true
      },
      release: async () => {
        if (this.holder !== actor) return false
        this.holder = null
        return true
      },
      describeHolder: () => `the local lock held by ${this.holder ?? 'nobody'}`,
    }
  }
}

/** TTLs on the server's clock, as sent. */
const REAL_TIME: KeyTtls = {px: (ms) => ms, started: () => {}}

/**
 * A Redis lock: SET key token NX PX ttl to take it, a compare-and-delete script to give it back,
 * so an actor whose lock expired never deletes another's. Its TTL runs on `ttls`' clock.
 */
export function redisLock(redis: RedisStore, key: string, ttlMs: number, ttls: KeyTtls = REAL_TIME): RowLock {
  let token: string | null = null
  return {
    async tryAcquire() {
      const candidate = randomUUID()
      if (!(await redis.setIfAbsent(key, candidate, ttls.px(ttlMs)))) return false
      ttls.started(key, candidate, ttlMs)
      token = candidate
      return true
    },
    async release() {
      if (token === null) return false
      const released = await redis.deleteIfEquals(key, token)
      token = null
      return released
    },
    describeHolder: () => `the Redis lock ${key}`,
  }
}
