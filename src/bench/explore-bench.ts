import {createHash} from 'node:crypto'

import type {ExploreResult} from '../run/explore-scenario.js'
import {exploreScenario} from '../run/explore-scenario.js'
import type {Workbenches} from '../run/workbenches.js'
import type {Scenario} from '../scenario/types.js'
import type {RunResult} from '../run/result.js'
import {seededRandom} from '../util/random.js'
import {RawFloor} from './explore-floor.js'

export interface ExploreBenchOptions {
  /** Every scenario runs on the plain stores (those that need a binlog or a replica are not for this bench). */
  benches: Workbenches
  signal: AbortSignal
  /** Orders run at once in the parallel pass. */
  parallel: number
  /** Passes over every scenario; the best pass counts (the machine is shared and noisy). */
  repeat: number
  /** Explore every order rather than one per class (explore's --no-reduce). */
  reduce?: boolean
  /** For progress: after each order, and after each search (a scenario is searched 1 + 2 × repeat times). */
  onRun?: (count: number, estimate: number) => void
  onExplored?: (result: ExploreResult) => void
}

export interface ExploreBenchRow {
  scenario: string
  actors: number
  /** Orders explored: one per class in a reduced search. */
  orders: number
  /** The orders they stand for, when known (every order explored, in a full search). */
  ordersRepresented: number | null
  /** Sequential pass: seconds for the whole search. */
  seconds: number
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
  /** The process's peak resident memory (MB), at the end. */
  peakRssMb: number
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
        const search = new SearchTally()
        const result = await exploreScenario(scenario, bench, {
          signal: options.signal,
          parallel,
          keep: 'counts',
          // A bench searches to the end: the figures are of whole searches.
          maxOrders: BENCH_MAX_ORDERS,
          ...(options.reduce === undefined ? {} : {reduce: options.reduce}),
          onRunResult: (run) => search.add(run),
          ...(options.onRun ? {onRun: options.onRun} : {}),
        })
        options.onExplored?.(result)
        return {result, search}
      }
      await explore(options.parallel) // warm every slot's connections
      let sequential: Searched | null = null
      let parallel: Searched | null = null
      let floorMs = Infinity
      for (let pass = 0; pass < options.repeat; pass++) {
        const s = await explore(1)
        if (!sequential || s.result.durationMs < sequential.result.durationMs) sequential = s
        const p = await explore(options.parallel)
        if (!parallel || p.result.durationMs < parallel.result.durationMs) parallel = p
        // The floor of a uniform sample of the orders, scaled to all of them: memory stays flat.
        const sample = s.search.sample.items
        floorMs = Math.min(floorMs, ((await floor.time(sample, scenario.lock)) * s.result.orders) / Math.max(1, sample.length))
      }
      rows.push(row(scenario, sequential!, parallel!, floorMs))
    }
    return {
      parallel: options.parallel,
      rows,
      twoActors: total(rows.filter((r) => r.actors === 2)),
      all: total(rows),
      sameVerdicts: rows.every((r) => r.sameVerdicts),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }
  } finally {
    await floor.close()
  }
}

const BENCH_MAX_ORDERS = 2_000_000

/** At most this many orders of a search are kept, a uniform sample, for the raw floor. */
const FLOOR_SAMPLE = 400

interface Searched {
  result: ExploreResult
  search: SearchTally
}

/** What a bench needs of a search's orders, summed as each ends (nothing kept but a bounded sample). */
class SearchTally {
  steps = 0
  /** Time with a store call in flight, and time in the schedule, summed over the orders (ms). */
  inStores = 0
  inSchedules = 0
  /**
   * Every order's verdict, kept as a digest that does not depend on the order the orders ended
   * in: the count, and the sum (mod 2^128) of each verdict's SHA-256 prefix. Memory stays flat.
   */
  private verdicts = 0
  private verdictSum = 0n
  readonly sample = new Reservoir<RunResult>(FLOOR_SAMPLE, 0x5eed)

  add(run: RunResult): void {
    this.steps += run.steps.length
    this.inStores += busyTime(run.steps.map((s) => [s.startMs, s.endMs ?? s.startMs]))
    this.inSchedules += run.durationMs
    const verdict = JSON.stringify([run.order.join(' '), run.db, run.cache, run.divergent, run.staleReads, run.dirtyReads])
    this.verdicts += 1
    this.verdictSum = (this.verdictSum + BigInt(`0x${createHash('sha256').update(verdict).digest('hex').slice(0, 32)}`)) % 2n ** 128n
    this.sample.offer(run)
  }

  /** Every order's verdict, independent of the order the orders ended in. */
  get verdictSet(): string {
    return `${this.verdicts}:${this.verdictSum.toString(16)}`
  }
}

/** A uniform sample of at most `size` items of a stream (Vitter's algorithm R), the same for the same seed. */
export class Reservoir<T> {
  readonly items: T[] = []
  private seen = 0
  private readonly random: () => number

  constructor(
    private readonly size: number,
    seed: number,
  ) {
    this.random = seededRandom(seed)
  }

  offer(item: T): void {
    this.seen += 1
    if (this.items.length < this.size) this.items.push(item)
    else {
      const at = Math.floor(this.random() * this.seen)
      if (at < this.size) this.items[at] = item
    }
  }
}

function row(scenario: Scenario, sequential: Searched, parallel: Searched, floorMs: number): ExploreBenchRow {
  const steps = sequential.search.steps
  // Time with no store call in flight: what cachesim itself spends (a blocked step overlaps others).
  const {inStores, inSchedules} = sequential.search
  const ordersPerSecond = (sequential.result.orders / sequential.result.durationMs) * 1000
  const floorOrdersPerSecond = (sequential.result.orders / floorMs) * 1000
  const parallelOrdersPerSecond = (parallel.result.orders / parallel.result.durationMs) * 1000
  return {
    scenario: scenario.name,
    actors: scenario.actors.length,
    orders: sequential.result.orders,
    ordersRepresented: sequential.result.ordersRepresented,
    seconds: sequential.result.durationMs / 1000,
    ordersPerSecond,
    floorOrdersPerSecond,
    overFloor: floorOrdersPerSecond / ordersPerSecond,
    parallelOrdersPerSecond,
    speedup: parallelOrdersPerSecond / ordersPerSecond,
    sameVerdicts: sequential.search.verdictSet === parallel.search.verdictSet,
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
  const represented = rows.every((r) => r.ordersRepresented !== null) ? rows.reduce((sum, r) => sum + r.ordersRepresented!, 0) : null
  return {
    orders,
    ordersRepresented: represented,
    seconds: rows.reduce((sum, r) => sum + r.seconds, 0),
    steps,
    ordersPerSecond: sequential,
    floorOrdersPerSecond: floor,
    overFloor: floor / sequential,
    parallelOrdersPerSecond: parallel,
    speedup: parallel / sequential,
    frameworkUsPerStep: rows.reduce((sum, r) => sum + r.frameworkUsPerStep * r.steps, 0) / Math.max(1, steps),
  }
}
