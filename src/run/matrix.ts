import type {VerdictWord} from '../check/verdict.js'
import {STRATEGIES} from '../strategies/index.js'
import type {Scenario} from '../scenario/types.js'
import {exploreScenario, type ExploreResult} from './explore-scenario.js'
import type {Workbenches} from './workbenches.js'

/** The matrix's columns, in the order a reader meets them: races first, then faults. */
const RACES = ['two-writers', 'cold-refill', 'warm-read', 'cache-step-fails', 'crash-between', 'pause-past-ttl']

/**
 * ✓ consistent in every order; ✗ divergent (or a write lost) in some order; ~ stale or dirty
 * reads, but never divergent; ? some step's outcome unknown, nothing worse; ⊘ no order could
 * complete (every one impossible or stuck), so nothing was seen to be consistent.
 */
export type CellVerdict = '✓' | '✗' | '~' | '?' | '⊘'

/** A cell sums up the worst verdict of any order. */
const SYMBOL: Record<VerdictWord, CellVerdict> = {
  impossible: '✓',
  divergent: '✗',
  lost: '✗',
  stale: '~',
  dirty: '~',
  unknown: '?',
  consistent: '✓',
}

export interface MatrixCell {
  strategy: string
  race: string
  scenario: string
  verdict: CellVerdict
  explored: ExploreResult
  /** Whether the verdict is the one the literature gives (the scenario's expect:); null when it pins none. */
  matchesLiterature: boolean | null
}

export interface MatrixResult {
  /** Column order: the races and faults, as first met in the strategies' order. */
  races: string[]
  strategies: string[]
  cells: MatrixCell[]
  durationMs: number
}

export interface MatrixOptions {
  benches: Workbenches
  signal: AbortSignal
  parallel?: number
  maxOrders?: number
  onCell?: (cell: MatrixCell) => void
  /** After each order of a cell, for progress (exploreScenario's onRun). */
  onRun?: (count: number, estimate: number) => void
}

/** Explores every matrix scenario (one per strategy and race) and sums each up in one symbol. */
export async function buildMatrix(scenarios: readonly Scenario[], options: MatrixOptions): Promise<MatrixResult> {
  const started = performance.now()
  const cells: MatrixCell[] = []
  for (const scenario of scenarios) {
    const explored = await exploreScenario(scenario, await options.benches.for(scenario), {
      signal: options.signal,
      keep: 'counts',
      ...(options.parallel === undefined ? {} : {parallel: options.parallel}),
      ...(options.maxOrders === undefined ? {} : {maxOrders: options.maxOrders}),
      ...(options.onRun === undefined ? {} : {onRun: options.onRun}),
    })
    const cell: MatrixCell = {
      strategy: scenario.strategy,
      race: scenario.race ?? scenario.name,
      scenario: scenario.name,
      verdict: explored.orders > 0 && explored.impossibleOrders === explored.orders ? '⊘' : SYMBOL[explored.worst],
      explored,
      matchesLiterature: explored.matchesExpected,
    }
    cells.push(cell)
    options.onCell?.(cell)
  }
  const builtIn = STRATEGIES.map((s) => s.name).filter((name) => cells.some((c) => c.strategy === name))
  const strategies = [...builtIn, ...new Set(cells.map((c) => c.strategy).filter((name) => !builtIn.includes(name)))]
  const known = RACES.filter((race) => cells.some((c) => c.race === race))
  const races = [...known, ...new Set(cells.map((c) => c.race).filter((race) => !RACES.includes(race)))]
  return {races, strategies, cells, durationMs: performance.now() - started}
}
