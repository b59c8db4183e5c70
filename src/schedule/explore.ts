import {CachesimError} from '../errors/cachesim-error.js'
import type {ActorName} from '../history/types.js'
import {abortReason} from '../util/delay.js'
import {seededRandom} from '../util/random.js'
import type {StepOf} from '../history/independence.js'
import {afterTaking, alternativesAt, isAsleep, type Sleeping} from './sleep-set.js'
import type {Selector} from './stepped.js'
import type {Decision} from './types.js'

/** What the explorer needs to know of one run: the order it took and where it could have branched. */
export interface ExploredRun {
  order: string[]
  /** The order's steps as the independence relation sees them (a reduced search reads them). */
  released: StepOf[]
  decisions: Decision[]
}

/**
 * How one run picks its steps, as data (so that it can be sent to another thread): follow a
 * prefix and then take the first actor that can go, or pick at random from a seed. In a reduced
 * search a prefix comes with the steps asleep where it ends (see sleep-set.ts): past the prefix
 * the run takes the first actor whose step is awake.
 */
export type OrderPlan =
  | {kind: 'prefix'; prefix: ActorName[]; sleeping?: StepOf[]}
  | {kind: 'random'; seed: number}
  | {kind: 'pct'; seed: number; depth: number; steps: number}

/** Runs the scenario once from its reset state, picking steps by `plan`; `slot` keeps parallel runs apart. */
export type RunOrder<R extends ExploredRun> = (plan: OrderPlan, slot: number) => Promise<R>

/** The selector that carries out a plan. */
export function planSelector(plan: OrderPlan): Selector {
  switch (plan.kind) {
    case 'prefix':
      return prefixSelector(plan.prefix, plan.sleeping)
    case 'random':
      return randomSelector(seededRandom(plan.seed))
    case 'pct':
      return pctSelector(seededRandom(plan.seed), plan.depth, plan.steps)
  }
}

export interface ExploreOptions<R = unknown> {
  signal: AbortSignal
  /** Stop after this many orders (the result says it is incomplete). */
  maxOrders: number
  /** Orders run at once, each in its own slot. */
  parallel: number
  /**
   * Search only shard `index` (from 0) of `count`: the first run is every shard's, each
   * alternative it leaves goes to one shard in turn, and all that follows from one stays there.
   * The shards' orders are disjoint and together every order; the first run counts in shard 0.
   */
  shard?: {index: number; count: number}
  /** Each run this search counts (not the first run in shards other than 0), as it ends. */
  accept?: (run: R) => void
  /** False: count the runs, but keep none (whoever runs them keeps what it needs): memory flat in the number of orders. */
  keepRuns?: boolean
  /** Called after each run, e.g. for progress: runs so far, and prefixes still to run (each one order at least). */
  onRun?: (count: number, pending: number) => void
  /**
   * Explore one order per class of orders that differ only by swapping adjacent steps that
   * commute (history/independence.ts), with sleep sets, rather than every order.
   */
  reduce?: boolean
}

export interface Explored<R> {
  runs: R[]
  /** False when --max-orders stopped the search before every order was visited. */
  complete: boolean
  /** Runs of a reduced search that found every step that could go asleep: their class was explored by another run, so they are not counted. */
  redundant: number
}

/** A replayed prefix did not go the way it went before: something outside the schedule decides. */
export class NondeterminismError extends CachesimError {}

/**
 * Every order, each exactly once: a depth-first search over which actor goes next, re-running
 * the scenario from its reset state for each branch (stateless model checking). A run follows
 * its prefix and then always picks the first actor that can go; every other actor that could
 * have gone at a choice point past the prefix becomes a new prefix to run. Independent
 * prefixes run in parallel slots.
 */
