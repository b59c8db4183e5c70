/**
 * The history: every step of every actor, in Jepsen's shape. A step is an `invoke` entry when
 * the schedule releases it and one completion entry when its store call ends: `ok` (it
 * happened), `fail` (it did not happen) or `info` (unknown: a timeout, a dropped connection).
 */

/** The name of one actor: a capital letter by convention (A, B, C), as in the seed's thread A and B. */
export type ActorName = string

/** One store operation, named `<store>.<verb>`; strategies declare the names they use. */
export type StepName = string

/**
 * A value as the checks compare it: the row's number for the built-in strategies, any JSON an
 * app keeps (an object, a string). null is a miss, an absent row, or nothing.
 */
export type Value = null | boolean | number | string | Value[] | {[field: string]: Value}

/** What a step read or wrote. */
export type StepValue = Value

/**
 * What a step did to the stores, as anyone else could see it right after the step: the row's
 * committed value when the step changed it (an autocommit UPDATE, a COMMIT), the cached value
 * (decoded) when it changed the key. A field that is absent was not changed; null means no row,
 * or no key. A built-in step says what it did; an app's step is observed on the servers.
 */
export interface StepEffect {
  db?: Value
  cache?: Value
}

export type EntryType = 'invoke' | 'ok' | 'fail' | 'info'

export interface HistoryEntry {
  /** Position in the history, from 0. */
  index: number
  /** Milliseconds since the run started. */
  time: number
  type: EntryType
  actor: ActorName
  step: StepName
  /** The value a write step sends (on invoke) or the value a step returned (on ok). */
  value: StepValue
  /** Why the step failed, for fail and info entries. */
  error?: string
  /** What else the step learned or did, in a few words ("v3", "lease taken", "rejected: older"). */
  note?: string
  /** On a completion: what the step did to the stores (absent: nothing). */
  effect?: StepEffect
  /** On an invoke: the step only reads (it commutes with another such step; history/independence.ts). */
  readOnly?: boolean
}

/** One step with its invoke and completion folded together, as reports show it. */
export interface StepRecord {
  index: number
  actor: ActorName
  step: StepName
  /** ok, fail, info; `pending` when the run ended before the step did. */
  type: 'ok' | 'fail' | 'info' | 'pending'
  value: StepValue
  startMs: number
  endMs: number | null
  error?: string
  note?: string
  effect?: StepEffect
}

/** An application-level operation of an actor: one call of a strategy's read or write path. */
export interface OperationRecord {
  actor: ActorName
  op: 'read' | 'write' | 'drain' | 'sync' | 'lose'
  /** For a write, the value written; for a read, the value returned (null: nothing found). */
  value: Value
  type: 'ok' | 'fail' | 'info'
  startMs: number
  endMs: number
  error?: string
}
