import {type VerdictWord, worstWord} from '../check/verdict.js'
import {behaviourKey} from '../history/behaviour.js'
import {switches} from '../schedule/explore.js'
import type {RunResult} from './result.js'

/** One order as `explore --json` lists it: a run without its history (a few hundred bytes, not 30 KB). */
export type OrderRun = Omit<RunResult, 'steps' | 'entries' | 'operations' | 'reads' | 'decisions' | 'released'>

/**
 * What to keep of each order: `counts` only the counts and the few runs a report shows (memory
 * flat in the number of orders), `orders` also one line per order (what --json lists), `runs`
 * also every run in full (tests; ~30 KB an order).
 */
export type KeepRuns = 'counts' | 'orders' | 'runs'

/** The keys of the behaviours seen (behaviourKey), all and by finding: what shards' counts are united by. */
export interface BehaviourKeys {
  all: string[]
  divergent: string[]
  stale: string[]
  dirty: string[]
}

/** Impossible orders a report names one by one; the rest are counted. */
const STUCK_SHOWN = 3

/**
 * Sums up an exploration one run at a time, so that no run is kept after it has been counted
 * unless it is one a report shows: the shortest divergent run (the witness), the shortest of each
 * verdict, and the first few impossible orders.
 */
export class ExploreTally {
  orders = 0
  impossibleOrders = 0
  /** Orders in which a sleeper's timer steps were cut (stepped.ts, MAX_TIMER_STEPS). */
  timersCutOrders = 0
  divergentOrders = 0
  staleOrders = 0
  dirtyOrders = 0
  /** Finished orders whose verdict is consistent. */
  consistentOrders = 0
  readonly runs: RunResult[] = []
  readonly orderRuns: OrderRun[] = []
  /** The first impossible orders, by order string. */
  stuckRuns: OrderRun[] = []
  /** The shortest run of each verdict word. */
  readonly shortestOf = new Map<VerdictWord, RunResult>()
  private shortestStaleOrDirty: RunResult | null = null
  private readonly behaviours = {all: new Set<string>(), divergent: new Set<string>(), stale: new Set<string>(), dirty: new Set<string>()}
  private readonly orderSet: Set<string> | null
  private words: VerdictWord[] = []
  private unfiredEverywhere: string[] | null = null

  constructor(
    private readonly keep: KeepRuns,
    /** Count distinct orders (a sample may repeat one; an enumeration never does). */
    countDistinct: boolean,
  ) {
    this.orderSet = countDistinct ? new Set() : null
  }

  add(run: RunResult): void {
    this.orders += 1
    const orderText = run.order.join(' ')
    this.orderSet?.add(orderText)
    this.unfiredEverywhere = (this.unfiredEverywhere ?? run.unfired.filter((what) => what.startsWith('fault'))).filter((what) => run.unfired.includes(what))
    if (this.keep === 'runs') this.runs.push(run)
    if (this.keep !== 'counts') this.orderRuns.push(orderRun(run))
    if (run.timersCut) this.timersCutOrders += 1
    if (run.stuck) {
      this.impossibleOrders += 1
      this.stuckRuns = [...this.stuckRuns, orderRun(run)].sort((a, b) => compareText(a.order.join(' '), b.order.join(' '))).slice(0, STUCK_SHOWN)
      return
    }
    this.words = [worstWord([...this.words, run.verdict.word])]
    const key = behaviourKey(run)
    this.behaviours.all.add(key)
    if (run.divergent) {
      this.divergentOrders += 1
      this.behaviours.divergent.add(key)
    }
    if (run.staleReads > 0) {
      this.staleOrders += 1
      this.behaviours.stale.add(key)
    }
    if (run.dirtyReads > 0) {
      this.dirtyOrders += 1
      this.behaviours.dirty.add(key)
    }
    const word = run.verdict.word
    if (word === 'consistent') this.consistentOrders += 1
    this.shortestOf.set(word, shorter(this.shortestOf.get(word) ?? null, run))
    if (run.staleReads + run.dirtyReads > 0) this.shortestStaleOrDirty = shorter(this.shortestStaleOrDirty, run)
    if (run.divergent) this.witness = shorter(this.witness, run)
  }

  /** The shortest divergent run: fewest steps, then fewest switches between actors. */
  witness: RunResult | null = null

  /** When no order diverged, the shortest with stale or dirty reads, to show what they look like. */
  get example(): RunResult | null {
    return this.witness ? null : this.shortestStaleOrDirty
  }

  get distinctOrders(): number {
    return this.orderSet ? this.orderSet.size : this.orders
  }

  get behaviourKeys(): BehaviourKeys {
    return {
      all: [...this.behaviours.all].sort(),
      divergent: [...this.behaviours.divergent].sort(),
      stale: [...this.behaviours.stale].sort(),
      dirty: [...this.behaviours.dirty].sort(),
    }
  }

  get behaviourCounts(): {behaviours: number; divergentBehaviours: number; staleBehaviours: number; dirtyBehaviours: number} {
    return {
      behaviours: this.behaviours.all.size,
      divergentBehaviours: this.behaviours.divergent.size,
      staleBehaviours: this.behaviours.stale.size,
      dirtyBehaviours: this.behaviours.dirty.size,
    }
  }

  /** The worst verdict of any order that finished (consistent when none did). */
  get worst(): VerdictWord {
    return worstWord(this.words)
  }

  /** Faults that fired in no order at all. */
  get unfired(): string[] {
    return this.unfiredEverywhere ?? []
  }

  /** Sorts what is kept of every order by its order string, as reports list them. */
  sort(): void {
    const byOrder = (a: {order: string[]}, b: {order: string[]}) => compareText(a.order.join(' '), b.order.join(' '))
    this.runs.sort(byOrder)
    this.orderRuns.sort(byOrder)
  }
}

export function orderRun(run: RunResult): OrderRun {
  const {steps: _steps, entries: _entries, operations: _operations, reads: _reads, decisions: _decisions, released: _released, ...rest} = run
  return rest
}

/** The simpler of two runs: fewer steps, then fewer switches between actors, then the first order string. */
function shorter(best: RunResult | null, run: RunResult): RunResult {
  if (!best) return run
  const byLength = run.order.length - best.order.length
  const bySwitches = switches(run.order) - switches(best.order)
  const simpler = byLength < 0 || (byLength === 0 && (bySwitches < 0 || (bySwitches === 0 && compareText(run.order.join(' '), best.order.join(' ')) < 0)))
  return simpler ? run : best
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
