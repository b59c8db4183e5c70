import type {VerdictWord} from '../check/verdict.js'
import type {StepRecord, Value} from '../history/types.js'
import type {ExploreResult} from '../run/explore-scenario.js'
import type {OrderRun} from '../run/explore-tally.js'
import type {RunResult} from '../run/result.js'
import type {ExploreExpectation, RunExpectation} from '../scenario/types.js'

/** One step in `--json` output. Field names are an interface: add, never rename. */
export interface StepJson {
  index: number
  actor: string
  step: string
  /** ok, fail, info (outcome unknown), or pending (the run ended first). */
  type: StepRecord['type']
  value: StepRecord['value']
  startMs: number
  endMs: number | null
  error?: string
  /** What the step noted: a version, an expiry, whom a PUBLISH was delivered to, … */
  note?: string
}

/** One run in `--json` output. Field names are an interface: add, never rename. */
export interface RunJson {
  scenario: string
  strategy: string
  source: string
  schedule: RunResult['schedule']
  initial: RunResult['initial']
  db: Value
  cache: Value
  /** What each actor's in-process (L1) cache held at the end (apps with peek only). */
  views?: Record<string, Value>
  /** consistent, divergent, lost (writes), stale (reads), dirty (reads), unknown (a step's outcome is unknown), or impossible (could not finish). */
  verdict: Verdict
  divergent: boolean
  staleReads: number
  dirtyReads: number
  dbQueries: number
  lostWrites: number
  cacheMisses: number
  /** With a cache TTL: ms until the stores agreed again after the run (null: not measured, or never). */
  convergedAfterMs: number | null
  /** Jepsen's answer: true, false, or 'unknown' (a step's outcome is unknown). */
  valid: boolean | 'unknown'
  expected: RunExpectation | null
  matchesExpected: boolean | null
  mismatches: string[]
  /** The order the scenario's delays are meant to produce (its `order:`), under delays; else null. */
  intendedOrder: string | null
  /** false: the delays did not produce intendedOrder on this machine, and the run is not held to expect: (null: nothing to compare). */
  orderAsIntended: boolean | null
  durationMs: number
  injectedDelayMs: number
  /** The order the servers saw the steps in; `cachesim run <scenario> --order "<order>"` replays it. */
  order: string
  /** Faults and delays that never fired (their actor never took that step). */
  unfired: string[]
  /** Actors left blocked when the run could not finish (null when it finished). */
  stuck: {actor: string; step: string; reason: string}[] | null
  history: StepJson[]
}

export function toRunJson(run: RunResult): RunJson {
  return {
    ...toOrderJson(run),
    expected: run.expected,
    matchesExpected: run.matchesExpected,
    mismatches: run.mismatches,
    intendedOrder: run.intendedOrder === null ? null : run.intendedOrder.join(' '),
    orderAsIntended: run.orderAsIntended,
    history: run.steps.map((s) => {
      const step: StepJson = {
        index: s.index,
        actor: s.actor,
        step: s.step,
        type: s.type,
        value: s.value,
        startMs: round(s.startMs),
        endMs: s.endMs === null ? null : round(s.endMs),
      }
      if (s.error !== undefined) step.error = s.error
      if (s.note !== undefined) step.note = s.note
      return step
    }),
  }
}

/** One order without its history, as `explore --json` lists every order. */
export function toOrderJson(run: OrderRun): OrderJson {
  return {
    scenario: run.scenario,
    strategy: run.strategy,
    source: run.source,
    schedule: run.schedule,
    initial: run.initial,
    db: run.db,
    cache: run.cache,
    ...(run.views ? {views: run.views} : {}),
    verdict: verdictOf(run),
    divergent: run.divergent,
    staleReads: run.staleReads,
    dirtyReads: run.dirtyReads,
    dbQueries: run.dbQueries,
    lostWrites: run.lostWrites,
    cacheMisses: run.cacheMisses,
    convergedAfterMs: run.convergedAfterMs === null ? null : round(run.convergedAfterMs),
    valid: run.valid,
    durationMs: round(run.durationMs),
    injectedDelayMs: run.injectedDelayMs,
    order: run.order.join(' '),
    unfired: run.unfired,
    stuck: run.stuck,
  }
}

