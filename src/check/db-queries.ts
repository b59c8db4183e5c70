import type {HistoryEntry} from '../history/types.js'

/** Statements the actors sent to MySQL (every db.* step that was released). */
export function countDbQueries(entries: readonly HistoryEntry[]): number {
  return entries.filter((e) => e.type === 'invoke' && e.step.startsWith('db.')).length
}
