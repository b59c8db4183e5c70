import {BadInputError} from '../errors/bad-input-error.js'
import type {ActorName, StepName} from '../history/types.js'
import {STEP_NAME} from '../history/step-name.js'

export interface OrderToken {
  actor: ActorName
  step: StepName
}

/** An order that cannot be replayed as given: it does not fit the scenario, or needs a blocked actor to move. */
export class OrderError extends BadInputError {}

/** Parses `A:db.update B:cache.get …` (spaces or commas between steps). */
export function parseOrder(text: string): OrderToken[] {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  if (parts.length === 0) throw new OrderError('--order is empty; give steps like "A:db.update B:cache.get"')
  return parts.map((part) => {
    const match = new RegExp(`^([A-Za-z][A-Za-z0-9_]*):(${STEP_NAME})$`).exec(part)
    if (!match) throw new OrderError(`--order: "${part}" is not ACTOR:STEP, e.g. A:db.update`)
    return {actor: match[1]!, step: match[2]!}
  })
}

export function formatOrder(tokens: readonly OrderToken[]): string {
  return tokens.map((t) => `${t.actor}:${t.step}`).join(' ')
}
