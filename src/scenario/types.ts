import type {ActorName} from '../history/types.js'
import type {InjectedDelay} from '../schedule/delays.js'
import type {LockKind} from '../schedule/locks.js'

/** One call of a strategy's read path or write path. */
export type Operation = {kind: 'read'} | {kind: 'write'; value: number}

export interface ActorSpec {
  name: ActorName
  ops: Operation[]
  /** Start this long after the run starts (real-time schedules only). */
  startAfterMs: number
}

/** What a run is expected to show; every field is optional and only given fields are checked. */
export interface RunExpectation {
  divergent?: boolean
  db?: number | null
  cache?: number | null
  staleReads?: number
  dirtyReads?: number
  dbQueries?: number
}

/**
 * A race, as data: initial state, actors and what each does, delays at named steps, and the
 * outcome the literature gives.
 */
export interface Scenario {
  name: string
  description: string
  /** Where it was loaded from (`built-in` or a path), for messages. */
  source: string
  strategy: string
  lock: LockKind
  lockTtlMs: number
  /** Time to live of cache SETs; none when absent. */
  cacheTtlMs?: number
  initial: {db: number | null; cache: number | null}
  actors: ActorSpec[]
  delays: InjectedDelay[]
  expect?: RunExpectation
}
