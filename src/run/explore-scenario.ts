import {removeAppRows} from '../app/app-run.js'
import {loadedApp} from '../app/load.js'
import {compareExploreExpectation, type ObservedExploration, pinsOrderCounts} from '../check/expectation.js'
import {type VerdictWord, WORDS} from '../check/verdict.js'
import type {ExploreExpectation, Scenario} from '../scenario/types.js'
import {exploreAllOrders, interleavingsOf, type OrderPlan, pctBound, planSelector, type RunOrder, sampleOrders} from '../schedule/explore.js'
import {ordersOfClass} from '../schedule/sleep-set.js'
import type {LockKind} from '../scenario/types.js'
import {SteppedSchedule} from '../schedule/stepped.js'
import {appBench} from './app-bench.js'
import {type BehaviourKeys, ExploreTally, type KeepRuns, type OrderRun} from './explore-tally.js'
import type {RunResult} from './result.js'
import {runScenario} from './run-scenario.js'
import type {Workbench} from './workbench.js'

export const DEFAULT_MAX_ORDERS = 10_000

export interface ExploreScenarioOptions {
  signal: AbortSignal
  lock?: LockKind
  /** Stop enumerating after this many orders. */
  maxOrders?: number
  /** Sample this many orders at random instead of enumerating them all; with `depth`, by PCT (pctSelector). */
  random?: {count: number; seed: number; depth?: number}
  /** Orders run at once, on disjoint rows, keys and connections. */
  parallel?: number
  /** After each run, for progress: orders run so far, and an estimate of the orders in all (at least that many). */
  onRun?: (count: number, estimate: number) => void
  /** Each run as it ends, before it is let go: for a caller that sums up more than the counts (bench explore). */
  onRunResult?: (run: RunResult) => void
  /** Search one shard of the orders (index from 0): see exploreAllOrders. */
  shard?: {index: number; count: number}
  /** What to keep of each order (default `orders`): see KeepRuns. */
  keep?: KeepRuns
  /**
   * One order per class of orders that differ only by swapping steps that commute; false
   * explores every order. Unset: reduced, except for an app, whose actors may share in-process
   * state cachesim cannot see (a module-level cache), so that steps on different servers need
   * not commute. A scenario whose expect: counts orders one by one is always searched in full
   * (pinsOrderCounts).
   */
  reduce?: boolean
}

export interface ExploreResult extends ObservedExploration {
  scenario: string
  strategy: string
  source: string
  mode: 'all' | 'random'
  /**
   * Whether the search was reduced: then `orders` and the other order counts count classes of
   * orders (one order each), not every order. `notReduced` says why not when it was not.
   */
  reduced: boolean
  /** Why a search was not reduced: 'asked' (--no-reduce), 'pinned' (the scenario's expect: counts orders), 'app' (an app, without --reduce), 'sample'; null when it was. */
  notReduced: 'asked' | 'pinned' | 'app' | 'sample' | null
  /** Orders a reduced search ran and did not count: every step that could go had been explored from elsewhere. */
  redundantOrders: number
  /**
   * How many orders the classes explored stand for, when that is known: the orders of each
   * class's steps that keep its dependent steps in place, summed (equal to `orders` in a full
   * search). Null when a step waited for another (its class is not only reorderings) or a class
   * is too long to count.
   */
  ordersRepresented: number | null
  /** Distinct orders among the runs (equal to `orders` when enumerating). */
  distinctOrders: number
  /** Distinct behaviours among the finished runs: the same steps with the same results and effects, up to steps that commute, and the same final state and findings. */
  behaviours: number
  /** Finished orders whose verdict is consistent (no divergence, no stale or dirty read, nothing lost or unknown). */
  consistentOrders: number
  /** Behaviours that left the stores divergent. */
  divergentBehaviours: number
  /** Behaviours with stale reads. */
  staleBehaviours: number
  /** Behaviours with dirty reads. */
  dirtyBehaviours: number
  /**
   * For a sample (--random): runs drawn (repeats were set aside), whether `count` distinct orders
   * were found before the draws ran out, and the number of orders of the first run's steps
   * (n! / (k1! k2! …), an estimate of the space: paths that branch on data or block change it).
   */
  sampled: {
    draws: number
    filled: boolean
    spaceEstimate: number | null
    /** For a PCT sample (--depth): its depth, the steps and actors of the first run, and the least chance that one run finds a given bug of that depth. */
    pct?: {depth: number; steps: number; actors: number; bound: number}
  } | null
  /** For one shard of a search (--shard): which, and its behaviours' keys, which `merge` unites across shards. */
  shard: {index: number; count: number; behaviourKeys: BehaviourKeys} | null
  /** Every run in full, sorted by its order string: only with `keep: 'runs'` (else empty). */
  runs: RunResult[]
  /** Every order without its history, sorted by its order string: with `keep: 'orders'` or `'runs'` (else empty). */
  orderRuns: OrderRun[]
  /** The first impossible orders (by order string), however many there were (`impossibleOrders`). */
  stuckRuns: OrderRun[]
  /** Orders in which a sleeper's timer steps were cut at MAX_TIMER_STEPS: orders past them were not tried. */
  timersCutOrders: number
  /** The shortest finished run of each verdict (divergent, stale, consistent, …), for reports that show one of each. */
  samples: RunResult[]
  /** The shortest divergent run: fewest steps, then fewest switches between actors. */
  witnessRun: RunResult | null
  /** When no order diverged, the shortest with stale or dirty reads, to show what they look like. */
  exampleRun: RunResult | null
  /** The worst verdict of any order that finished (consistent when none did). */
  worst: VerdictWord
  /** Faults that fired in no order at all. */
  unfired: string[]
  expected: ExploreExpectation | null
  matchesExpected: boolean | null
  mismatches: string[]
  durationMs: number
}

