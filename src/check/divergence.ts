import type {Value} from '../history/types.js'
import {sameValue} from '../history/value.js'
import type {Check, FinalState} from './types.js'

export type {FinalState} from './types.js'

/**
 * Divergent: the cache holds a value that is not MySQL's committed one, or an actor's in-process
 * cache does (it would serve it). An absent key is a miss, not a divergence.
 */
export function isDivergent(state: FinalState): boolean {
  if (state.cache !== null && !sameValue(state.cache, state.db)) return true
  return staleViews(state).length > 0
}

/** The actors whose in-process cache holds a value that is not MySQL's committed one, with that value. */
export function staleViews(state: FinalState): Array<[actor: string, value: Value]> {
  return Object.entries(state.views ?? {}).filter(([, value]) => value !== null && !sameValue(value, state.db))
}

export const checkDivergence: Check = ({final}) => {
  const divergent = isDivergent(final)
  return {check: 'divergence', valid: !divergent, count: divergent ? 1 : 0}
}
