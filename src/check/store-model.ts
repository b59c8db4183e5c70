import type {HistoryEntry, StepRecord} from '../history/types.js'
import {committedVersions} from './commits.js'

/** MySQL's committed value and the cached value, as the history says they were after a step. */
export interface ModelState {
  db: number | null
  cache: number | null
}

/**
 * The state after each step, by step index: MySQL's value is the last one committed by the time
 * the step ended (commits.ts reads those out of the history), the cache's follows the SETs and
 * DELs in the order they completed. It explains a run to a reader; the verdict itself comes from
 * reading the real stores.
 */
export function stateAfterEachStep(run: {steps: readonly StepRecord[]; entries: readonly HistoryEntry[]; initial: ModelState}): ModelState[] {
  const versions = committedVersions(run.entries, run.initial.db)
  const dbAt = (time: number) => versions.filter((v) => v.end <= time).at(-1)?.value ?? run.initial.db
  const byCompletion = [...run.steps].filter((s) => s.endMs !== null).sort((a, b) => a.endMs! - b.endMs! || a.index - b.index)
  const after: ModelState[] = new Array<ModelState>(run.steps.length)
  let cache = run.initial.cache
  for (const step of byCompletion) {
    if (step.type === 'ok' || step.type === 'info') cache = cacheAfter(step, cache)
    after[step.index] = {db: dbAt(step.endMs!), cache}
  }
  // A step that never finished changed nothing: it shows the state of the step before it.
  for (let i = 0; i < after.length; i++) after[i] ??= i === 0 ? {...run.initial} : after[i - 1]!
  return after
}

function cacheAfter(step: StepRecord, cache: number | null): number | null {
  const value = typeof step.value === 'number' ? step.value : null
  switch (step.step) {
    case 'cache.set':
    case 'cache.write':
      return value
    case 'cache.fill':
      return rejected(step) ? cache : value
    case 'cache.tombstone':
      return rejected(step) ? cache : null
    case 'cache.del':
    case 'cache.lose':
      return null
    default:
      return cache
  }
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

/**
 * The steps in the order they took effect: by when they ended (a step that waited for a lock, or
 * paused, takes effect when it ends), the unfinished ones last. The state columns of a timeline
 * read down this order.
 */
export function inEffectOrder(steps: readonly StepRecord[]): StepRecord[] {
  return [...steps].sort((a, b) => (a.endMs ?? Infinity) - (b.endMs ?? Infinity) || a.index - b.index)
}
