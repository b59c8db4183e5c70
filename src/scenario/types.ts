import type {AppRef} from '../app/strategy-of.js'
import type {ActorName, Value} from '../history/types.js'
import type {InjectedDelay} from './delays.js'
import type {Fault} from './faults.js'

/** Which lock a strategy that takes one gets: an in-process mutex, or a Redis key shared beyond the process. */
export type LockKind = 'local' | 'redis'

/**
 * One thing an actor does: a call of the strategy's read or write path; for worker strategies,
 * draining `count` queued writes into MySQL (`drain`) or applying `count` binlog changes to the
 * cache (`sync`); or `lose`, Redis losing cachesim's keys for the row (a restart without
 * persistence).
 */
export type Operation =
  | {kind: 'read'}
  | {kind: 'write'; value: number}
  | {kind: 'drain'; count: number}
  | {kind: 'sync'; count: number}
  | {kind: 'lose'}

export interface ActorSpec {
  name: ActorName
  ops: Operation[]
  /** Start this long after the run starts (real-time schedules only). */
  startAfterMs: number
}

/** What a run is expected to show; every field is optional and only given fields are checked. */
export interface RunExpectation {
  divergent?: boolean
  /** The row's value at the end (an app's: the value the number stands for, see CachesimApp.value). */
  db?: Value
  cache?: Value
  staleReads?: number
  dirtyReads?: number
  dbQueries?: number
  /** Acknowledged writes that never reached MySQL. */
  lostWrites?: number
  /** Cache misses (GETs that found nothing) over the run. */
  cacheMisses?: number
  /** After the actors finish, the stores agree again within this long (TTL-based strategies). */
  convergedWithinMs?: number
  /** What the named actors' in-process (L1) caches hold at the end, for an app that shows them (null: nothing). */
  views?: Record<string, Value>
}

/** A count pinned exactly (2) or by a comparison (">0", "<=3"). */
export type CountExpectation = number | string

/** What exploring every order of a scenario is expected to show. */
export interface ExploreExpectation {
  orders?: CountExpectation
  impossibleOrders?: CountExpectation
  divergentOrders?: CountExpectation
  staleOrders?: CountExpectation
  dirtyOrders?: CountExpectation
  /** The shortest divergent order, as `cachesim explore` prints it. */
  witness?: string
}

/** A scenario's `expect:`: a run's outcome (its delays), and optionally what explore finds. */
export interface Expectation extends RunExpectation {
  explore?: ExploreExpectation
}

/**
 * A race, as data: initial state, actors and what each does, delays at named steps, and the
 * outcome the literature gives.
 */
export interface Scenario {
  name: string
  description: string
  /** Where it was loaded from (`scenarios/<file>` for built-ins, else the path given), for messages. */
  source: string
  /** Shipped with cachesim: `cachesim run <name>` finds it from anywhere. */
  builtIn: boolean
  /** The column of `cachesim matrix` this scenario fills (its race or fault), when it is one. */
  race?: string
  /** Flags that changed it on the command line (--fault, --ddd-delay, --lock): a replay command repeats them. */
  cliFlags: string[]
  /** The built-in strategy's name, or the app's name when `app` is given. */
  strategy: string
  /** A user's app module raced in place of a built-in strategy (`app:` in the file, or --app). */
  app?: AppRef
  lock: LockKind
  lockTtlMs: number
  /** Time to live of cache SETs; none when absent. */
  cacheTtlMs?: number
  /** delayed-double-delete's wait before its second DEL. */
  doubleDeleteDelayMs: number
  /** How long a lease lives (lease strategy). */
  leaseTtlMs: number
  initial: {db: number | null; cache: number | null}
  actors: ActorSpec[]
  /**
   * Reads from a lagging replica: these actors' SELECTs go to a replica of the MySQL server,
   * which applies nothing from the start of the run until `lagMs` later (null: until the run
   * ends; one step at a time, always the whole run).
   */
  replica?: {readers: string[]; lagMs: number | null}
  delays: InjectedDelay[]
  /**
   * The order the delays are meant to produce, as `actor:step` tokens (`order:`): `run` says when
   * they did not produce it on this machine, and `check` judges the run by replaying it.
   */
  order?: string[]
  faults: Fault[]
  expect?: Expectation
}
