import {committedVersions} from '../check/commits.js'
import {countDbQueries} from '../check/db-queries.js'
import {isDivergent} from '../check/divergence.js'
import {compareExpectation, runExpectation} from '../check/expectation.js'
import {checkReads} from '../check/reads.js'
import {History, pairSteps} from '../history/history.js'
import type {ActorName, OperationRecord} from '../history/types.js'
import type {Scenario} from '../scenario/types.js'
import {ActorRuntime, StepFailedError} from '../schedule/actor.js'
import {LocalMutex, type LockKind, redisLock, type RowLock} from '../schedule/locks.js'
import type {ServerWaitProbe} from '../schedule/stepped.js'
import type {Schedule} from '../schedule/types.js'
import {getStrategy} from '../strategies/index.js'
import type {Strategy} from '../strategies/types.js'
import {itemKey, lockKey} from '../stores/keys.js'
import type {RunResult} from './result.js'
import type {StorePair, Workbench} from './workbench.js'
import {abortReason} from '../util/delay.js'

/** What a stepped schedule needs from the run: a way to ask MySQL about lock waits, and to end stuck calls. */
export interface ScheduleHooks {
  probe: ServerWaitProbe
  unstick: (actors: readonly ActorName[]) => Promise<void>
  /** Reads both stores' current values (for `--step`, which shows them before each step). */
  peek: () => Promise<{db: number | null; cache: number | null}>
}

export interface RunOptions {
  /** Builds the schedule for this run (a fresh one each run). */
  schedule: (hooks: ScheduleHooks) => Schedule
  signal: AbortSignal
  /** The row (and key) this run works on; parallel runs use different ones. */
  rowId?: number
  /** Connection slot: runs at the same time must use different slots. */
  slot?: number
  /** Overrides the scenario's `lock:`. */
  lock?: LockKind
  /** How long lock.acquire waits under real time. */
  lockWaitMs?: number
}

const DEFAULT_LOCK_WAIT_MS = 5000
/** The observer's name among a slot's connections: not a valid actor name, so never an actor's. */
const OBSERVER = '#observer'
/**
 * When a step has run this long for no reason cachesim knows of, InnoDB's own lock-wait table is
 * read. Not sooner: InnoDB refreshes that table only when it has not been read for 100 ms.
 */
const ASK_SERVER_AFTER_MS = 250

/**
 * Runs one scenario once: resets the row and key, sets the actors loose under the schedule,
 * reads both stores back and checks what happened.
 */
