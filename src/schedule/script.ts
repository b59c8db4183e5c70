import {BadInputError} from '../errors/bad-input-error.js'
import type {ActorName, StepName} from '../history/types.js'
import {plural} from '../util/plural.js'
import type {Selector} from './stepped.js'
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

/**
 * Replays a given order step by step (after fast-check's scheduler built from a sequence) and
 * fails loudly where the order does not fit what the actors actually do.
 */
export function scriptSelector(tokens: readonly OrderToken[]): Selector {
  return {
    choose(enabled, {position, blocked, finished}) {
      const want = tokens[position]
      const here = `step ${position + 1} of the order`
      if (!want) {
        throw new OrderError(
          `the order ends after ${plural(tokens.length, 'step')}, but ${enabled.map((p) => `${p.actor}:${p.step}`).join(', ')} ${enabled.length === 1 ? 'is' : 'are'} still waiting to go`,
        )
      }
      const token = `${want.actor}:${want.step}`
      const match = enabled.find((p) => p.actor === want.actor)
      if (match) {
        if (match.step === want.step) return want.actor
        throw new OrderError(`${here} is ${token}, but ${want.actor}'s next step is ${match.step}`)
      }
      const stuck = blocked.find((b) => b.actor === want.actor)
      if (stuck) throw new OrderError(`${here} (${token}) is impossible: ${want.actor} is blocked in ${stuck.step} (${stuck.reason})`)
      if (finished.includes(want.actor)) throw new OrderError(`${here} is ${token}, but ${want.actor} has already finished`)
      throw new OrderError(`${here} names actor ${want.actor}, who is not in this scenario`)
    },
    finish(steps) {
      if (steps < tokens.length) {
        throw new OrderError(`every actor finished after ${plural(steps, 'step')}; the order has ${tokens.length - steps} more: ${formatOrder(tokens.slice(steps))}`)
      }
    },
  }
}
