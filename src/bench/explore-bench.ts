import type {ExploreResult} from '../run/explore-scenario.js'
import {exploreScenario} from '../run/explore-scenario.js'
import type {Workbenches} from '../run/workbenches.js'
import type {Scenario} from '../scenario/types.js'
import {RawFloor} from './explore-floor.js'

export interface ExploreBenchOptions {
  /** Every scenario runs on the plain stores (those that need a binlog or a replica are not for this bench). */
  benches: Workbenches
  signal: AbortSignal
  /** Orders run at once in the parallel pass. */
  parallel: number
  /** Passes over every scenario; the best pass counts (the machine is shared and noisy). */
  repeat: number
  /** For progress: after each order, and after each search (a scenario is searched 1 + 2 × repeat times). */
  onRun?: (count: number, estimate: number) => void
  onExplored?: (result: ExploreResult) => void
}

export interface ExploreBenchRow {
  scenario: string
  actors: number
  orders: number
  steps: number
  /** Sequential: orders per second, and the raw floor's orders per second on the same runs. */
  ordersPerSecond: number
  floorOrdersPerSecond: number
  /** Time per order over the floor's time per order (1.0 = no framework cost). */
  overFloor: number
  parallelOrdersPerSecond: number
  /** The parallel rate over the sequential one. */
  speedup: number
  /** Every order got the same verdict in both passes. */
  sameVerdicts: boolean
  /** Time a step spends in cachesim outside its store call (µs, sequential pass). */
  frameworkUsPerStep: number
}

export interface ExploreBenchResult {
  parallel: number
  rows: ExploreBenchRow[]
  /** Totals over the two-actor scenarios, and over all. */
  twoActors: Omit<ExploreBenchRow, 'scenario' | 'actors' | 'sameVerdicts'>
  all: Omit<ExploreBenchRow, 'scenario' | 'actors' | 'sameVerdicts'>
  sameVerdicts: boolean
}

/**
 * `bench explore`: explores every scenario sequentially and in parallel, times the raw floor
 * of the same operations on the same servers in the same process, and prints the ratios.
 */
export async function benchExplore(scenarios: readonly Scenario[], options: ExploreBenchOptions): Promise<ExploreBenchResult> {
  const bench = await options.benches.on('plain')
  const floor = await RawFloor.open(bench.targets)
  try {
    const rows: ExploreBenchRow[] = []
    for (const scenario of scenarios) {
      const explore = async (parallel: number) => {
        const result = await exploreScenario(scenario, bench, {signal: options.signal, parallel, keep: 'runs', ...(options.onRun ? {onRun: options.onRun} : {})})
        options.onExplored?.(result)
        return result
      }
      await explore(options.parallel) // warm every slot's connections
      let sequential: ExploreResult | null = null
      let parallel: ExploreResult | null = null
      let floorMs = Infinity
      for (let pass = 0; pass < options.repeat; pass++) {
        const s = await explore(1)
        if (!sequential || s.durationMs < sequential.durationMs) sequential = s
        const p = await explore(options.parallel)
        if (!parallel || p.durationMs < parallel.durationMs) parallel = p
        floorMs = Math.min(floorMs, await floor.time(s.runs, scenario.lock))
      }
      rows.push(row(scenario, sequential!, parallel!, floorMs))
    }
    return {
      parallel: options.parallel,
      rows,
      twoActors: total(rows.filter((r) => r.actors === 2)),
      all: total(rows),
      sameVerdicts: rows.every((r) => r.sameVerdicts),
    }
  } finally {
    await floor.close()
  }
}

function row(scenario: Scenario, sequential: ExploreResult, parallel: ExploreResult, floorMs: number): ExploreBenchRow {
  const verdicts = (r: ExploreResult) => JSON.stringify(r.runs.map((run) => [run.order.join(' '), run.db, run.cache, run.divergent, run.staleReads, run.dirtyReads]))
  const steps = sequential.runs.reduce((sum, run) => sum + run.steps.length, 0)
  // Time with no store call in flight: what cachesim itself spends (a blocked step overlaps others).
  const inStores = sequential.runs.reduce((sum, run) => sum + busyTime(run.steps.map((s) => [s.startMs, s.endMs ?? s.startMs])), 0)
  const inSchedules = sequential.runs.reduce((sum, run) => sum + run.durationMs, 0)
  const ordersPerSecond = (sequential.orders / sequential.durationMs) * 1000
  const floorOrdersPerSecond = (sequential.orders / floorMs) * 1000
  const parallelOrdersPerSecond = (parallel.orders / parallel.durationMs) * 1000
  return {
    scenario: scenario.name,
    actors: scenario.actors.length,
    orders: sequential.orders,
    ordersPerSecond,
    floorOrdersPerSecond,
    overFloor: floorOrdersPerSecond / ordersPerSecond,
    parallelOrdersPerSecond,
    speedup: parallelOrdersPerSecond / ordersPerSecond,
    sameVerdicts: verdicts(sequential) === verdicts(parallel),
    steps,
    frameworkUsPerStep: steps > 0 ? ((inSchedules - inStores) / steps) * 1000 : 0,
  }
}

/** The length of the union of these intervals. */
function busyTime(intervals: [number, number][]): number {
  let total = 0
  let end = -Infinity
  for (const [from, to] of intervals.sort((a, b) => a[0] - b[0])) {
    if (to <= end) continue
    total += to - Math.max(from, end)
    end = to
  }
  return total
}

function total(rows: readonly ExploreBenchRow[]): ExploreBenchResult['all'] {
  const orders = rows.reduce((sum, r) => sum + r.orders, 0)
  const time = (rate: (r: ExploreBenchRow) => number) => rows.reduce((sum, r) => sum + r.orders / rate(r), 0)
  const sequential = orders / time((r) => r.ordersPerSecond)
  const floor = orders / time((r) => r.floorOrdersPerSecond)
  const parallel = orders / time((r) => r.parallelOrdersPerSecond)
  const steps = rows.reduce((sum, r) => sum + r.steps, 0)
  return {
    orders,
    steps,
    ordersPerSecond: sequential,
    floorOrdersPerSecond: floor,
    overFloor: floor / sequential,
    parallelOrdersPerSecond: parallel,
    speedup: parallel / sequential,
    frameworkUsPerStep: rows.reduce((sum, r) => sum + r.frameworkUsPerStep * r.steps, 0) / Math.max(1, steps),
  }
}
