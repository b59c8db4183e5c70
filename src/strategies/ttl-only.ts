import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Strategy} from './types.js'
import {updateThenUpdate} from './update-then-update.js'

/**
 * update-then-update with a TTL on every SET: the same races, but whatever they break mends
 * itself when the key expires. How stale, for how long, is the TTL's to say.
 */
export const ttlOnly: Strategy = {
  name: 'ttl-only',
  summary: 'update-then-update with a TTL on every SET (default 1 s): divergent after a race, converged within the TTL',
  steps: [...CACHE_ASIDE_READ_STEPS, 'db.update'],
  read: cacheAsideRead,
  write: updateThenUpdate.write,
  defaultCacheTtlMs: 1000,
}
