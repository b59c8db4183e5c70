import {isDivergent, staleViews} from '../check/divergence.js'
import type {ReadFinding} from '../check/reads.js'
import type {StepRecord, Value} from '../history/types.js'
import {formatValue, sameValue} from '../history/value.js'
import type {RunResult} from '../run/result.js'
import {describeStep} from './describe-step.js'
import {divergedAt, inEffectOrder, type ModelState, stateAfterEachStep} from './store-model.js'

/** One row of a race as a lesson tells it: a step, the stores after it, and what it means. */
export interface StoryRow {
  step: StepRecord
  /** What the step did, in words ("read 100", "→ 99", "failed: …"), never cut. */
  text: string
  state: ModelState
  /** The stores disagree after this step (maybe only for a while). */
  disagree: boolean
  /** This step made the stores disagree for good: why, in words. */
  divergedWhy: string | null
  /** The stale or dirty reads this step returned. */
  reads: ReadFinding[]
  /** When the step was sent before rows above it took effect (it waited): its place in the order sent, from 1. */
  sentAs: number | null
}

/** A run told step by step, in the order the steps took effect. */
export interface RaceStory {
  actors: string[]
  initial: ModelState
  rows: StoryRow[]
  /** Short names (v1, v2, …) for the stores' values when one is wider than the report's column: full text → name. */
  names: Map<string, string>
  /** A value as the report's columns write it: its short name, else in full ("–" for nothing). */
  show: (value: Value) => string
}

/** Actor names in the order a person counts them: A2 before A10. */
export function sortActors(actors: Iterable<string>): string[] {
  return [...new Set(actors)].sort((a, b) => a.localeCompare(b, 'en', {numeric: true}))
}

/** `width`: the widest value a store column shows in full; wider ones make every value get a short name. */
export function tellRace(run: RunResult, options: {width?: number} = {}): RaceStory {
  const states = stateAfterEachStep(run)
  const names = shortNames([run.initial.db, run.initial.cache, ...states.flatMap((s) => [s.db, s.cache])], options.width ?? Infinity)
  const showValue = (value: Value) => names.get(full(value)) ?? full(value)
  const ordered = inEffectOrder(run.steps)
  const mark = divergenceMark(run, states, ordered, (value) => (value === null ? 'nothing' : showValue(value)))
  const readsAt = readSteps(run)
  const sent = [...run.steps].sort((a, b) => a.index - b.index).map((s) => s.index)
  const rows = ordered.map((step, row): StoryRow => {
    const state = states[step.index]!
    const sentAs = sent.indexOf(step.index) + 1
    return {
      step,
      text: describeStep(step, showValue),
      state,
      disagree: isDivergent(state),
      divergedWhy: mark !== null && mark.index === step.index ? mark.why : null,
      reads: readsAt.get(step.index) ?? [],
      sentAs: sentAs < row + 1 ? sentAs : null,
    }
  })
  return {actors: sortActors(run.steps.map((s) => s.actor)), initial: {db: run.initial.db, cache: run.initial.cache}, rows, names, show: showValue}
}

/** A read finding in words: "stale read: B got 100 while MySQL had committed 99". */
export function readWords(read: ReadFinding, show: (value: Value) => string = said): string {
  return `${read.anomaly} read: ${read.actor} got ${show(read.value)} while MySQL had committed ${show(read.latest)}`
}

/**
 * The step that made the stores disagree for good, and why. The disagreement that lasts starts at
 * divergedAt; when a step meant to repair it failed or never finished after that, that step is
 * the one that made it permanent (a student asks "which step caused it?").
 */