/**
 * Runs a scenario under every order of its actors' steps (or a seeded sample of them), each from
 * a fresh reset, ignoring its delays, and sums up what the orders did to the stores. Each run is
 * counted as it ends and let go, unless `keep` asks for more (see KeepRuns).
 */
export async function exploreScenario(scenario: Scenario, bench: Workbench, options: ExploreScenarioOptions): Promise<ExploreResult> {
  const started = performance.now()
  // Runs at once would share the one replica, which a run holds back and lets go: one at a time.
  const parallel = scenario.replica ? 1 : (options.parallel ?? 1)
  const maxOrders = options.maxOrders ?? DEFAULT_MAX_ORDERS
  const tally = new ExploreTally(options.keep ?? 'orders', options.random !== undefined)
  const expected = options.random ? null : (scenario.expect?.explore ?? null)
  const notReduced = options.random
    ? 'sample'
    : options.reduce === false
      ? 'asked'
      : pinsOrderCounts(expected)
        ? 'pinned'
        : options.reduce === undefined && scenario.app
          ? 'app'
          : null
  const reduce = notReduced === null
  let represented: number | null = 0
  let estimate = 0
  const onRun = options.onRun
  const common = {
    signal: options.signal,
    parallel,
    keepRuns: false,
    ...(onRun
      ? {
          onRun: (count: number, pending: number) => {
            estimate = Math.max(count + pending, options.random ? options.random.count : Math.min(estimate, maxOrders))
            onRun(count, estimate)
          },
        }
      : {}),
  }
  let firstOrder: string[] | null = null
  const count = (run: RunResult) => {
    tally.add(run)
    if (represented !== null) represented = reduce ? addNullable(represented, classSize(run)) : represented + 1
    options.onRunResult?.(run)
  }
  const runOrder: RunOrder<RunResult> = async (plan, slot) => {
    const run = await runPlan(scenario, bench, plan, slot, options.signal, options.lock)
    firstOrder ??= run.order
    // A reduced search runs far fewer: its estimate is what it has run and has yet to run.
    if (estimate === 0 && !reduce) estimate = interleavingsOf(run.order)
    return run
  }
  // Slots 1.. ran on rows 2..: what they made goes; slot 0's row is the last run's to look at.
  const removeExtraRows = async () => {
    if (parallel <= 1 || options.signal.aborted) return
    const extra = Array.from({length: parallel - 1}, (_, i) => 2 + i)
    await bench.removeRows(extra)
    if (scenario.app) await removeAppRows(await appBench(bench, loadedApp(scenario.app.file), bench.observer), extra)
  }
  let complete: boolean
  let redundant = 0
  let sampled: ExploreResult['sampled'] = null
  try {
    if (options.random) {
      const {count: wanted, seed, depth} = options.random
      // PCT needs the run's length: one run first (the first order), not counted in the sample.
      const steps = depth === undefined ? 0 : (await runOrder({kind: 'prefix', prefix: []}, 0)).order.length
      const plan = depth === undefined ? undefined : (drawSeed: number): OrderPlan => ({kind: 'pct', seed: drawSeed, depth, steps})
      // PCT at a small depth has few distinct schedules (priorities × change points): a few draws each.
      const drawn = await sampleOrders(runOrder, {...common, count: wanted, seed, accept: count, ...(plan ? {plan, drawsPerSample: 3} : {})})
      complete = drawn.complete
      const actors = scenario.actors.length
      sampled = {
        draws: drawn.draws,
        filled: drawn.filled,
        spaceEstimate: firstOrder ? interleavingsOf(firstOrder) : null,
        ...(depth === undefined ? {} : {pct: {depth, steps, actors, bound: pctBound(actors, steps, depth)}}),
      }
    } else {
      const explored = await exploreAllOrders(runOrder, {...common, maxOrders, reduce, accept: count, ...(options.shard ? {shard: options.shard} : {})})
      complete = explored.complete
      redundant = explored.redundant
    }
  } catch (error) {
    await removeExtraRows().catch(() => {}) // the first error is the one to report
    throw error
  }
  await removeExtraRows()
  tally.sort()
  const witnessRun = tally.witness
  const observed: ObservedExploration = {
    orders: tally.orders,
    impossibleOrders: tally.impossibleOrders,
    divergentOrders: tally.divergentOrders,
    staleOrders: tally.staleOrders,
    dirtyOrders: tally.dirtyOrders,
    witness: witnessRun ? witnessRun.order.join(' ') : null,
    complete,
  }
  // What the file expects of every order says nothing of a sample (expected is null); a shard's is checked once merged.
  const mismatches = expected && !options.shard ? compareExploreExpectation(expected, observed) : []
  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    source: scenario.source,
    mode: options.random ? 'random' : 'all',
    reduced: reduce,
    notReduced,
    redundantOrders: redundant,
    ordersRepresented: options.random ? null : represented,
    ...observed,
    distinctOrders: tally.distinctOrders,
    consistentOrders: tally.consistentOrders,
    sampled,
    shard: options.shard ? {...options.shard, behaviourKeys: tally.behaviourKeys} : null,
    ...tally.behaviourCounts,
    runs: tally.runs,
    orderRuns: tally.orderRuns,
    stuckRuns: tally.stuckRuns,
    timersCutOrders: tally.timersCutOrders,
    samples: WORDS.flatMap((word) => tally.shortestOf.get(word) ?? []),
    witnessRun,
    exampleRun: tally.example,
    worst: tally.worst,
    unfired: tally.unfired,
    expected,
    matchesExpected: expected && !options.shard ? mismatches.length === 0 : null,
    mismatches,
    durationMs: performance.now() - started,
  }
}

/** One run of the scenario, with its steps picked by `plan`, in `slot` (its own row, key and connections). */
function runPlan(
  scenario: Scenario,
  bench: Workbench,
  plan: OrderPlan,
  slot: number,
  signal: AbortSignal,
  lock?: LockKind,
): Promise<RunResult> {
  return runScenario(scenario, bench, {
    schedule: (hooks) => new SteppedSchedule({kind: plan.kind === 'prefix' ? 'explore' : 'random', selector: planSelector(plan), ...hooks}),
    signal,
    rowId: 1 + slot,
    slot,
    ...(lock === undefined ? {} : {lock}),
  })
}

/**
 * The orders a run's class stands for (sleep-set.ts ordersOfClass); null when a step waited for
 * another actor (it was sent before steps that ended before it: the class is not only
 * reorderings of one order) or the run could not finish.
 */
function classSize(run: RunResult): number | null {
  if (run.stuck) return null
  const entries = run.entries
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    if (entry.type !== 'invoke') continue
    const end = entries[i + 1]
    if (!end || end.type === 'invoke' || end.actor !== entry.actor) return null
  }
  return ordersOfClass(run.released)
}

function addNullable(sum: number, add: number | null): number | null {
  return add === null ? null : sum + add
}
