import {sameValue} from '../history/value.js'
import type {Check, FinalState} from './types.js'

export type {FinalState} from './types.js'

/** Divergent: the cache holds a value that is not MySQL's committed one. An absent key is a miss, not a divergence. */
export function isDivergent(state: FinalState): boolean {
  return state.cache !== null && !sameValue(state.cache, state.db)
}

export const checkDivergence: Check = ({final}) => {
  const divergent = isDivergent(final)
  return {check: 'divergence', valid: !divergent, count: divergent ? 1 : 0}
}