function divergenceMark(run: RunResult, states: ModelState[], ordered: StepRecord[], show: (value: Value) => string): {index: number; why: string} | null {
  const since = divergedAt(states, run.steps)
  if (since === null) {
    // Redis and MySQL agree, but an actor's in-process cache does not: it serves the old value.
    const held = staleViews(run)
    if (held.length === 0 || ordered.length === 0) return null
    const views = held.map(([actor, v]) => `${actor}'s in-process cache still holds ${show(v)}`).join(', ')
    return {index: ordered.at(-1)!.index, why: `at the end ${views}, which is not MySQL's ${show(run.db)}: it serves that until it expires`}
  }
  const from = ordered.findIndex((s) => s.index === since)
  const start = ordered[from]!
  const state = states[since]!
  const later = ordered.slice(from + 1)
  const repair = later.filter((s) => s.type !== 'ok' && touchesCache(s)).at(-1)
  const end = states[ordered.at(-1)!.index]!
  if (repair !== undefined) {
    const what = repair.type === 'pending' ? 'never finished' : repair.type === 'info' ? `may not have happened (${repair.error ?? 'outcome unknown'})` : `failed (${repair.error ?? 'error'})`
    return {
      index: repair.index,
      why: `${who(repair)} ${what}: nothing else removes Redis's ${show(end.cache)}, which is not MySQL's ${show(end.db)}`,
    }
  }
  const before = ordered.slice(0, from).filter((s) => s.actor !== start.actor && s.type !== 'fail')
  if (start.effect?.cache !== undefined && start.effect.cache !== null) {
    const cleared = before.filter((s) => s.effect?.cache === null).at(-1)
    const committed = before.filter((s) => s.effect?.db !== undefined).at(-1)
    const after = cleared ?? committed
    const afterWhat = after === undefined ? '' : after === cleared ? who(after) : `${who(after)} made MySQL ${show(state.db)}`
    const landed = after === undefined ? `put ${show(start.effect.cache)} in Redis while MySQL has ${show(state.db)}` : `of ${show(start.effect.cache)} landed after ${afterWhat}`
    return {index: since, why: `${who(start)} ${landed}: nothing will remove it`}
  }
  if (start.effect?.db !== undefined) {
    const note = start.note === undefined ? '' : `, ${start.note}`
    const filled = before.filter((s) => s.effect?.cache !== undefined).at(-1)
    const after = filled !== undefined && filled.effect!.cache !== null && sameValue(filled.effect!.cache!, state.cache) ? ` after ${who(filled)} put ${show(state.cache)} in Redis` : ` while Redis still holds ${show(state.cache)}`
    return {
      index: since,
      why: `${who(start)} made MySQL ${show(state.db)}${after}${note}: no later step removes Redis's ${show(state.cache)}`,
    }
  }
  const views = staleViews(run)
  const held = views.length > 0 ? views.map(([actor, v]) => `${actor}'s in-process cache holds ${show(v)}`).join(', ') : `Redis holds ${show(state.cache)}`
  return {index: since, why: `after ${who(start)} the stores disagree for good: MySQL has ${show(state.db)}, ${held}`}
}

/** "B's SET", "A's cache.del": an actor's step as a sentence names it. */
function who(step: StepRecord): string {
  return `${step.actor}'s ${step.step.replace(/^redis\./, '')}`
}

function touchesCache(step: StepRecord): boolean {
  return /^(cache|redis)\./.test(step.step)
}

/**
 * The step each stale or dirty read came from: of the reading actor's steps that began with or
 * after its read, the first that returned the value read (else the first).
 */
function readSteps(run: RunResult): Map<number, ReadFinding[]> {
  const at = new Map<number, ReadFinding[]>()
  for (const read of run.reads) {
    const candidates = run.steps.filter((s) => s.actor === read.actor && s.startMs >= read.startMs - 0.001)
    const step = candidates.find((s) => sameValue(s.value, read.value) || returned(s, read.value)) ?? candidates[0]
    if (step === undefined) continue
    at.set(step.index, [...(at.get(step.index) ?? []), read])
  }
  return at
}

/** An app's SELECT answers rows: the read value is the first row's one column. */
function returned(step: StepRecord, value: Value): boolean {
  if (!Array.isArray(step.value) || step.value.length === 0) return false
  const first = step.value[0]
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) return Object.values(first).some((v) => sameValue(v, value))
  return false
}

function said(value: Value): string {
  return value === null ? 'nothing' : formatValue(value, Infinity)
}

/** A value in full: "–" for nothing. */
export function full(value: Value): string {
  return value === null ? '–' : formatValue(value, Infinity)
}

/** v1, v2, … for each distinct value, in the order met, when one of them is wider than `width`; empty when all fit. */
export function shortNames(values: readonly Value[], width: number): Map<string, string> {
  const texts = values.map(full)
  const names = new Map<string, string>()
  if (texts.every((t) => t.length <= width)) return names
  for (const text of texts) if (text !== '–' && !names.has(text)) names.set(text, `v${names.size + 1}`)
  return names
}
