import type {StepRecord} from '../history/types.js'

/** MySQL's committed value and the cached value, as the history says they were after a step. */
export interface ModelState {
  db: number | null
  cache: number | null
}

/**
 * Replays the steps' effects in the order they completed (committed writes to MySQL, SETs and
 * DELs to Redis) and gives the state after each step, by step index. It explains a run to a
 * reader; the verdict itself comes from reading the real stores.
 */
export function stateAfterEachStep(steps: readonly StepRecord[], initial: ModelState): ModelState[] {
  const byCompletion = [...steps].filter((s) => s.endMs !== null).sort((a, b) => a.endMs! - b.endMs! || a.index - b.index)
  const after: ModelState[] = new Array<ModelState>(steps.length)
  const state = {...initial}
  const inTransaction = new Set<string>()
  const pending = new Map<string, number | null>()
  for (const step of byCompletion) {
    const value = typeof step.value === 'number' ? step.value : null
    if (step.type === 'ok' || step.type === 'info') {
      switch (step.step) {
        case 'db.begin':
          inTransaction.add(step.actor)
          break
        case 'db.update':
          if (inTransaction.has(step.actor)) pending.set(step.actor, value)
          else state.db = value
          break
        case 'db.commit':
          if (pending.has(step.actor)) state.db = pending.get(step.actor)!
          inTransaction.delete(step.actor)
          pending.delete(step.actor)
          break
        case 'db.rollback':
          inTransaction.delete(step.actor)
          pending.delete(step.actor)
          break
        case 'cache.set':
        case 'cache.write':
          state.cache = value
          break
        case 'cache.fill':
          if (!rejected(step)) state.cache = value
          break
        case 'cache.tombstone':
          if (!rejected(step)) state.cache = null
          break
        case 'cache.del':
        case 'cache.lose':
          state.cache = null
          break
        default:
          break
      }
    }
    after[step.index] = {...state}
  }
  // A step that never finished changed nothing: it shows the state of the step before it.
  for (let i = 0; i < after.length; i++) after[i] ??= i === 0 ? {...initial} : after[i - 1]!
  return after
}

/** The index of the step after which the stores disagreed and went on disagreeing to the end; null if they agree at the end. */
export function divergedAt(states: readonly ModelState[], steps: readonly StepRecord[]): number | null {
  const disagree = (s: ModelState) => s.cache !== null && s.cache !== s.db
  const order = [...steps].filter((s) => s.endMs !== null).sort((a, b) => a.endMs! - b.endMs! || a.index - b.index)
  let since: number | null = null
  for (const step of order) {
    const state = states[step.index]!
    if (!disagree(state)) since = null
    else since ??= step.index
  }
  return since
}

/** A conditional cache write (a lease fill, a set-if-newer) that the cache refused. */
function rejected(step: StepRecord): boolean {
  return step.note?.startsWith('rejected') ?? false
}
