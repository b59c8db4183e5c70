import type {ReadFinding} from '../check/reads.js'
import type {Validity} from '../check/types.js'
import type {Verdict} from '../check/verdict.js'
import type {StepOf} from '../history/independence.js'
import type {ActorName, HistoryEntry, OperationRecord, StepRecord, Value} from '../history/types.js'
import type {RunExpectation} from '../scenario/types.js'
import type {BlockedActor, Decision, Schedule} from '../schedule/types.js'

/** Everything one run of one scenario showed. Reports read it; `--json` prints a stable view of it. */
export interface RunResult {
  scenario: string
  strategy: string
  source: string
  /** What to pass to `cachesim run` to run this scenario again: its name if built in, else its path. */
  target: string
  /** Command-line flags that changed the scenario, repeated by a replay command. */
  cliFlags: string[]
  schedule: Schedule['kind']
  /** The row and the cached value the run started from (null: no row, no key). */
  initial: {db: Value; cache: Value}
  /** MySQL's committed value after the run (null: no row). */
  db: Value
  /** The cached value after the run, decoded (null: no key). */
  cache: Value
  /** What each actor's in-process (L1) cache held at the end, for an app that shows it. */
  views?: Record<string, Value>
  divergent: boolean
  staleReads: number
  dirtyReads: number
  dbQueries: number
  /** Acknowledged writes whose value MySQL never committed. */
  lostWrites: number
  /** GETs that found nothing in the cache. */
  cacheMisses: number
  /** With a cache TTL: how long after the run the stores agreed again (null: not measured, or never). */
  convergedAfterMs: number | null
  /** Faults injected, as `--fault` writes them. */
  faults: string[]
  /** Faults and delays that never fired: their actor never took that step (that many times). */
  unfired: string[]
  /** The one verdict, composed from every check; the counts above are read from it. */
  verdict: Verdict
  /** verdict.valid: consistent (true), not (false), or 'unknown' (a step's outcome is unknown, or the run could not finish). */
  valid: Validity
  expected: RunExpectation | null
  /** null when the scenario expects nothing, or its delays did not produce the order they are meant to. */
  matchesExpected: boolean | null
  mismatches: string[]
  /** The order the scenario's delays are meant to produce (its `order:`), under delays; else null. */
  intendedOrder: string[] | null
  /** Whether the delays produced `intendedOrder` on this machine (null: nothing to compare). */
  orderAsIntended: boolean | null
  durationMs: number
  /** Time spent in injected delays, summed over actors. */
  injectedDelayMs: number
  /** The choice points on the way (stepped schedules only). */
  decisions: Decision[]
  /** The order's steps as the independence relation sees them (stepped schedules only). */
  released: StepOf[]
  /** The order the servers saw the steps in: replay it with `--order`. */
  order: string[]
  /** Set when the run could not finish: every remaining actor was blocked. */
  stuck: BlockedActor[] | null
  /** Sleepers whose timer steps were cut (stepped.ts, MAX_TIMER_STEPS): some orders of theirs were not tried. */
  timersCut?: ActorName[]
  steps: StepRecord[]
  entries: HistoryEntry[]
  operations: OperationRecord[]
  reads: ReadFinding[]
}