export async function runScenario(scenario: Scenario, bench: Workbench, options: RunOptions): Promise<RunResult> {
  const strategy = getStrategy(scenario.strategy)
  const rowId = options.rowId ?? 1
  const key = itemKey(bench.keys, rowId)
  const lockName = lockKey(bench.keys, rowId)
  const {signal} = options

  const stores = new Map<ActorName, StorePair>()
  for (const actor of scenario.actors) stores.set(actor.name, await bench.stores(actor.name, options.slot))


  // Runs at the same time (explore --parallel) each have their own observer too.
  const slot = options.slot ?? 0
  const {mysql: observerDb, redis: observerCache} = slot === 0 ? bench.observer : await bench.stores(OBSERVER, slot)
  // Every actor starts clean: nothing left open by an earlier run on the same connections.
  await rollbackOpen(stores.values())
  await Promise.all([
    observerDb.reset(rowId, scenario.initial.db),
    observerCache.reset(
      new Map([
        [key, scenario.initial.cache === null ? null : String(scenario.initial.cache)],
        [lockName, null],
      ]),
    ),
  ])

  const threadOf = new Map([...stores].map(([name, pair]) => [name, pair.mysql.threadId]))
  const others = (actor: ActorName) => [...stores].filter(([name]) => name !== actor).map(([, pair]) => pair)
  const hooks: ScheduleHooks = {
    probe: {
      mayWait: (actor) => others(actor).some((pair) => pair.mysql.holdsRowLocks),
      async waiting(actors, runningMs) {
        // Known without asking: an UPDATE of a row that another actor's open transaction wrote
        // waits for that transaction (InnoDB row locks).
        const known = actors.filter((actor) => {
          const row = stores.get(actor)!.mysql.needsRowLock
          return row !== null && others(actor).some((pair) => pair.mysql.holdsRowLock(row))
        })
        if (known.length === actors.length || runningMs < ASK_SERVER_AFTER_MS) return new Set(known)
        // A step that runs long for no known reason: ask InnoDB itself.
        const waiting = await observerDb.lockWaiting(actors.map((a) => threadOf.get(a)!))
        return new Set([...known, ...actors.filter((a) => waiting.has(threadOf.get(a)!))])
      },
    },
    async unstick(actors) {
      await Promise.all(actors.map((a) => observerDb.killQuery(threadOf.get(a)!)))
    },
    async peek() {
      const [row, cached] = await Promise.all([observerDb.snapshot(rowId), observerCache.get(key)])
      return {db: row?.value ?? null, cache: cached === null ? null : Number(cached)}
    },
  }
  const schedule = options.schedule(hooks)
  const history = new History()
  const operations: OperationRecord[] = []
  const lockKind = options.lock ?? scenario.lock
  const mutex = new LocalMutex()

  const tasks = scenario.actors.map((spec) => {
    const pair = stores.get(spec.name)!
    const lock: RowLock =
      lockKind === 'redis' ? redisLock(pair.redis, lockName, scenario.lockTtlMs) : mutex.for(spec.name)
    const actor = new ActorRuntime({
      name: spec.name,
      stores: {mysql: pair.mysql, redis: pair.redis, rowId, key},
      schedule,
      history,
      lock,
      signal,
      lockWaitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      ...(scenario.cacheTtlMs === undefined ? {} : {cacheTtlMs: scenario.cacheTtlMs}),
    })
    return {
      name: spec.name,
      startAfterMs: spec.startAfterMs,
      body: () => runOperations(actor, strategy, spec.ops, history, operations),
    }
  })

  const started = performance.now()
  let outcome
  try {
    outcome = await schedule.run(tasks, signal)
  } finally {
    // An actor that ended inside a transaction (it failed or was stopped) leaves nothing committed.
    if (!signal.aborted) await rollbackOpen(stores.values())
  }
  const durationMs = performance.now() - started
  if (signal.aborted) throw abortReason(signal)

  const final = await hooks.peek()
  const entries = history.entries
  const reads = checkReads(operations, committedVersions(entries, scenario.initial.db))
  const observed = {
    ...final,
    divergent: isDivergent(final),
    staleReads: reads.filter((r) => r.anomaly === 'stale').length,
    dirtyReads: reads.filter((r) => r.anomaly === 'dirty').length,
    dbQueries: countDbQueries(entries),
  }
  // A scenario's run outcome is what its delays produce; a stepped order is judged by explore's expectations.
  const expected = schedule.kind === 'delays' ? runExpectation(scenario.expect) : null
  const mismatches = expected ? compareExpectation(expected, observed) : []
  if (outcome.stuck && expected) mismatches.unshift('the run could not finish: every remaining actor was blocked')

  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    source: scenario.source,
    target: scenario.builtIn ? scenario.name : scenario.source,
    schedule: schedule.kind,
    initial: {...scenario.initial},
    ...observed,
    expected,
    matchesExpected: expected ? mismatches.length === 0 : null,
    mismatches,
    durationMs,
    injectedDelayMs: outcome.injectedMs,
    order: outcome.order,
    decisions: outcome.decisions,
    stuck: outcome.stuck,
    steps: pairSteps(entries),
    entries,
    operations,
    reads,
  }
}

/** One actor's program: its operations one after another; a failed one is recorded and the next goes on. */
async function runOperations(
  actor: ActorRuntime,
  strategy: Strategy,
  ops: Scenario['actors'][number]['ops'],
  history: History,
  operations: OperationRecord[],
): Promise<void> {
  for (const op of ops) {
    const from = history.entries.length
    const startMs = history.now()
    let record: Omit<OperationRecord, 'startMs' | 'endMs'>
    let stop = false
    try {
      const value = op.kind === 'read' ? await strategy.read(actor) : (await strategy.write(actor, op.value), op.value)
      record = {actor: actor.name, op: op.kind, value, type: 'ok'}
    } catch (error) {
      const failed = error instanceof StepFailedError
      stop = !failed
      record = {
        actor: actor.name,
        op: op.kind,
        value: op.kind === 'write' ? op.value : null,
        type: failed ? error.outcome : 'info',
        error: error instanceof Error ? error.message : String(error),
      }
    }
    // An operation spans its first step's invoke to its last step's completion.
    const own = history.entries.slice(from).filter((e) => e.actor === actor.name)
    operations.push({...record, startMs: own[0]?.time ?? startMs, endMs: own.at(-1)?.time ?? history.now()})
    if (stop) return
  }
}

async function rollbackOpen(pairs: Iterable<StorePair>): Promise<void> {
  await Promise.all([...pairs].map((pair) => (pair.mysql.openTransaction ? pair.mysql.rollback() : null)))
}
