import type {Strategy} from './types.js'
import {versionedCas, versionedRead, versionedUpdate} from './versioned-cas.js'

/**
 * versioned-cas with a bare DEL where the tombstone should be: with nothing left in the key to
 * compare against, a late fill of the old version is accepted, and the race comes back.
 */
export const versionedCasBareDel: Strategy = {
  name: 'versioned-cas-bare-del',
  summary: 'versioned-cas, but writes DEL the key instead of leaving a tombstone: the stale refill returns',
  steps: ['cache.get', 'db.select', 'cache.fill', 'db.update', 'cache.del'],
  read: versionedRead,
  async write(actor, value) {
    await versionedUpdate(actor, value)
    await actor.cache.del()
  },
  decodeCache: versionedCas.decodeCache!,
  encodeCache: versionedCas.encodeCache!,
}
