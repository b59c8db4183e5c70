import type {OperationRecord, Value} from '../history/types.js'
import {sameValue} from '../history/value.js'
import {type CommittedVersion, committedVersions} from './commits.js'
import type {Check, Observation} from './types.js'

export type ReadAnomaly = 'stale' | 'dirty'

export interface ReadFinding {
  actor: string
  value: Value
  anomaly: ReadAnomaly
  /** The value the read should have returned at the least: the last one committed before it began. */
  latest: Value
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
    const got = (v: CommittedVersion) => sameValue(v.value, read.value)
    if (got(latest) || concurrent.some(got)) continue
    const anomaly: ReadAnomaly = before.some(got) ? 'stale' : 'dirty'
    findings.push({actor: read.actor, value: read.value, anomaly, latest: latest.value, startMs: read.startMs, behindMs: read.startMs - latest.end})
  }
  return findings
}

/** The reads of one observation, classified. */
export function readFindings({entries, operations, initial}: Observation): ReadFinding[] {
  return checkReads(operations, committedVersions(entries, initial.db))
}

function countReads(anomaly: ReadAnomaly): Check {
  return (observation) => {
    const count = readFindings(observation).filter((r) => r.anomaly === anomaly).length
    return {check: anomaly === 'stale' ? 'stale-reads' : 'dirty-reads', valid: count === 0, count}
  }
}

export const checkStaleReads = countReads('stale')
export const checkDirtyReads = countReads('dirty')
