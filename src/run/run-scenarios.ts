import {BadInputError} from '../errors/bad-input-error.js'
import type {Scenario} from '../scenario/types.js'
import {DelaySchedule} from '../schedule/delays.js'
import {type OrderToken, parseOrder} from '../scenario/order.js'
import type {LockKind} from '../scenario/types.js'
import {scriptSelector} from '../schedule/script.js'
import {type PendingStep, SteppedSchedule} from '../schedule/stepped.js'
import type {Schedule} from '../schedule/types.js'
import {strategyOf} from '../app/strategy-of.js'
import {describeSteps, hasOrderStep} from '../strategies/index.js'
import type {ScheduleHooks} from './run-scenario.js'
import {type ExploreResult, exploreScenario, type ExploreScenarioOptions} from './explore-scenario.js'
import type {RunResult} from './result.js'
import {runScenario} from './run-scenario.js'
import type {Workbenches} from './workbenches.js'

/** Called before each step of a stepped replay with what goes next, where, and how to read the stores. */
export type StepHook = (next: PendingStep, position: number, total: number, peek: ScheduleHooks['peek'], lastStep?: ScheduleHooks['lastStep']) => Promise<void>

export interface RunScenariosOptions {
  /** The workbenches to run on (see withWorkbenches): each scenario on the one it needs. */
  benches: Workbenches
  signal: AbortSignal
  /** Overrides every scenario's `lock:`. */
  lock?: LockKind
  /** Replays exactly this order (one scenario only); delays are then ignored. */
  order?: OrderToken[]
  /**
   * Awaited before each step (`--step`): the run goes one step at a time, in the given order or
   * else in the order the scenario's delays produce (found by running it once first).
   */
  step?: StepHook
  /** Called after each run, e.g. to print progress. */
  onResult?: (result: RunResult) => void
}

/**
 * Runs each scenario once on one set of connections: in real time with its injected delays, or,
 * given an order, one step at a time in exactly that order.
 */
export async function runScenarios(scenarios: readonly Scenario[], options: RunScenariosOptions): Promise<RunResult[]> {
  const {order} = options
  if (order) checkOrder(scenarios, order)
  const results: RunResult[] = []
  const lock = options.lock === undefined ? {} : {lock: options.lock}
  for (const scenario of scenarios) {
    const bench = await options.benches.for(scenario)
    const {step} = options
    // --step without --order walks through the order the scenario's delays are meant to produce
    // (its `order:`), else the one they produce here.
    const replay =
      order ??
      (step
        ? parseOrder(
            scenario.order?.join(' ') ??
              (await runScenario(scenario, bench, {schedule: (hooks) => new DelaySchedule(scenario.delays, hooks.inProcessWaitMs), signal: options.signal, ...lock})).order.join(' '),
          )
        : undefined)
    const result = await runScenario(scenario, bench, {
      schedule: (hooks: ScheduleHooks): Schedule =>
        replay
          ? new SteppedSchedule({
              kind: 'script',
              selector: scriptSelector(replay),
              ...hooks,
              ...(step ? {beforeRelease: (next: PendingStep, position: number) => step(next, position, replay.length, hooks.peek, hooks.lastStep)} : {}),
            })
          : new DelaySchedule(scenario.delays, hooks.inProcessWaitMs),
      signal: options.signal,
      ...lock,
    })
    results.push(result)
    options.onResult?.(result)
  }
  return results
}

/** Says why an --order cannot be replayed on these scenarios, before any server is started. */
export function checkOrder(scenarios: readonly Scenario[], order: readonly OrderToken[]): void {
  if (scenarios.length !== 1) {
    throw new BadInputError(`--order replays one scenario, but the target names ${scenarios.length}; name one scenario or file`)
  }
  const scenario = scenarios[0]!
  const strategy = strategyOf(scenario)
  for (const token of order) {
    if (!scenario.actors.some((a) => a.name === token.actor)) {
      throw new BadInputError(`--order: scenario ${scenario.name} has no actor ${token.actor}; its actors: ${scenario.actors.map((a) => a.name).join(', ')}`)
    }
    if (!hasOrderStep(strategy, token.step)) {
      throw new BadInputError(`--order: ${strategy.name} has no step ${token.step}; ${describeSteps(strategy)}`)
    }
  }
}

export interface ExploreScenariosOptions extends Omit<ExploreScenarioOptions, 'signal'> {
  benches: Workbenches
  signal: AbortSignal
  /** Called as each scenario's search ends, e.g. for progress. */
  onExplored?: (result: ExploreResult) => void
}

/** Explores each scenario in turn on one set of connections. */
export async function exploreScenarios(scenarios: readonly Scenario[], options: ExploreScenariosOptions): Promise<ExploreResult[]> {
  const {benches, onExplored, ...explore} = options
  const results: ExploreResult[] = []
  for (const scenario of scenarios) {
    const result = await exploreScenario(scenario, await benches.for(scenario), explore)
    results.push(result)
    onExplored?.(result)
  }
  return results
}
