import type {HistoryEntry, StepRecord, Value} from '../history/types.js'
import {committedVersions} from '../check/commits.js'
import {isDivergent} from '../check/divergence.js'

/** MySQL's committed value and the cached value, as the history says they were after a step. */
export interface ModelState {
  db: Value
  cache: Value
}

/**
 * The state after each step, by step index: MySQL's value is the last one committed by the time
 * the step ended (commits.ts reads those out of the history), the cache's follows the steps'
 * effects in the order the steps completed. It explains a run to a reader; the verdict itself comes from
 * reading the real stores.
 */
export function stateAfterEachStep(run: {steps: readonly StepRecord[]; entries: readonly HistoryEntry[]; initial: ModelState}): ModelState[] {
  const versions = committedVersions(run.entries, run.initial.db)
  const dbAt = (time: number) => versions.filter((v) => v.end <= time).at(-1)?.value ?? run.initial.db
  const byCompletion = [...run.steps].filter((s) => s.endMs !== null).sort((a, b) => a.endMs! - b.endMs! || a.index - b.index)
  const after: ModelState[] = new Array<ModelState>(run.steps.length)
  let cache = run.initial.cache
  for (const step of byCompletion) {
    if ((step.type === 'ok' || step.type === 'info') && step.effect !== undefined && 'cache' in step.effect) cache = step.effect.cache!
    after[step.index] = {db: dbAt(step.endMs!), cache}
  }
  // A step that never finished changed nothing: it shows the state of the step before it.
  for (let i = 0; i < after.length; i++) after[i] ??= i === 0 ? {...run.initial} : after[i - 1]!
  return after
}

/** The index of the step after which the stores disagreed and went on disagreeing to the end; null if they agree at the end. */
export function divergedAt(states: readonly ModelState[], steps: readonly StepRecord[]): number | null {
  const order = [...steps].filter((s) => s.endMs !== null).sort((a, b) => a.endMs! - b.endMs! || a.index - b.index)
  let since: number | null = null
  for (const step of order) {
    const state = states[step.index]!
    if (!isDivergent(state)) since = null
    else since ??= step.index
  }
  return since
}

/**
 * The steps in the order they took effect: by when they ended (a step that waited for a lock, or
 * paused, takes effect when it ends), the unfinished ones last. The state columns of a timeline
 * read down this order.
 */
export function inEffectOrder(steps: readonly StepRecord[]): StepRecord[] {
  return [...steps].sort((a, b) => (a.endMs ?? Infinity) - (b.endMs ?? Infinity) || a.index - b.index)
}
