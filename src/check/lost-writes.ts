import type {OperationRecord} from '../history/types.js'
import type {CommittedVersion} from './commits.js'

/** Writes the application was told had succeeded whose value MySQL never committed. */
export function countLostWrites(operations: readonly OperationRecord[], versions: readonly CommittedVersion[]): number {
  const committed = new Set(versions.slice(1).map((v) => v.value))
  return operations.filter((op) => op.op === 'write' && op.type === 'ok' && !committed.has(op.value)).length
}
