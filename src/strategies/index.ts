import {BadInputError} from '../errors/bad-input-error.js'
import {cacheFirst} from './cache-first.js'
import {deleteThenUpdate} from './delete-then-update.js'
import {doubleCheckLock} from './double-check-lock.js'
import type {Strategy} from './types.js'
import {updateThenDelete} from './update-then-delete.js'
import {updateThenUpdate} from './update-then-update.js'

/** Every strategy, in the order `list` shows them. */
export const STRATEGIES: readonly Strategy[] = [
  updateThenUpdate,
  cacheFirst,
  deleteThenUpdate,
  updateThenDelete,
  doubleCheckLock,
]

export function strategyNames(): string[] {
  return STRATEGIES.map((strategy) => strategy.name)
}

export function findStrategy(name: string): Strategy | undefined {
  return STRATEGIES.find((strategy) => strategy.name === name)
}

export function getStrategy(name: string): Strategy {
  const strategy = findStrategy(name)
  if (!strategy) throw new BadInputError(`unknown strategy "${name}"; valid strategies: ${strategyNames().join(', ')}`)
  return strategy
}
