import {runExpectation} from '../check/expectation.js'
import {countOf} from '../check/verdict.js'
import {formatValue} from '../history/value.js'
import type {Scenario} from '../scenario/types.js'
import {DelaySchedule} from '../schedule/delays.js'
import {type ExploreResult, exploreScenario} from './explore-scenario.js'
import type {RunResult} from './result.js'
import {runScenario} from './run-scenario.js'
import type {Workbench} from './workbench.js'
import {type StoreSource, Workbenches} from './workbenches.js'
import {plural} from '../util/plural.js'

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
  stores: StoreSource
  signal: AbortSignal
  maxOrders?: number
  parallel?: number
  onOpen?: (bench: Workbench) => void
  onResult?: (result: CheckResult) => void
}

/**
 * Holds every scenario to its `expect:`: the run-level keys by running it once with its delays,
 * `explore:` by exploring its orders. A scenario without `expect:` is skipped, not passed.
 */
export async function checkScenarios(scenarios: readonly Scenario[], options: CheckOptions): Promise<CheckResult[]> {
  const benches = new Workbenches(options.stores, options.onOpen)
  try {
    const results: CheckResult[] = []
    for (const scenario of scenarios) {
      const result = await checkScenario(scenario, await benches.for(scenario), options)
      results.push(result)
      options.onResult?.(result)
    }
    return results
  } finally {
    await benches.finish(options.signal)
  }
}

async function checkScenario(scenario: Scenario, bench: Workbench, options: CheckOptions): Promise<CheckResult> {
  const started = performance.now()
  const {signal} = options
  const run = runExpectation(scenario.expect)
    ? await runScenario(scenario, bench, {schedule: (hooks) => new DelaySchedule(scenario.delays, hooks.inProcessWaitMs), signal})
    : null
  const explore = scenario.expect?.explore
    ? await exploreScenario(scenario, bench, {
        signal,
        keep: 'counts',
        ...(options.maxOrders === undefined ? {} : {maxOrders: options.maxOrders}),
        ...(options.parallel === undefined ? {} : {parallel: options.parallel}),
      })
    : null
  const reasons = [...(run?.mismatches.map((m) => `run: ${m}`) ?? []), ...(explore?.mismatches.map((m) => `explore: ${m}`) ?? [])]
  const summary = [
    run ? `run: ${describeRun(run)}` : null,
    explore ? `explore: ${explore.divergentOrders} of ${plural(explore.orders, 'order')} divergent${explore.staleOrders ? `, ${explore.staleOrders} with stale reads` : ''}` : null,
  ]
    .filter(Boolean)
    .join('; ')
  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    source: scenario.source,
    status: !run && !explore ? 'skip' : reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    summary: summary || 'no expect: to check',
    run,
    explore,
    durationMs: performance.now() - started,
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
