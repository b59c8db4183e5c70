import {CACHE_ASIDE_READ_STEPS, cacheAsideRead} from './cache-aside-read.js'
import type {Actor, RowChange, Strategy} from './types.js'

/**
 * Change capture, as in the seed's binlog → pub/sub sketch: the writer only updates MySQL; a
 * sync worker (an actor with `op: sync`) reads each row change from the binlog and deletes the
 * key. Readers are cache-aside. Until the sync's DEL, readers hit the old value; and a reader's
 * stale SET that lands after the DEL stays, as with update-then-delete.
 */
export const binlogInvalidate: Strategy = {
  name: 'binlog-invalidate',
  summary: 'write: UPDATE MySQL only; a sync worker reads the binlog and DELs the key (needs the ROW binlog)',
  steps: [...CACHE_ASIDE_READ_STEPS, 'db.update'],
  workerSteps: ['binlog.read', 'cache.del'],
  needsBinlog: true,
  read: cacheAsideRead,
  async write(actor, value) {
    await actor.db.update(value)
  },
  async sync(actor, count) {
    for (let i = 0; i < count; i++) {
      await readChange(actor)
      await actor.cache.del()
    }
  },
}

async function readChange(actor: Actor): Promise<RowChange> {
  const binlog = actor.stores.binlog
  if (!binlog) throw new Error('no binlog reader: this strategy needs a MySQL with the ROW binlog on')
  return actor.step(
    'binlog.read',
    async (context) => {
      // A change committed before this look must have arrived before we decide it is not there.
      const look = async () => {
        await binlog.caughtUp(context.signal)
        return binlog.take()
      }
      const change = await context.waitUntil(look, 'waits for a change in the binlog', actor.settings.workerWaitMs)
      context.note(`${change.type} at ${change.position}`)
      return change
    },
    {record: (change) => change.value},
  )
}
