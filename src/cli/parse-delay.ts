import {BadInputError} from '../errors/bad-input-error.js'
import type {InjectedDelay} from '../scenario/delays.js'
import {occurrenceNumber, STEP_NAME} from '../history/step-name.js'

const FORM = new RegExp(`^([A-Za-z][A-Za-z0-9_]*):(before|after):(${STEP_NAME})(?:#(\\d+))?=(\\d+(?:\\.\\d+)?)(ms|s)?$`)

/** Parses `A:before:cache.set=60ms` (or `#2` after the step for its second occurrence). */
export function parseDelay(text: string): InjectedDelay {
  const match = FORM.exec(text.trim())
  if (!match) {
    throw new BadInputError(
      `--delay "${text}" is not ACTOR:before|after:STEP=DURATION, e.g. A:before:cache.set=60ms (or B:after:db.select#2=1s)`,
    )
  }
  const [, actor, when, step, occurrence, amount, unit] = match
  const delay: InjectedDelay = {
    actor: actor!,
    when: when as 'before' | 'after',
    step: step!,
    ms: Number(amount) * (unit === 's' ? 1000 : 1),
  }
  if (occurrence !== undefined) delay.occurrence = occurrenceNumber(`--delay "${text}"`, occurrence)
  if (delay.ms > 600_000) throw new BadInputError(`--delay "${text}": at most 600 s`)
  return delay
}
