import {getStrategy} from '../strategies/index.js'
import type {Strategy} from '../strategies/types.js'
import {appStrategy} from './app-strategy.js'
import {loadedApp} from './load.js'

/** Where a scenario's app module is: `file` absolute, `shown` as the user wrote it. */
export interface AppRef {
  file: string
  shown: string
}

const strategies = new Map<string, Strategy>()

/** The strategy a scenario runs: a built-in one by name, or its app (loaded when the scenario was). */
export function strategyOf(scenario: {strategy: string; app?: AppRef | undefined}): Strategy {
  if (!scenario.app) return getStrategy(scenario.strategy)
  let strategy = strategies.get(scenario.app.file)
  if (!strategy) {
    strategy = appStrategy(loadedApp(scenario.app.file))
    strategies.set(scenario.app.file, strategy)
  }
  return strategy
}
