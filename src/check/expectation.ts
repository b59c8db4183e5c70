import type {Value} from '../history/types.js'
import {sameValue} from '../history/value.js'
import type {CountExpectation, Expectation, ExploreExpectation, RunExpectation} from '../scenario/types.js'

export interface ObservedRun {
  divergent: boolean
  db: Value
  cache: Value
  staleReads: number
  dirtyReads: number
  dbQueries: number
  lostWrites: number
  cacheMisses: number
  convergedAfterMs: number | null
  /** Each actor's in-process cache at the end, for an app that shows one (an actor left out holds nothing). */
  views?: Record<string, Value>
}

const LABELS: Record<Exclude<keyof RunExpectation, 'explore' | 'convergedWithinMs' | 'views'>, string> = {
  divergent: 'divergent',
  db: 'MySQL value',
  cache: 'Redis value',
  staleReads: 'stale reads',
  dirtyReads: 'dirty reads',
  dbQueries: 'DB queries',
  lostWrites: 'lost writes',
  cacheMisses: 'cache misses',
}

/** Every way the run differs from its `expect:`, as short phrases; empty when it matches. */
export function compareExpectation(expect: RunExpectation, observed: ObservedRun): string[] {
  const mismatches: string[] = []
  for (const key of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
    if (!(key in expect)) continue
    const want = expect[key]
    const got = observed[key]
    if (!sameValue(want ?? null, got)) mismatches.push(`${LABELS[key]}: expected ${show(want)}, got ${show(got)}`)
  }
  for (const [actor, want] of Object.entries(expect.views ?? {})) {
    const got = observed.views?.[actor] ?? null
    if (!sameValue(want, got)) mismatches.push(`${actor}'s in-process cache: expected ${show(want)}, got ${show(got)}`)
  }
  const within = expect.convergedWithinMs
  if (within !== undefined && (observed.convergedAfterMs === null || observed.convergedAfterMs > within)) {
    const got = observed.convergedAfterMs === null ? (observed.divergent ? 'still divergent' : 'never diverged') : `${Math.round(observed.convergedAfterMs)} ms`
    mismatches.push(`converged within ${within} ms: got ${got}`)
  }
  return mismatches
}

/** The part of `expect:` about a single run, or null when it pins only what explore finds. */
export function runExpectation(expect: Expectation | undefined): RunExpectation | null {
  if (expect === undefined) return null
  const {explore: _explore, ...run} = expect
  return Object.keys(run).length > 0 ? run : null
}

const EXPLORE_LABELS: Record<Exclude<keyof ExploreExpectation, 'witness'>, string> = {
  orders: 'orders',
  impossibleOrders: 'impossible orders',
  divergentOrders: 'divergent orders',
  staleOrders: 'orders with stale reads',
  dirtyOrders: 'orders with dirty reads',
}

export interface ObservedExploration {
  orders: number
  impossibleOrders: number
  divergentOrders: number
  staleOrders: number
  dirtyOrders: number
  /** The shortest divergent order, or null when none diverged. */
  witness: string | null
  /** False when --max-orders cut the search short: counts are then lower bounds. */
  complete: boolean
}

/** Every way an exploration differs from `expect: { explore: … }`; empty when it matches. */
export function compareExploreExpectation(expect: ExploreExpectation, observed: ObservedExploration): string[] {
  const mismatches: string[] = []
  if (!observed.complete) mismatches.push('the search stopped at --max-orders, so the counts are incomplete')
  for (const key of Object.keys(EXPLORE_LABELS) as (keyof typeof EXPLORE_LABELS)[]) {
    const want = expect[key]
    if (want === undefined) continue
    if (!countMatches(want, observed[key])) mismatches.push(`${EXPLORE_LABELS[key]}: expected ${want}, got ${observed[key]}`)
  }
  if (expect.witness !== undefined) {
    const want = expect.witness.trim().split(/[\s,]+/).join(' ')
    if (want !== observed.witness) mismatches.push(`witness: expected "${want}", got ${observed.witness === null ? 'none' : `"${observed.witness}"`}`)
  }
  return mismatches
}

/**
 * Whether an explore expectation counts orders one by one: an exact count other than none or
 * some, or a witness. A reduced search counts classes of orders, so it can judge only whether
 * something happens (0, ">0"); a scenario that pins more is searched in full.
 */
export function pinsOrderCounts(expect: ExploreExpectation | null): boolean {
  if (!expect) return false
  if (expect.witness !== undefined) return true
  return (Object.keys(EXPLORE_LABELS) as (keyof typeof EXPLORE_LABELS)[]).some((key) => {
    const want = expect[key]
    if (want === undefined) return false
    return !(['0', '>0', '>=1', '!=0', '=0'] as const).some((form) => String(want).replace(/\s+/g, '') === form)
  })
}

/** 2 matches 2; ">0", ">=1", "<3", "<=3", "=2", "!=0" compare. */
export function countMatches(want: CountExpectation, got: number): boolean {
  if (typeof want === 'number') return got === want
  const match = /^\s*(>=|<=|>|<|=|!=)?\s*(\d+)\s*$/.exec(want)
  if (!match) return false
  const n = Number(match[2])
  switch (match[1]) {
    case '>':
      return got > n
    case '>=':
      return got >= n
    case '<':
      return got < n
    case '<=':
      return got <= n
    case '!=':
      return got !== n
    default:
      return got === n
  }
}

function show(value: unknown): string {
  return value === null ? 'none' : typeof value === 'object' ? JSON.stringify(value) : String(value)
}
