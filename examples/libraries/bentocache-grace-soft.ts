/**
 * bentocache 1.x, Redis driver (ioredis) as the only layer (L2), with grace periods and a soft
 * timeout of 200 ms: the read path is `getOrSet({key, factory, ttl: '1m', grace: '6h', timeout:
 * 200})`, the write path UPDATE then `delete({key})` (bentocache-grace.ts with another timeout).
 *
 * With an entry past its ttl and within its grace, getOrSet runs the factory (SELECT) in the
 * foreground but waits for it at most 200 ms (p-timeout's timer): the factory that answers in
 * time has its value returned and SET; one that does not has the stale value returned, and goes
 * on in the background, its SET landing when it lands. Under a stepped schedule that timer is
 * on the run's clock (cachesim keeps an app's timers there): it fires only where time passes, at
 * a `pause` longer than 200 ms, never because a held step took long on the machine.
 */
import {graceApp} from './bentocache-grace.js'

export default graceApp(
  'bentocache-grace-soft',
  "bentocache 1.x, L2 Redis only, grace 6h, soft timeout 200 ms: read getOrSet(key, SELECT, 1m) (the factory waited for 200 ms, then the stale value answered and the refresh left in the background); write UPDATE then delete(key)",
  200,
)
