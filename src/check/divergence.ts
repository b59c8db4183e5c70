/** The state both stores were left in, read by an observer after every actor finished. */
export interface FinalState {
  db: number | null
  cache: number | null
}

/** Divergent: the cache holds a value that is not MySQL's committed one. An absent key is a miss, not a divergence. */
export function isDivergent(state: FinalState): boolean {
  return state.cache !== null && state.cache !== state.db
}
