import type {ActorName, HistoryEntry, Value} from '../history/types.js'

/** A value MySQL committed, and the window in which the commit happened. */
export interface CommittedVersion {
  value: Value
  actor: ActorName | null
  /** When the committing step was sent (ms); -Infinity for the initial row. */
  start: number
  /** When it returned; Infinity when its outcome is unknown (it may or may not have committed). */
  end: number
}

/**
 * The committed versions of the row, in commit order, read from the steps' effects: a step whose
 * completion says what the row's committed value became (an autocommit UPDATE, a COMMIT) adds
 * one. A step whose outcome is unknown (info) may have committed at any time after it was sent.
 */
export function committedVersions(entries: readonly HistoryEntry[], initial: Value): CommittedVersion[] {
  const versions: CommittedVersion[] = [{value: initial, actor: null, start: -Infinity, end: -Infinity}]
  const invoked = new Map<ActorName, HistoryEntry>()
  for (const entry of entries) {
    if (entry.type === 'invoke') {
      invoked.set(entry.actor, entry)
      continue
    }
    const invoke = invoked.get(entry.actor)
    invoked.delete(entry.actor)
    if (!invoke || entry.effect === undefined || !('db' in entry.effect)) continue
    versions.push({value: entry.effect.db!, actor: entry.actor, start: invoke.time, end: entry.type === 'info' ? Infinity : entry.time})
  }
  return versions.sort((a, b) => a.end - b.end)
}
