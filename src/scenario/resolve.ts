import {stat} from 'node:fs/promises'

import {BadInputError} from '../errors/bad-input-error.js'
import type {InjectedDelay} from '../schedule/delays.js'
import {findStrategy, getStrategy, strategyNames} from '../strategies/index.js'
import {loadBuiltInScenarios, loadScenarios} from './load.js'
import type {Scenario} from './types.js'

/**
 * What `run <target>` (and friends) means by its argument: `all`, a strategy's name (its
 * built-in scenarios), a built-in scenario's name, or a scenario file or folder.
 */
export async function resolveScenarios(target: string): Promise<Scenario[]> {
  const looksLikePath = /[/\\]|\.ya?ml$/.test(target)
  if (!looksLikePath) {
    const builtIn = await loadBuiltInScenarios()
    if (target === 'all') return builtIn
    if (findStrategy(target)) {
      const mine = builtIn.filter((s) => s.strategy === target)
      if (mine.length === 0) throw new BadInputError(`strategy ${target} has no built-in scenarios yet; give a scenario file`)
      return mine
    }
    const named = builtIn.find((s) => s.name === target)
    if (named) return [named]
  }
  if (await exists(target)) return loadScenarios(target)
  if (looksLikePath) throw new BadInputError(`no such scenario file or folder: ${target}`)
  throw new BadInputError(
    `unknown strategy or scenario "${target}"; strategies: ${strategyNames().join(', ')}; or "all", a built-in scenario (cachesim list), or a .yaml file`,
  )
}

/** Adds delays given on the command line, checked against each scenario's actors and steps. */
export function withDelays(scenario: Scenario, extra: readonly InjectedDelay[]): Scenario {
  if (extra.length === 0) return scenario
  const strategy = getStrategy(scenario.strategy)
  for (const delay of extra) {
    const flag = `--delay ${delay.actor}:${delay.when}:${delay.step}`
    if (!scenario.actors.some((a) => a.name === delay.actor)) {
      throw new BadInputError(`${flag}: scenario ${scenario.name} has no actor ${delay.actor}; its actors: ${scenario.actors.map((a) => a.name).join(', ')}`)
    }
    if (!strategy.steps.includes(delay.step)) {
      throw new BadInputError(`${flag}: ${strategy.name} has no step ${delay.step}; its steps: ${strategy.steps.join(', ')}`)
    }
  }
  return {...scenario, delays: [...scenario.delays, ...extra]}
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null
}

/** What `check` checks: the given files and folders, else ./scenarios when it exists, else the built-in scenarios. */
export async function scenariosToCheck(paths: readonly string[]): Promise<Scenario[]> {
  if (paths.length === 0) return (await exists('scenarios')) ? loadScenarios('scenarios') : loadBuiltInScenarios()
  const loaded = (await Promise.all(paths.map((p) => loadScenarios(p)))).flat()
  const seen = new Map<string, string>()
  for (const scenario of loaded) {
    const other = seen.get(scenario.name)
    if (other && other !== scenario.source) throw new BadInputError(`two scenarios are named "${scenario.name}": ${other} and ${scenario.source}`)
    seen.set(scenario.name, scenario.source)
  }
  return loaded
}
