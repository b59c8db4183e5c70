import type {HistoryEntry, OperationRecord, Value} from '../history/types.js'

/**
 * A check's answer, after Jepsen's checkers: true, false, or 'unknown' when the check could not
 * tell (a step whose outcome is unknown, a check that threw). false beats unknown beats true.
 */
export type Validity = true | false | 'unknown'

export function composeValidity(values: readonly Validity[]): Validity {
  if (values.includes(false)) return false
  if (values.includes('unknown')) return 'unknown'
  return true
}

/** The state both stores were left in, read by an observer after every actor finished. */
export interface FinalState {
  db: Value
  cache: Value
  /** What each actor's in-process (L1) cache holds for the row, for an app that shows it (peek). */
  views?: Record<string, Value>
}

/** What every check reads: the history of one run and the stores' state before and after it. */
export interface Observation {
  entries: readonly HistoryEntry[]
  operations: readonly OperationRecord[]
  initial: FinalState
  final: FinalState
  /** The run could not finish: every remaining actor was blocked. */
  stuck: boolean
}

/** The name of each check, which is also the word a run gets when this check is the worst it failed. */
export type CheckName = 'completed' | 'divergence' | 'lost-writes' | 'stale-reads' | 'dirty-reads' | 'certain'

/** One check's answer, with how many anomalies it found (0 when valid). */
export interface CheckResult {
  check: CheckName
  valid: Validity
  count: number
}

/** A check, after Jepsen's `check(test, history) → {valid?}`: a pure reader of one observation. */
export type Check = (observation: Observation) => CheckResult
