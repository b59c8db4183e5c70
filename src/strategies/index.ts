import {BadInputError} from '../errors/bad-input-error.js'
import {TIMER_STEP} from '../history/step-name.js'
import {binlogInvalidate} from './binlog-invalidate.js'
import {cacheFirst} from './cache-first.js'
import {deleteThenUpdate} from './delete-then-update.js'
import {doubleCheckLock} from './double-check-lock.js'
import type {Strategy} from './types.js'
import {delayedDoubleDelete} from './delayed-double-delete.js'
import {lease} from './lease.js'
import {ttlOnly} from './ttl-only.js'
import {updateThenDelete} from './update-then-delete.js'
import {updateThenUpdate} from './update-then-update.js'
import {versionedCas} from './versioned-cas.js'
import {versionedCasBareDel} from './versioned-cas-bare-del.js'
import {writeBehind} from './write-behind.js'
import {writeLock} from './write-lock.js'

/** Every strategy, in the order `list` shows them. */
export const STRATEGIES: readonly Strategy[] = [
  updateThenUpdate,
  cacheFirst,
  deleteThenUpdate,
  updateThenDelete,
  doubleCheckLock,
  delayedDoubleDelete,
  writeLock,
  lease,
  versionedCas,
  versionedCasBareDel,
  ttlOnly,
  writeBehind,
  binlogInvalidate,
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

/** Whether a scenario may name `step` for this strategy (in a delay, a fault, an order). */
export function hasStep(strategy: Strategy, step: string): boolean {
  if (stepsOf(strategy).includes(step)) return true
  return strategy.stepPattern !== undefined && (strategy.stepPattern.test(step) || APP_STEP_CLASSES.includes(step))
}

/** Whether an order may name the step: one the strategy takes, or an app actor's `timer` (a sleep that ends). */
export function hasOrderStep(strategy: Strategy, step: string): boolean {
  return hasStep(strategy, step) || (strategy.stepPattern !== undefined && step === TIMER_STEP)
}

/**
 * Classes of an app's steps a fault may name: `redis.write`, the first Redis command that may
 * change the store; `db.write` (crash only), right after the first step that changed the row.
 */
export const APP_STEP_CLASSES = ['redis.write', 'db.write']

/** The steps a scenario may name, for a message. */
export function describeSteps(strategy: Strategy): string {
  if (strategy.stepPattern) {
    return 'an app\'s steps are its client calls as issued, redis.<COMMAND> or db.<statement> (e.g. redis.GET, db.update), for faults redis.write or db.write, and in an order timer (a sleep that ends); a plain run lists them'
  }
  return `its steps: ${stepsOf(strategy).join(', ')}`
}

/**
 * Every step a scenario may name for this strategy: its paths', its workers', `cache.lose`
 * (Redis losing the row's keys) and `pause` (the step a pause fault inserts).
 */
export function stepsOf(strategy: Strategy): string[] {
  return [...new Set([...strategy.steps, ...(strategy.workerSteps ?? []), 'cache.lose', 'pause'])]
}
