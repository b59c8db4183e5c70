import type {ActorName, HistoryEntry} from '../history/types.js'

/** A value MySQL committed, and the window in which the commit happened. */
export interface CommittedVersion {
  value: number | null
  actor: ActorName | null
  /** When the committing step was sent (ms); -Infinity for the initial row. */
  start: number
  /** When it returned; Infinity when its outcome is unknown (it may or may not have committed). */
  end: number
}

/**
 * Reads the committed versions of the row out of the history, in commit order: an autocommit
 * `db.update` commits within its own step; inside `db.begin` … `db.commit` the last update
 * commits within the commit step; a rollback, a failed commit or a transaction still open at
 * the end commits nothing.
 */
export function committedVersions(entries: readonly HistoryEntry[], initial: number | null): CommittedVersion[] {
  const versions: CommittedVersion[] = [{value: initial, actor: null, start: -Infinity, end: -Infinity}]
  const invoked = new Map<ActorName, HistoryEntry>()
  const inTransaction = new Set<ActorName>()
  const pending = new Map<ActorName, number | null>()

  for (const entry of entries) {
    if (entry.type === 'invoke') {
      invoked.set(entry.actor, entry)
      continue
    }
    const invoke = invoked.get(entry.actor)
    if (!invoke) continue
    invoked.delete(entry.actor)
    const maybe = entry.type === 'info'
    const happened = entry.type === 'ok' || maybe
    const window = {actor: entry.actor, start: invoke.time, end: maybe ? Infinity : entry.time}
    switch (entry.step) {
      case 'db.begin':
        if (happened) inTransaction.add(entry.actor)
        pending.delete(entry.actor)
        break
      case 'db.update': {
        if (!happened) break
        const value = typeof invoke.value === 'number' ? invoke.value : null
        if (inTransaction.has(entry.actor)) pending.set(entry.actor, value)
        else versions.push({value, ...window})
        break
      }
      case 'db.commit':
        if (happened && pending.has(entry.actor)) versions.push({value: pending.get(entry.actor)!, ...window})
        inTransaction.delete(entry.actor)
        pending.delete(entry.actor)
        break
      case 'db.rollback':
        inTransaction.delete(entry.actor)
        pending.delete(entry.actor)
        break
      default:
        break
    }
  }
  return versions.sort((a, b) => a.end - b.end)
}
