import {BadInputError} from '../errors/bad-input-error.js'

/**
 * A step's name as it is written: `store.verb` (db.update, cache.fill), one word (wait, pause),
 * or an app's client call as issued (redis.SET, redis.EVALSHA, db.select).
 */
export const STEP_NAME = '[a-z]+(?:\\.(?:[a-z-]+|[A-Z][A-Z0-9_]*))?'

/**
 * An app actor's step where a timer of its own fires while it waits on nothing else (a sleep):
 * the schedule takes it (schedule/stepped.ts), the actor does not ask for it, so only an order
 * may name it.
 */
export const TIMER_STEP = 'timer'

/** The steps an app can take: every Redis command and SQL statement it sends. */
export const APP_STEP = /^(?:redis\.[A-Z][A-Z0-9_]*|db\.[a-z]+)$/

/** The store part of a step's name (`db` of db.update, `redis` of redis.SET); null for a one-word step (wait, pause). */
export function storeOf(step: string): string | null {
  const dot = step.indexOf('.')
  return dot === -1 ? null : step.slice(0, dot)
}

/**
 * The n of `STEP#n` (the nth time an actor takes the step). Counted from 1, as in scenario files:
 * `#0` would match no step and the delay or fault would silently never fire.
 */
export function occurrenceNumber(flag: string, digits: string): number {
  const n = Number(digits)
  if (!Number.isSafeInteger(n) || n < 1) throw new BadInputError(`${flag}: #${digits} is no occurrence; #1 is the first time the actor takes the step`)
  return n
}