export async function exploreAllOrders<R extends ExploredRun>(runOrder: RunOrder<R>, options: ExploreOptions<R>): Promise<Explored<R>> {
  const runs: R[] = []
  let finished = 0
  const shard = options.shard ?? {index: 0, count: 1}
  // A prefix with `shared` is run by every shard (only the first run is).
  type Plan = {prefix: ActorName[]; shared: boolean; sleeping?: StepOf[]}
  const pending: Plan[] = [{prefix: [], shared: shard.count > 1, ...(options.reduce ? {sleeping: []} : {})}]
  let redundant = 0
  let started = 0
  let busy = 0
  let waiting: (() => void)[] = []
  const wakeAll = () => {
    const woken = waiting
    waiting = []
    for (const wake of woken) wake()
  }

  /**
   * Pushes every alternative of `run` past its prefix. In a reduced search only steps that are
   * awake are alternatives, each with what sleeps where it starts; and a run stops branching
   * where it took a step that was asleep (it is redundant from there). Returns whether the run
   * is redundant.
   */
  const expand = (run: R, plan: Plan, shared: boolean): boolean => {
    const actors = run.order.map(actorOf)
    const choices = new Map(run.decisions.map((d) => [d.position, d]))
    let sleeping: Sleeping | undefined = plan.sleeping
    let alternative = 0
    const found: Plan[] = []
    let redundant = false
    for (let position = plan.prefix.length; position < run.order.length; position++) {
      const taken = run.released[position]!
      if (sleeping && isAsleep(sleeping, taken)) {
        redundant = true
        break
      }
      const decision = choices.get(position)
      if (decision) {
        const others = decision.steps
          .filter((o) => o.actor !== decision.chosen && !(sleeping && isAsleep(sleeping, o)))
        const next = sleeping ? alternativesAt(sleeping, taken, others) : others.map((step) => ({step, sleeping: undefined}))
        const here: Plan[] = []
        for (const {step, sleeping: asleep} of next) {
          const mine = !shared || alternative % shard.count === shard.index
          alternative += 1
          if (mine) here.push({prefix: [...actors.slice(0, position), step.actor], shared: false, ...(asleep ? {sleeping: asleep} : {})})
        }
        // Pushed shallow-first so that the deepest alternative is run next, and of one point's the first listed (lexicographic order).
        found.push(...here.reverse())
      }
      if (sleeping) sleeping = afterTaking(sleeping, taken)
    }
    pending.push(...found)
    return redundant
  }

  let failed = false
  const worker = async (slot: number) => {
    for (;;) {
      if (options.signal.aborted) throw abortReason(options.signal)
      if (failed || started >= options.maxOrders) return
      const next = pending.pop()
      if (!next) {
        if (busy === 0) return
        await new Promise<void>((resolve) => waiting.push(resolve))
        continue
      }
      started += 1
      busy += 1
      try {
        const run = await runOrder({kind: 'prefix', prefix: next.prefix, ...(next.sleeping ? {sleeping: next.sleeping} : {})}, slot)
        const counted = !next.shared || shard.index === 0
        if (expand(run, next, next.shared)) {
          if (counted) redundant += 1
        } else if (counted) {
          finished += 1
          if (options.keepRuns !== false) runs.push(run)
          options.accept?.(run)
        }
        options.onRun?.(finished, pending.length)
      } catch (error) {
        // One failure stops every worker: the others finish their current order and return.
        failed = true
        throw error
      } finally {
        busy -= 1
        wakeAll()
      }
    }
  }

  await allOrFirstError(Array.from({length: Math.max(1, options.parallel)}, (_, slot) => worker(slot)))
  return {runs, complete: pending.length === 0, redundant}
}

/** Draws per wanted sample before a sample gives up looking for orders it has not seen. */
export const DRAWS_PER_SAMPLE = 20

export interface Sampled<R> extends Explored<R> {
  /** Runs drawn, repeats included. */
  draws: number
  /** False when the draws ran out before `count` distinct orders were found (the space may hold no more). */
  filled: boolean
}

/**
 * `count` distinct orders drawn at random, reproducibly (it also gives up once
 * DRAWS_PER_SAMPLE × (orders found + 1) draws in a row found nothing new): draw i uses its own generator seeded
 * from (seed, i), and draws are taken in the order of i, an order already seen set aside, so the
 * same seed gives the same orders however many run in parallel. At most count × DRAWS_PER_SAMPLE
 * draws: a space smaller than `count` ends the sample early. `accept` sees each kept run, in draw
 * order.
 */
export async function sampleOrders<R extends ExploredRun>(
  runOrder: RunOrder<R>,
  options: Omit<ExploreOptions<R>, 'maxOrders' | 'shard'> & {
    count: number
    seed: number
    /** How a draw picks its steps from its seed (default: a random actor at each step). */
    plan?: (seed: number) => OrderPlan
    /** Draws per wanted sample before giving up (default DRAWS_PER_SAMPLE). */
    drawsPerSample?: number
  },
): Promise<Sampled<R>> {
  const planOf = options.plan ?? ((seed: number): OrderPlan => ({kind: 'random', seed}))
  const runs: R[] = []
  const seen = new Set<string>()
  const drawn = new Map<number, R>()
  const perSample = options.drawsPerSample ?? DRAWS_PER_SAMPLE
  const maxDraws = options.count * perSample
  let accepted = 0
  let cursor = 0
  let next = 0
  let failed = false
  // Draws in a row that found nothing new, and whether that ran past what the orders found so far
  // justify (a space smaller than the sample): decided in draw order, so parallel runs agree.
  let sinceNew = 0
  let exhausted = false
  // Takes the draws that have come back, in draw order, until one is missing or enough are kept.
  const settle = () => {
    while (accepted < options.count && !exhausted && drawn.has(cursor)) {
      const run = drawn.get(cursor)!
      drawn.delete(cursor)
      cursor += 1
      const key = run.order.join(' ')
      if (seen.has(key)) {
        sinceNew += 1
        if (sinceNew >= perSample * (accepted + 1)) exhausted = true
        continue
      }
      sinceNew = 0
      seen.add(key)
      accepted += 1
      if (options.keepRuns !== false) runs.push(run)
      options.accept?.(run)
      options.onRun?.(accepted, options.count - accepted)
    }
  }
  const worker = async (slot: number) => {
    while (!failed && !exhausted && accepted < options.count && next < maxDraws) {
      // Enough draws in flight to fill the sample if every one is new: no more until they settle.
      if (next - cursor >= options.count - accepted + Math.max(0, options.parallel - 1)) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        continue
      }
      if (options.signal.aborted) throw abortReason(options.signal)
      const index = next++
      try {
        drawn.set(index, await runOrder(planOf(mix(options.seed, index)), slot))
      } catch (error) {
        failed = true
        throw error
      }
      settle()
    }
  }
  await allOrFirstError(Array.from({length: Math.max(1, options.parallel)}, (_, slot) => worker(slot)))
  settle()
  return {runs, complete: true, redundant: 0, draws: cursor, filled: accepted >= options.count}
}

