import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Strategy} from './types.js'

/**
 * DEL, update MySQL, wait, DEL again: the second DEL removes a stale value a reader put back
 * while the update was going on — if that SET lands inside the wait. Each DEL costs a miss.
 */
export const delayedDoubleDelete: Strategy = {
  name: 'delayed-double-delete',
  summary: 'write: DEL, UPDATE MySQL, wait (--ddd-delay), DEL again; a stale SET after the second DEL still sticks',
  steps: [...CACHE_ASIDE_READ_STEPS, 'cache.del', 'db.update', 'wait'],
  knobs: ['doubleDeleteDelayMs'],
  read: cacheAsideRead,
  async write(actor, value) {
    await actor.cache.del()
    await actor.db.update(value)
    // Under explore only the order matters, so the wait is a step that takes no time.
    await actor.step('wait', async (context) => {
      await context.sleep(actor.settings.doubleDeleteDelayMs)
      context.note(`${actor.settings.doubleDeleteDelayMs} ms`)
    })
    await actor.cache.del()
  },
}
