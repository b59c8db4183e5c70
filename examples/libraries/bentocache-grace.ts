/**
 * bentocache 1.x, Redis driver (ioredis) as the only layer (L2), with grace periods and a soft
 * timeout of 0: the read path is `getOrSet({key, factory, ttl: '1m', grace: '6h', timeout: 0})`,
 * the write path UPDATE then `delete({key})`.
 *
 * With grace on and `timeout: 0`, an entry past its ttl (but within its grace) is returned at
 * once and refreshed in the background: the factory's SELECT and the SET of what it found go
 * out after getOrSet has resolved. Those trailing calls are still the reader's steps (the
 * operation ends only once they have), ordered by the schedule like any other. `timeout: 0` is
 * bentocache's stale-while-revalidate path (`shouldSwr`): the factory is started and the stale
 * value returned at once, with no timer racing the factory. A soft timeout above 0 races
 * p-timeout's timer against the factory's held steps: `bentocache-grace-soft.ts` (this set-up
 * with `timeout: 200`), whose timer cachesim keeps on the run's clock.
 *
 * The cached value a scenario starts with (`initial: {cache: 100}`) is written as bentocache
 * writes an entry, with its logical expiration a minute in the past: a warm cache whose entry's
 * ttl has run out and whose grace has not. No clock needs to move for the grace path to be
 * taken, and which path is taken does not depend on how fast the machine is.
 */
import type {CachesimApp} from '../../src/app/types.js'
import bentocache, {l2Only} from './bentocache.js'

/** The set-up with a soft timeout of `timeoutMs` (0 here; bentocache-grace-soft.ts: 200). */
export function graceApp(name: string, summary: string, timeoutMs: number): CachesimApp<number> {
  return {
    ...bentocache,
    name,
    summary,
    // Past its ttl (a minute ago), within its grace: getOrSet serves it and refreshes it.
    encode: (value) => JSON.stringify({value, createdAt: Date.now() - 120_000, logicalExpiration: Date.now() - 60_000}),
    create: l2Only({grace: '6h', timeout: timeoutMs}),
  }
}

export default graceApp(
  'bentocache-grace',
  "bentocache 1.x, L2 Redis only, grace 6h, soft timeout 0: read getOrSet(key, SELECT, 1m) (stale at once, refreshed in the background); write UPDATE then delete(key)",
  0,
)
