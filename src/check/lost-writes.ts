import type {OperationRecord} from '../history/types.js'
import {sameValue} from '../history/value.js'
import {type CommittedVersion, committedVersions} from './commits.js'
import type {Check} from './types.js'

/** Writes the application was told had succeeded whose value MySQL never committed. */
export function countLostWrites(operations: readonly OperationRecord[], versions: readonly CommittedVersion[]): number {
  const committed = versions.slice(1).map((v) => v.value)
  return operations.filter((op) => op.op === 'write' && op.type === 'ok' && !committed.some((value) => sameValue(value, op.value))).length
}

export const checkLostWrites: Check = ({entries, operations, initial}) => {
  const lost = countLostWrites(operations, committedVersions(entries, initial.db))
  return {check: 'lost-writes', valid: lost === 0, count: lost}
}
