import type {OperationRecord} from '../history/types.js'
import type {CommittedVersion} from './commits.js'

export type ReadAnomaly = 'stale' | 'dirty'

export interface ReadFinding {
  actor: string
  value: number | null
  anomaly: ReadAnomaly
  /** The value the read should have returned at the least: the last one committed before it began. */
  latest: number | null
  startMs: number
  /** For a stale read: how long after that last commit the read began (ms). */
  behindMs: number
}

/**
 * Classifies each read the application got back:
 * - fine: the last value committed before the read began, or one whose commit overlapped it;
 * - stale: an older committed value;
 * - dirty: a value that was not committed by the time the read returned (maybe never).
 */
export function checkReads(operations: readonly OperationRecord[], versions: readonly CommittedVersion[]): ReadFinding[] {
  const findings: ReadFinding[] = []
  for (const read of operations) {
    if (read.op !== 'read' || read.type !== 'ok') continue
    const before = versions.filter((v) => v.end < read.startMs)
    const latest = before.at(-1) ?? versions[0]!
    const concurrent = versions.filter((v) => v.end >= read.startMs && v.start <= read.endMs)
    if (read.value === latest.value || concurrent.some((v) => v.value === read.value)) continue
    const anomaly: ReadAnomaly = before.some((v) => v.value === read.value) ? 'stale' : 'dirty'
    findings.push({actor: read.actor, value: read.value, anomaly, latest: latest.value, startMs: read.startMs, behindMs: read.startMs - latest.end})
  }
  return findings
}
