import {plural} from '../util/plural.js'
import type {Selector} from './stepped.js'
import {formatOrder, OrderError, type OrderToken} from '../scenario/order.js'

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
