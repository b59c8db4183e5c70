import {compareExploreExpectation, type ObservedExploration} from '../check/expectation.js'
import {behaviourKey} from '../history/behaviour.js'
import {type VerdictWord, worstWord} from '../check/verdict.js'
import type {ExploreExpectation, Scenario} from '../scenario/types.js'
import {type Explored, exploreAllOrders, interleavingsOf, type OrderPlan, planSelector, type RunOrder, sampleOrders, switches} from '../schedule/explore.js'
import type {LockKind} from '../scenario/types.js'
import {SteppedSchedule} from '../schedule/stepped.js'
import type {RunResult} from './result.js'
import {runScenario} from './run-scenario.js'
import type {Workbench} from './workbench.js'

export const DEFAULT_MAX_ORDERS = 10_000

export interface ExploreScenarioOptions {
  signal: AbortSignal
  lock?: LockKind
  /** Stop enumerating after this many orders. */
  maxOrders?: number
  /** Sample this many orders at random instead of enumerating them all. */
  random?: {count: number; seed: number}
  /** Orders run at once, on disjoint rows, keys and connections. */
  parallel?: number
  /** After each run, for progress: orders run so far, and an estimate of the orders in all (at least that many). */
  onRun?: (count: number, estimate: number) => void
}

export interface ExploreResult extends ObservedExploration {
  scenario: string
  strategy: string
  source: string
  mode: 'all' | 'random'
  /** Distinct orders among the runs (equal to `orders` when enumerating). */
  distinctOrders: number
  /** Distinct behaviours among the finished runs: the same steps with the same results and effects, up to steps that commute, and the same final state and findings. */
  behaviours: number
  /** Behaviours that left the stores divergent. */
  divergentBehaviours: number
  /** Behaviours with stale reads. */
  staleBehaviours: number
  /** Behaviours with dirty reads. */
  dirtyBehaviours: number
  /** Every run, sorted by its order string. */
  runs: RunResult[]
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
 * a fresh reset, ignoring its delays, and sums up what the orders did to the stores.
 */
export async function exploreScenario(scenario: Scenario, bench: Workbench, options: ExploreScenarioOptions): Promise<ExploreResult> {
  const started = performance.now()

  // Runs at once would share the one replica, which a run holds back and lets go: one at a time.
  const parallel = scenario.replica ? 1 : (options.parallel ?? 1)
  const maxOrders = options.maxOrders ?? DEFAULT_MAX_ORDERS
  let estimate = 0
  const onRun = options.onRun
  const common = {
    signal: options.signal,
    parallel,
    ...(onRun
      ? {
          onRun: (count: number, pending: number) => {
            estimate = Math.max(count + pending, options.random ? options.random.count : Math.min(estimate, maxOrders))
            onRun(count, estimate)
          },
        }
      : {}),
  }
  const runOrder: RunOrder<RunResult> = async (plan, slot) => {
    const run = await runPlan(scenario, bench, plan, slot, options.signal, options.lock)
    if (estimate === 0) estimate = interleavingsOf(run.order)
    return run
  }
  // Slots 1.. ran on rows 2..: what they made goes; slot 0's row is the last run's to look at.
  const removeExtraRows = () => (parallel > 1 && !options.signal.aborted ? bench.removeRows(Array.from({length: parallel - 1}, (_, i) => 2 + i)) : Promise.resolve())
  let explored: Explored<RunResult>
  try {
    explored = options.random
      ? await sampleOrders(runOrder, {...common, ...options.random})
      : await exploreAllOrders(runOrder, {...common, maxOrders})
  } catch (error) {
    await removeExtraRows().catch(() => {}) // the first error is the one to report
    throw error
  }
  await removeExtraRows()
  const {runs, complete} = explored

  runs.sort((a, b) => compareText(a.order.join(' '), b.order.join(' ')))
  const finished = runs.filter((r) => !r.stuck)
  const witnessRun = shortest(finished.filter((r) => r.divergent))
  const exampleRun = witnessRun ? null : shortest(finished.filter((r) => r.staleReads + r.dirtyReads > 0))
  const unfired = runs.length === 0 ? [] : runs[0]!.unfired.filter((what) => what.startsWith('fault') && runs.every((r) => r.unfired.includes(what)))
  const observed: ObservedExploration = {
    orders: runs.length,
    impossibleOrders: runs.length - finished.length,
    divergentOrders: finished.filter((r) => r.divergent).length,
    staleOrders: finished.filter((r) => r.staleReads > 0).length,
    dirtyOrders: finished.filter((r) => r.dirtyReads > 0).length,
    witness: witnessRun ? witnessRun.order.join(' ') : null,
    complete,
  }
  // What the file expects of every order says nothing of a sample.
  const expected = options.random ? null : (scenario.expect?.explore ?? null)
  const mismatches = expected ? compareExploreExpectation(expected, observed) : []
  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    source: scenario.source,
    mode: options.random ? 'random' : 'all',
    ...observed,
    distinctOrders: new Set(runs.map((r) => r.order.join(' '))).size,
    ...countBehaviours(finished),
    runs,
    witnessRun,
    exampleRun,
    worst: worstWord(finished.map((r) => r.verdict.word)),
    unfired,
    expected,
    matchesExpected: expected ? mismatches.length === 0 : null,
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
    schedule: (hooks) => new SteppedSchedule({kind: plan.kind === 'random' ? 'random' : 'explore', selector: planSelector(plan), ...hooks}),
    signal,
    rowId: 1 + slot,
    slot,
    ...(lock === undefined ? {} : {lock}),
  })
}

function countBehaviours(finished: readonly RunResult[]): Pick<ExploreResult, 'behaviours' | 'divergentBehaviours' | 'staleBehaviours' | 'dirtyBehaviours'> {
  const keys = finished.map((r) => ({run: r, key: behaviourKey(r)}))
  const distinct = (which: (r: RunResult) => boolean) => new Set(keys.filter((k) => which(k.run)).map((k) => k.key)).size
  return {
    behaviours: distinct(() => true),
    divergentBehaviours: distinct((r) => r.divergent),
    staleBehaviours: distinct((r) => r.staleReads > 0),
    dirtyBehaviours: distinct((r) => r.dirtyReads > 0),
  }
}

function shortest(runs: RunResult[]): RunResult | null {
  let best: RunResult | null = null
  for (const run of runs) {
    if (!best) {
      best = run
      continue
    }
    const byLength = run.order.length - best.order.length
    const bySwitches = switches(run.order) - switches(best.order)
    if (byLength < 0 || (byLength === 0 && (bySwitches < 0 || (bySwitches === 0 && compareText(run.order.join(' '), best.order.join(' ')) < 0)))) {
      best = run
    }
  }
  return best
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
