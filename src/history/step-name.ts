import {BadInputError} from '../errors/bad-input-error.js'

/** A step's name as it is written: `store.verb` (db.update, cache.fill), or one word (wait, pause). */
export const STEP_NAME = '[a-z]+(?:\\.[a-z-]+)?'

/**
 * The n of `STEP#n` (the nth time an actor takes the step). Counted from 1, as in scenario files:
 * `#0` would match no step and the delay or fault would silently never fire.
 */
export function occurrenceNumber(flag: string, digits: string): number {
  const n = Number(digits)
  if (!Number.isSafeInteger(n) || n < 1) throw new BadInputError(`${flag}: #${digits} is no occurrence; #1 is the first time the actor takes the step`)
  return n
}