export type Verdict = VerdictWord

/** The one word for a run: the worst thing it showed (its verdict's word). */
export function verdictOf(run: OrderRun): Verdict {
  return run.verdict.word
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

/** One order in `explore --json`: a run without its step-by-step history. */
export type OrderJson = Omit<RunJson, 'history' | 'expected' | 'matchesExpected' | 'mismatches' | 'intendedOrder' | 'orderAsIntended'>

/** One explored scenario in `explore --json`. Field names are an interface: add, never rename. */
export interface ExploreJson {
  scenario: string
  strategy: string
  source: string
  /** all: every order was enumerated; random: a seeded sample. */
  mode: 'all' | 'random'
  /** False when --max-orders stopped the search: counts are then lower bounds. */
  complete: boolean
  /**
   * True when one order per class of orders that differ only by swapping commuting steps was
   * explored (the default): `orders` and the other order counts then count classes.
   */
  reduced: boolean
  /** Why the search was not reduced: asked (--no-reduce), pinned (the scenario's expect: counts orders), sample (--random); null when it was. */
  notReduced: ExploreResult['notReduced']
  /** Orders a reduced search ran without counting them: their class was explored by another order. */
  redundantOrders: number
  /** How many orders the orders explored stand for, when known (every order, in a full search). */
  ordersRepresented: number | null
  orders: number
  distinctOrders: number
  /** For --random: draws made (repeats set aside), whether the sample was filled, and the estimated number of orders. */
  sampled: ExploreResult['sampled']
  /** For one shard of a search (--shard i/n, index from 0): its behaviours' keys, for `cachesim merge`. */
  shard?: ExploreResult['shard']
  /** Distinct behaviours among the orders that finished: the same steps with the same results and effects, up to steps that commute, and the same final state and findings. */
  behaviours: number
  divergentBehaviours: number
  staleBehaviours: number
  dirtyBehaviours: number
  impossibleOrders: number
  /** Orders in which a sleeper's timer steps were cut (an app that changes a store on every wake): present when any were. */
  timersCutOrders?: number
  divergentOrders: number
  staleOrders: number
  dirtyOrders: number
  /** The shortest divergent order (fewest steps, then fewest switches between actors). */
  witness: string | null
  expected: ExploreExpectation | null
  matchesExpected: boolean | null
  mismatches: string[]
  durationMs: number
  /** The witness run with its history. */
  witnessRun: RunJson | null
  /** When no order diverged: the shortest with stale or dirty reads, with its history. */
  exampleRun: RunJson | null
  /** Faults that fired in no order. */
  unfired: string[]
  runs: OrderJson[]
}

export function toExploreJson(result: ExploreResult): ExploreJson {
  return {
    scenario: result.scenario,
    strategy: result.strategy,
    source: result.source,
    mode: result.mode,
    complete: result.complete,
    reduced: result.reduced,
    notReduced: result.notReduced,
    redundantOrders: result.redundantOrders,
    ordersRepresented: result.ordersRepresented,
    orders: result.orders,
    distinctOrders: result.distinctOrders,
    sampled: result.sampled,
    ...(result.shard ? {shard: result.shard} : {}),
    behaviours: result.behaviours,
    divergentBehaviours: result.divergentBehaviours,
    staleBehaviours: result.staleBehaviours,
    dirtyBehaviours: result.dirtyBehaviours,
    impossibleOrders: result.impossibleOrders,
    ...(result.timersCutOrders > 0 ? {timersCutOrders: result.timersCutOrders} : {}),
    divergentOrders: result.divergentOrders,
    staleOrders: result.staleOrders,
    dirtyOrders: result.dirtyOrders,
    witness: result.witness,
    expected: result.expected,
    matchesExpected: result.matchesExpected,
    mismatches: result.mismatches,
    durationMs: round(result.durationMs),
    witnessRun: result.witnessRun ? toRunJson(result.witnessRun) : null,
    exampleRun: result.exampleRun ? toRunJson(result.exampleRun) : null,
    unfired: result.unfired,
    runs: result.orderRuns.map(toOrderJson),
  }
}
