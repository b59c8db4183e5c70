import {BadInputError} from '../errors/bad-input-error.js'
import type {Scenario} from '../scenario/types.js'
import {DelaySchedule} from '../schedule/delays.js'
import type {LockKind} from '../schedule/locks.js'
import {type OrderToken, scriptSelector} from '../schedule/script.js'
import {SteppedSchedule} from '../schedule/stepped.js'
import type {Schedule} from '../schedule/types.js'
import {getStrategy} from '../strategies/index.js'
import type {ScheduleHooks} from './run-scenario.js'
import type {RunResult} from './result.js'
import {runScenario} from './run-scenario.js'
import {Workbench, type WorkbenchOptions} from './workbench.js'

export interface RunScenariosOptions {
  stores: WorkbenchOptions
  signal: AbortSignal
  /** Overrides every scenario's `lock:`. */
  lock?: LockKind
  /** Replays exactly this order (one scenario only); delays are then ignored. */
  order?: OrderToken[]
  /** Called once the stores are open, e.g. to drop every connection on Ctrl-C. */
  onOpen?: (bench: Workbench) => void
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
  const bench = await Workbench.open(options.stores)
  options.onOpen?.(bench)
  try {
    const results: RunResult[] = []
    for (const scenario of scenarios) {
      const result = await runScenario(scenario, bench, {
        schedule: (hooks: ScheduleHooks): Schedule =>
          order
            ? new SteppedSchedule({kind: 'script', selector: scriptSelector(order), ...hooks})
            : new DelaySchedule(scenario.delays),
        signal: options.signal,
        ...(options.lock === undefined ? {} : {lock: options.lock}),
      })
      results.push(result)
      options.onResult?.(result)
    }
    return results
  } finally {
    if (options.signal.aborted) bench.destroy()
    else await bench.close()
  }
}

function checkOrder(scenarios: readonly Scenario[], order: readonly OrderToken[]): void {
  if (scenarios.length !== 1) {
    throw new BadInputError(`--order replays one scenario, but the target names ${scenarios.length}; name one scenario or file`)
  }
  const scenario = scenarios[0]!
  const strategy = getStrategy(scenario.strategy)
  for (const token of order) {
    if (!scenario.actors.some((a) => a.name === token.actor)) {
      throw new BadInputError(`--order: scenario ${scenario.name} has no actor ${token.actor}; its actors: ${scenario.actors.map((a) => a.name).join(', ')}`)
    }
    if (!strategy.steps.includes(token.step)) {
      throw new BadInputError(`--order: ${strategy.name} has no step ${token.step}; its steps: ${strategy.steps.join(', ')}`)
    }
  }
}
