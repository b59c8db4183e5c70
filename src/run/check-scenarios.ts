import {runExpectation} from '../check/expectation.js'
import {countOf} from '../check/verdict.js'
import {formatValue} from '../history/value.js'
import type {Scenario} from '../scenario/types.js'
import {OrderError, parseOrder} from '../scenario/order.js'
import {DelaySchedule} from '../schedule/delays.js'
import {scriptSelector} from '../schedule/script.js'
import {SteppedSchedule} from '../schedule/stepped.js'
import {type ExploreResult, exploreScenario} from './explore-scenario.js'
import type {RunResult} from './result.js'
import {runScenario} from './run-scenario.js'
import type {Workbench} from './workbench.js'
import type {Workbenches} from './workbenches.js'
import {plural, pluralOrders} from '../util/plural.js'

export interface CheckResult {
  scenario: string
  strategy: string
  source: string
  /** pass: every pinned outcome held; fail: one did not; skip: the scenario pins nothing. */
  status: 'pass' | 'fail' | 'skip'
  /** Why it failed, one phrase each. */
  reasons: string[]
  /** What was seen, in one line. */
  summary: string
  run: RunResult | null
  explore: ExploreResult | null
  durationMs: number
}

export interface CheckOptions {
  benches: Workbenches
  signal: AbortSignal
  maxOrders?: number
  parallel?: number
  onResult?: (result: CheckResult) => void
}

/**
 * Holds every scenario to its `expect:`: the run-level keys by running it once (replaying the
 * order its delays are meant to produce when it pins one, else with its delays in real time),
 * `explore:` by exploring its orders. A scenario without `expect:` is skipped, not passed.
 */
export async function checkScenarios(scenarios: readonly Scenario[], options: CheckOptions): Promise<CheckResult[]> {
    const results: CheckResult[] = []
    for (const scenario of scenarios) {
    const result = await checkScenario(scenario, await options.benches.for(scenario), options)
      results.push(result)
      options.onResult?.(result)
    }
    return results
}

async function checkScenario(scenario: Scenario, bench: Workbench, options: CheckOptions): Promise<CheckResult> {
  const started = performance.now()
  const {signal} = options
  const replayed = runExpectation(scenario.expect) ? await checkRun(scenario, bench, signal) : null
  const run = replayed && 'run' in replayed ? replayed.run : null
  const explore = scenario.expect?.explore
    ? await exploreScenario(scenario, bench, {
        signal,
        keep: 'counts',
        ...(options.maxOrders === undefined ? {} : {maxOrders: options.maxOrders}),
        ...(options.parallel === undefined ? {} : {parallel: options.parallel}),
      })
    : null
  const reasons = [
    ...(replayed && 'error' in replayed ? [`run: its order: cannot be replayed: ${replayed.error}`] : []),
    ...(run?.mismatches.map((m) => `run: ${m}`) ?? []),
    ...(explore?.mismatches.map((m) => `explore: ${m}`) ?? []),
  ]
  const summary = [
    run ? `run${scenario.order ? ' (its order: replayed)' : ''}: ${describeRun(run)}` : null,
    explore ? `explore: ${explore.divergentOrders} of ${pluralOrders(explore.orders, explore.reduced)} divergent${explore.staleOrders ? `, ${explore.staleOrders} with stale reads` : ''}` : null,
  ]
    .filter(Boolean)
    .join('; ')
  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    source: scenario.source,
    status: !replayed && !explore ? 'skip' : reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    summary: summary || 'no expect: to check',
    run,
    explore,
    durationMs: performance.now() - started,
  }
}

/**
 * The run `expect:` speaks of. With `order:` it is replayed one step at a time, so a busy machine
 * cannot stretch a step past a delay's margin and change the outcome; without, the delays run in
 * real time.
 */
async function checkRun(scenario: Scenario, bench: Workbench, signal: AbortSignal): Promise<{run: RunResult} | {error: string}> {
  if (!scenario.order) return {run: await runScenario(scenario, bench, {schedule: (hooks) => new DelaySchedule(scenario.delays, hooks.inProcessWaitMs), signal})}
  const order = parseOrder(scenario.order.join(' '))
  try {
    return {run: await runScenario(scenario, bench, {schedule: (hooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(order), ...hooks}), signal, judge: true})}
  } catch (error) {
    if (error instanceof OrderError) return {error: error.message}
    throw error
  }
}

function describeRun(run: RunResult): string {
  const {verdict} = run
  const state = `MySQL ${run.db === null ? 'no row' : formatValue(run.db)}, Redis ${run.cache === null ? 'no key' : formatValue(run.cache)}`
  const stale = countOf(verdict, 'stale-reads')
  const dirty = countOf(verdict, 'dirty-reads')
  const reads = [stale ? plural(stale, 'stale read') : '', dirty ? plural(dirty, 'dirty read') : ''].filter(Boolean)
  return `${countOf(verdict, 'divergence') > 0 ? 'divergent' : 'consistent'} (${state})${reads.length ? `, ${reads.join(', ')}` : ''}`
}
