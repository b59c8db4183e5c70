import {TIMER_STEP} from '../history/step-name.js'
import {plural} from '../util/plural.js'
import type {Selector} from './stepped.js'
import {formatOrder, OrderError, type OrderToken} from '../scenario/order.js'

/**
 * Replays a given order step by step (after fast-check's scheduler built from a sequence) and
 * fails loudly where the order does not fit what the actors actually do. An actor's `timer` step
 * (an app's sleep ending) may be left out of the order: it is taken just before the actor's next
 * step the order names, or, once the order is done, to let a sleeper finish. So the order a run
 * under real time printed (which has no timer steps) replays.
 */
export function scriptSelector(tokens: readonly OrderToken[]): Selector {
  // Steps of the order taken so far: timer steps it leaves out do not count.
  let next = 0
  return {
    choose(enabled, {blocked, finished}) {
      const want = tokens[next]
      const here = `step ${next + 1} of the order`
      if (!want) {
        const sleeper = enabled.find((p) => p.step === TIMER_STEP)
        if (sleeper) return sleeper.actor
        throw new OrderError(
          `the order ends after ${plural(tokens.length, 'step')}, but ${enabled.map((p) => `${p.actor}:${p.step}`).join(', ')} ${enabled.length === 1 ? 'is' : 'are'} still waiting to go`,
        )
      }
      const token = `${want.actor}:${want.step}`
      const match = enabled.find((p) => p.actor === want.actor)
      if (match) {
        if (match.step === want.step) {
          next += 1
          return want.actor
        }
        if (match.step === TIMER_STEP) return want.actor
        throw new OrderError(`${here} is ${token}, but ${want.actor}'s next step is ${match.step}`)
      }
      const stuck = blocked.find((b) => b.actor === want.actor)
      if (stuck) throw new OrderError(`${here} (${token}) is impossible: ${want.actor} is blocked in ${stuck.step} (${stuck.reason})`)
      if (finished.includes(want.actor)) throw new OrderError(`${here} is ${token}, but ${want.actor} has already finished`)
      throw new OrderError(`${here} names actor ${want.actor}, who is not in this scenario`)
    },
    finish() {
      if (next < tokens.length) {
        throw new OrderError(`every actor finished after ${plural(next, 'step')}; the order has ${tokens.length - next} more: ${formatOrder(tokens.slice(next))}`)
      }
    },
  }
}
