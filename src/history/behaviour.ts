import {createHash} from 'node:crypto'

import {dependent} from './independence.js'
import type {ActorName, HistoryEntry, StepEffect, StepName, StepValue, Value} from './types.js'

/**
 * One step as a behaviour sees it: who took it, what it sent, how it ended, what it returned and
 * what it did to the stores. Not its times, and not its note: notes are prose for people, and some
 * carry what differs from run to run without being a different outcome (a binlog position).
 */
interface StepOutcome {
  actor: ActorName
  step: StepName
  readOnly?: boolean
  type: 'ok' | 'fail' | 'info' | 'pending'
  sent: StepValue
  value: StepValue
  effect?: StepEffect
  error?: string
}

/** What a behaviour is judged on besides its steps: the final state and what the checks found. */
export interface BehaviourOutcome {
  entries: readonly HistoryEntry[]
  db: Value
  cache: Value
  views?: Record<string, Value>
  divergent: boolean
  staleReads: number
  dirtyReads: number
  lostWrites: number
  stuck: readonly {actor: ActorName; step: StepName}[] | null
}

/**
 * The steps in the order they ended, then the steps that never ended. A step sent while blocked on
 * a lock counts where its wait ended: the servers cannot tell when it was sent. Steps that ended
 * between the same two sends are taken in actor order: which of them ended first is a matter of
 * timing, not of the order (a lock that expires while another actor sleeps in a pause).
 */
function stepOutcomes(entries: readonly HistoryEntry[]): StepOutcome[] {
  const sent = new Map<ActorName, HistoryEntry>()
  const done: {window: number; outcome: StepOutcome}[] = []
  let window = 0
  for (const entry of entries) {
    if (entry.type === 'invoke') {
      sent.set(entry.actor, entry)
      window += 1
      continue
    }
    const invoke = sent.get(entry.actor)
    if (!invoke) continue
    sent.delete(entry.actor)
    // PUBLISH answers how many subscribers were listening at that instant: a matter of when each
    // client's SUBSCRIBE landed, not of the order, so it does not tell behaviours apart.
    const value = /^redis\.S?PUBLISH$/.test(entry.step) ? null : entry.value
    const outcome: StepOutcome = {actor: entry.actor, step: entry.step, type: entry.type, sent: invoke.value, value}
    if (entry.effect !== undefined) outcome.effect = entry.effect
    if (entry.error !== undefined) outcome.error = entry.error
    if (invoke.readOnly === true) outcome.readOnly = true
    done.push({window, outcome})
  }
  done.sort((a, b) => a.window - b.window || compareText(a.outcome.actor, b.outcome.actor))
  const pending = [...sent.values()].sort((a, b) => compareText(a.actor, b.actor))
  return [
    ...done.map((d) => d.outcome),
    ...pending.map(
      (invoke): StepOutcome => ({actor: invoke.actor, step: invoke.step, type: 'pending', sent: invoke.value, value: null, ...(invoke.readOnly ? {readOnly: true} : {})}),
    ),
  ]
}

/**
 * The one representative of the steps' equivalence class under swapping adjacent independent
 * steps (a Mazurkiewicz trace): at each point, of the steps whose dependent predecessors have all
 * been placed, the one of the first actor by name.
 */
export function canonicalSteps<S extends {actor: ActorName; step: StepName}>(steps: readonly S[], isDependent: (a: S, b: S) => boolean): S[] {
  const before = steps.map((s, j) => steps.slice(0, j).flatMap((p, i) => (isDependent(p, s) ? [i] : [])))
  const placed = new Array<boolean>(steps.length).fill(false)
  const result: S[] = []
  while (result.length < steps.length) {
    let pick = -1
    for (let j = 0; j < steps.length; j++) {
      if (placed[j] || !before[j]!.every((i) => placed[i])) continue
      if (pick === -1 || compareText(steps[j]!.actor, steps[pick]!.actor) < 0) pick = j
    }
    placed[pick] = true
    result.push(steps[pick]!)
  }
  return result
}

/**
 * A short key that two runs share exactly when they are the same behaviour: the same steps
 * with the same results and effects, up to swapping steps that commute, and the same final
 * state and findings. Runs with one key are one behaviour; a run's order is one witness of it.
 */
export function behaviourKey(run: BehaviourOutcome): string {
  const steps = canonicalSteps(stepOutcomes(run.entries), dependent)
  const text = JSON.stringify([
    steps.map((s) => [s.actor, s.step, s.type, s.sent, s.value, s.effect ?? null, s.error ?? null]),
    run.db,
    run.cache,
    run.views ?? null,
    run.divergent,
    run.staleReads,
    run.dirtyReads,
    run.lostWrites,
    run.stuck?.map((b) => [b.actor, b.step]) ?? null,
  ])
  return createHash('sha1').update(text).digest('base64')
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