/**
 * Follows `prefix`, then always the first actor that can go; in a reduced search (`sleeping`
 * given), the first whose step is awake. When every step that can go is asleep the order is
 * redundant: it goes on with the first actor, only to end the run (the search does not count it).
 */
export function prefixSelector(prefix: readonly ActorName[], sleeping?: Sleeping): Selector {
  let asleep = sleeping
  return {
    choose(enabled, {position}) {
      if (position >= prefix.length) {
        const next = (asleep && enabled.find((p) => !isAsleep(asleep!, p))) ?? enabled[0]!
        if (asleep) asleep = afterTaking(asleep, next)
        return next.actor
      }
      const want = prefix[position]!
      if (!enabled.some((p) => p.actor === want)) {
        throw new NondeterminismError(
          `a run did not repeat an earlier one: at step ${position + 1} ${want} could go before, now only ${enabled.map((p) => p.actor).join(', ')} can. Is something else writing cachesim's row or keys, or does the scenario depend on time (TTLs)?`,
        )
      }
      return want
    },
  }
}

export function randomSelector(random: () => number): Selector {
  return {choose: (enabled) => enabled[Math.floor(random() * enabled.length)]!.actor}
}

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
 * 2010), as shuttle offers it: each actor gets a random priority, and the highest-priority actor
 * that can go always goes; at `depth - 1` random points among the run's `steps` the actor about
 * to go drops below every other. A bug that needs `depth` steps in a certain order (its depth) is
 * found by one run with probability at least 1 / (actors × steps^(depth-1)), however many orders
 * the scenario has: see pctBound.
 */
export function pctSelector(random: () => number, depth: number, steps: number): Selector {
  const priority = new Map<ActorName, number>()
  // Change point i (from 1) lowers to depth - i: below every first priority (>= depth) and every earlier change.
  const changes = new Map<number, number>()
  const positions = Math.max(1, steps - 1)
  for (let i = 1; i < depth && changes.size < positions; i++) {
    let at = 1 + Math.floor(random() * positions)
    while (changes.has(at)) at = 1 + (at % positions)
    changes.set(at, depth - i)
  }
  const highest = (enabled: readonly {actor: ActorName}[]) =>
    enabled.reduce((best, p) => (priority.get(p.actor)! > priority.get(best.actor)! ? p : best))
  return {
    choose(enabled, {position}) {
      for (const p of enabled) if (!priority.has(p.actor)) priority.set(p.actor, depth + random())
      const lowered = changes.get(position)
      if (lowered !== undefined) priority.set(highest(enabled).actor, lowered)
      return highest(enabled).actor
    },
  }
}

/** The least chance that one PCT run finds a given bug of depth `depth`: 1 / (actors × steps^(depth-1)). */
export function pctBound(actors: number, steps: number, depth: number): number {
  return 1 / (Math.max(1, actors) * Math.max(1, steps) ** (depth - 1))
}

export function actorOf(token: string): ActorName {
  return token.slice(0, token.indexOf(':'))
}

/**
 * How many orders keep each actor's steps in its own order, for the steps of one run:
 * n! / (k1! k2! …). An estimate of a scenario's orders (paths that branch on data, or steps
 * that block, make it more or fewer), for progress only.
 */
export function interleavingsOf(order: readonly string[]): number {
  const perActor = new Map<string, number>()
  for (const token of order) perActor.set(actorOf(token), (perActor.get(actorOf(token)) ?? 0) + 1)
  let result = 1
  let placed = 0
  // Builds the multinomial as a product of binomials, exact while it fits in a double.
  for (const k of perActor.values()) {
    for (let i = 1; i <= k; i++) result = (result * (placed + i)) / i
    placed += k
  }
  return Math.round(result)
}

/** Switches between actors in an order: the second measure of how simple a witness is. */
export function switches(order: readonly string[]): number {
  let count = 0
  for (let i = 1; i < order.length; i++) if (actorOf(order[i]!) !== actorOf(order[i - 1]!)) count += 1
  return count
}


function mix(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0
}

/** Waits for every worker to stop (so none runs on after we return), then throws the first error. */
async function allOrFirstError(workers: Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(workers)
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
  if (failure) throw failure.reason
}
