import {countCacheMisses} from '../check/cache-misses.js'
import {countDbQueries} from '../check/db-queries.js'
import {isDivergent} from '../check/divergence.js'
import {compareExpectation, runExpectation} from '../check/expectation.js'
import {readFindings} from '../check/reads.js'
import type {FinalState, Observation} from '../check/types.js'
import {countOf, judge} from '../check/verdict.js'
import {History, pairSteps} from '../history/history.js'
import type {ActorName, OperationRecord, Value} from '../history/types.js'
import type {Scenario} from '../scenario/types.js'
import {ActorRuntime} from '../schedule/actor.js'
import {formatDelay} from '../scenario/delays.js'
import {type Fault, formatFault} from '../scenario/faults.js'
import type {LockKind} from '../scenario/types.js'
import {LocalMutex, redisLock, type RowLock} from '../schedule/locks.js'
import {TtlClock} from '../schedule/ttl-clock.js'
import {TIMER_STEP} from '../history/step-name.js'
import {firedNote} from '../schedule/virtual-timers.js'
import type {Schedule} from '../schedule/types.js'
import {strategyOf} from '../app/strategy-of.js'
import {AppRun} from '../app/app-run.js'
import {loadedApp} from '../app/load.js'
import {appBench, appRedis} from './app-bench.js'
import type {StrategySettings} from '../strategies/types.js'
import {itemKey, lockKey, rowKeys} from '../stores/keys.js'
import type {MysqlStore} from '../stores/mysql.js'
import type {StorePair} from '../stores/pair.js'
import {abortReason, delay} from '../util/delay.js'
import {binlogSource} from './binlog-source.js'
import type {RunResult} from './result.js'
import {runOperations} from './run-operations.js'
import {type ScheduleHooks, scheduleHooks} from './schedule-hooks.js'
import type {Workbench} from './workbench.js'

export type {ScheduleHooks} from './schedule-hooks.js'

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
  /**
   * Hold the run to the scenario's run-level `expect:` under a stepped schedule too (`check`
   * replaying the scenario's `order:`); under delays it always is.
   */
  judge?: boolean
}

const DEFAULT_LOCK_WAIT_MS = 5000
/** How long a drain or sync worker waits for its next event under real time. */
const WORKER_WAIT_MS = 500
const CONVERGENCE_MARGIN_MS = 1000
/**
 * An app's actor between steps this long, while another could go, waits in-process (a mutex, a
 * shared promise): the others go on. Far above the microseconds an app spends between calls.
 */
const IN_PROCESS_WAIT_MS = 500
const CONVERGENCE_POLL_MS = 5
/** The observer's name among a slot's connections: not a valid actor name, so never an actor's. */
const OBSERVER = '#observer'

/**
 * Runs one scenario once: resets the row and key, sets the actors loose under the schedule,
 * reads both stores back and checks what happened.
 */
export async function runScenario(scenario: Scenario, bench: Workbench, options: RunOptions): Promise<RunResult> {
  const strategy = strategyOf(scenario)
  const rowId = options.rowId ?? 1
  const key = itemKey(bench.keys, rowId)
  const lockName = lockKey(bench.keys, rowId)
  // A store lost in the middle of the run ends the whole run at once, as Ctrl-C would: what the
  // actors did after it would be the lost server's doing, not the strategy's.
  const lost = new AbortController()
  const signal = AbortSignal.any([options.signal, lost.signal])

  const stores = new Map<ActorName, StorePair>()
  for (const actor of scenario.actors) stores.set(actor.name, await bench.stores(actor.name, options.slot))
  // Runs at the same time (explore --parallel) each have their own observer too.
  const slot = options.slot ?? 0
  const observer = slot === 0 ? bench.observer : await bench.stores(OBSERVER, slot)

  // Every actor starts clean: nothing left open by an earlier run on the same connections.
  await rollbackOpen(stores.values())
  // A user's app keeps its own row and keys: it resets and reads them its own way.
  const app = scenario.app ? new AppRun(await appBench(bench, loadedApp(scenario.app.file), observer), rowId, (error) => lost.abort(error)) : null

  const decode = strategy.decodeCache ?? decodeNumber
  const peek = app
    ? () => app.peek()
    : async (): Promise<FinalState> => {
        const [row, cached] = await Promise.all([observer.mysql.snapshot(rowId), observer.redis.get(key)])
        return {db: row?.value ?? null, cache: cached === null ? null : decode(cached)}
      }
  const history = new History()
  // --step shows what the step just taken returned: the last one that has ended.
  const lastStep = () => pairSteps(history.entries).filter((s) => s.type !== 'pending').at(-1) ?? null
  // An app's transactions and connections are its own: its run follows them for the schedule.
  const appHooks = app ? {holdsLocks: (actor: ActorName) => app.holdsLocks(actor), threadsOf: (actor: ActorName) => app.threadsOf(actor), inProcessWaitMs: IN_PROCESS_WAIT_MS} : {}
  // An app's timers run on the run's clock when it is virtual (app/timers.ts): a sleeper's fires
  // in its own `timer` step (stepped.ts), with those due by then of actors that are not asleep;
  // any other's at a pause or when nothing else can go. Only cachesim's
  // own SETs and locks are timed keys on that clock (an app's TTLs are Redis's), so moving it
  // here expires nothing in an app's run; were a key timed, it would go as at a pause.
  // Moves the clock to the first deadline (of `owner`'s timers, when given) and fires what is due
  // then, but the timers of the actors in `spare`.
  const untilNextTimer = async (owner?: ActorName, spare: readonly ActorName[] = []) => {
    for (const timed of clock.untilNextTimer(owner)) await observer.redis.deleteIfEquals(timed.key, timed.value)
    return clock.timers.fireDue(spare.length === 0 ? undefined : (whose) => !spare.includes(whose))
  }
  const timerHooks = app
    ? {
        timers: {
          waiting: (actor: ActorName) => clock.virtual && clock.timers.owns(actor),
          pending: () => clock.virtual && clock.timers.size > 0,
          async fireNext() {
            await untilNextTimer()
          },
          async fireFor(actor: ActorName, others: () => readonly ActorName[], more: () => Promise<boolean>) {
            const step = history.invoke(actor, TIMER_STEP, null)
            const fired = []
            try {
              while (await more()) fired.push(...(await untilNextTimer(actor, others())))
            } finally {
              history.complete(step, 'ok', null, {note: firedNote(fired)})
            }
          },
        },
      }
    : {}
  const hooks = {...scheduleHooks(stores, observer, peek, {lastStep, ...appHooks}), ...timerHooks}
  const schedule = options.schedule(hooks)
  // One step at a time, a TTL runs out only where the scenario pauses (see ttl-clock.ts).
  const clock = new TtlClock(schedule.kind !== 'delays')
  const cacheTtlMs = scenario.cacheTtlMs ?? strategy.defaultCacheTtlMs

  if (app) {
    await app.reset(scenario.initial)
  } else {
    const resetKeys = new Map(rowKeys(bench.keys, rowId).map((k): [string, string | null] => [k, null]))
    // The row starts at version 0 (see MysqlStore.reset), and so does its cached copy.
    const encode = strategy.encodeCache ?? String
    const cached = scenario.initial.cache === null ? null : encode(scenario.initial.cache, 0)
    resetKeys.set(key, cached)
    // A cached value lives as long as the strategy's own writes would let it (ttl-only: it expires).
    await Promise.all([observer.mysql.reset(rowId, scenario.initial.db), observer.redis.reset(resetKeys, cacheTtlMs === undefined ? undefined : clock.px(cacheTtlMs))])
    if (cached !== null && cacheTtlMs !== undefined) clock.started(key, cached, cacheTtlMs)
  }

  // The binlog's changes from here on only: the reset's own are skipped.
  const reader = strategy.needsBinlog ? await bench.binlog(slot) : null
  if (reader) {
    await reader.caughtUp(signal)
    reader.discardPending()
  }
  const binlog = reader ? binlogSource(reader, key) : undefined

  // Readers of a lagging replica: the replica has the reset, then stops applying.
  const replica = scenario.replica ? await bench.replicaControl() : null
  const replicaReaders = new Map<ActorName, MysqlStore>()
  if (replica && scenario.replica) {
    for (const reader of scenario.replica.readers) replicaReaders.set(reader, await bench.replicaStore(reader, slot))
    await replica.waitCaughtUp({signal})
    await replica.holdBack()
  }

  const operations: OperationRecord[] = []
  const lockKind = options.lock ?? scenario.lock
  const mutex = new LocalMutex()
  const firedFaults = new Set<Fault>()
  const settings: StrategySettings = {
    lockTtlMs: scenario.lockTtlMs,
    doubleDeleteDelayMs: scenario.doubleDeleteDelayMs,
    leaseTtlMs: scenario.leaseTtlMs,
    workerWaitMs: WORKER_WAIT_MS,
  }
  if (cacheTtlMs !== undefined) settings.cacheTtlMs = cacheTtlMs

  // An app's read and write paths are its instances' in this run.
  const paths = app ? app.paths(strategy) : strategy
  const runtimes = new Map<ActorName, ActorRuntime>()
  const tasks = scenario.actors.map((spec) => {
    const pair = stores.get(spec.name)!
    const lock: RowLock = lockKind === 'redis' ? redisLock(pair.redis, lockName, scenario.lockTtlMs, clock) : mutex.for(spec.name)
    const actor = new ActorRuntime({
      name: spec.name,
      stores: {
        ...pair,
        rowId,
        key,
        space: bench.keys,
        ...(binlog ? {binlog} : {}),
        ...(replicaReaders.has(spec.name) ? {replica: replicaReaders.get(spec.name)!} : {}),
      },
      schedule,
      history,
      lock,
      signal,
      settings,
      clock,
      lockWaitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      faults: scenario.faults,
      onFault: (fault) => firedFaults.add(fault),
      onStoreLost: (error) => lost.abort(error),
    })
    runtimes.set(spec.name, actor)
    const loseKeys = () => pair.redis.delete(app ? [app.key] : rowKeys(bench.keys, rowId))
    const body = () => runOperations(actor, paths, spec.ops, history, operations, loseKeys)
    return {
      name: spec.name,
      startAfterMs: spec.startAfterMs,
      // An actor's timers that have not fired when its program ends never do.
      body: app ? () => app.within(spec.name, body).finally(() => clock.timers.dropOwnedBy(spec.name)) : body,
    }
  })

  const started = performance.now()
  // Under real time the replica catches up `lagMs` into the run; one step at a time, after it.
  const lagMs = schedule.kind === 'delays' ? scenario.replica?.lagMs : null
  const releaseTimer = replica && lagMs !== null && lagMs !== undefined ? setTimeout(() => void replica.release().catch(() => {}), lagMs) : null
  let outcome
  let views: Record<string, Value> | undefined
  try {
    // A fresh app instance per actor and run: nothing carries over from the last order.
    if (app) {
      const actors = []
      for (const {name} of scenario.actors) actors.push({actor: runtimes.get(name)!, redis: await appRedis(bench, name, slot), mysql: stores.get(name)!.mysql.raw})
      await app.start(actors, clock.virtual ? clock.timers : undefined)
    }
    outcome = await schedule.run(tasks, signal)
    // What each actor's in-process cache would serve, read before the instances close.
    views = app?.views()
  } catch (error) {
    throw lost.signal.aborted ? lost.signal.reason : error
  } finally {
    // A timer the app left set never fires: the run is over.
    clock.timers.dropAll()
    if (releaseTimer) clearTimeout(releaseTimer)
    await app?.close()
    // An actor that ended inside a transaction (it failed or was stopped) leaves nothing committed.
    if (!signal.aborted) await (app ? rollbackAll(stores.values()) : rollbackOpen(stores.values()))
    if (replica && !signal.aborted) await replica.release()
  }
  const durationMs = performance.now() - started
  if (signal.aborted) throw abortReason(signal)

  const final: FinalState = {...(await peek()), ...(views ? {views} : {})}
  // The keys left with a TTL get back the time they had left on the run's clock.
  await observer.redis.expireIfEquals(clock.left())
  const entries = history.entries
  const judged = schedule.kind === 'delays' || options.judge === true
  const initial = app ? {db: app.valueOf(scenario.initial.db), cache: app.valueOf(scenario.initial.cache)} : scenario.initial
  const observation: Observation = {entries, operations, initial, final, stuck: outcome.stuck !== null}
  const verdict = judge(observation)
  const divergent = isDivergent(final)
  // A TTL repairs what the race broke: measure how long that takes (not for each explored order).
  const convergedAfterMs =
    divergent && cacheTtlMs !== undefined && judged
      ? await timeToConvergence(peek, cacheTtlMs + CONVERGENCE_MARGIN_MS, signal)
      : null
  const observed = {
    ...final,
    divergent,
    staleReads: countOf(verdict, 'stale-reads'),
    dirtyReads: countOf(verdict, 'dirty-reads'),
    dbQueries: countDbQueries(entries),
    lostWrites: countOf(verdict, 'lost-writes'),
    cacheMisses: countCacheMisses(entries),
    convergedAfterMs,
  }
  // A scenario's run outcome is what its delays produce (or `check`'s replay of the order they
  // are meant to produce); an explored order is judged by explore's expectations.
  const expected = judged ? runExpectation(scenario.expect) : null
  const mismatches = expected ? compareExpectation(expected, observed) : []
  if (outcome.stuck && expected) mismatches.unshift('the run could not finish: every remaining actor was blocked')
  // Delays on a busy machine may not produce the order they were written for: then the outcome
  // says nothing of the scenario's expect:, and the user is told how to replay the intended one.
  const intendedOrder = schedule.kind === 'delays' && scenario.order ? scenario.order : null
  const orderAsIntended = intendedOrder ? intendedOrder.join(' ') === outcome.order.join(' ') : null

  return {
    scenario: scenario.name,
    strategy: scenario.strategy,
    source: scenario.source,
    target: scenario.builtIn ? scenario.name : scenario.source,
    cliFlags: scenario.cliFlags,
    schedule: schedule.kind,
    initial: {...initial},
    faults: scenario.faults.map(formatFault),
    unfired: [
      ...scenario.faults.filter((f) => !firedFaults.has(f)).map((f) => `fault ${formatFault(f)}`),
      ...(outcome.unfiredDelays ?? []).map((d) => `delay ${formatDelay(d)}`),
    ],
    ...observed,
    verdict,
    valid: verdict.valid,
    expected,
    matchesExpected: expected && orderAsIntended !== false ? mismatches.length === 0 : null,
    mismatches: orderAsIntended === false ? [] : mismatches,
    intendedOrder,
    orderAsIntended,
    durationMs,
    injectedDelayMs: outcome.injectedMs,
    order: outcome.order,
    decisions: outcome.decisions,
    released: outcome.released,
    stuck: outcome.stuck,
    ...(outcome.timersCut ? {timersCut: outcome.timersCut} : {}),
    steps: pairSteps(entries),
    entries,
    operations,
    reads: readFindings(observation),
  }
}

/** Polls both stores until they agree (or the key is gone); null when they still disagree at the deadline. */
async function timeToConvergence(peek: () => Promise<FinalState>, withinMs: number, signal: AbortSignal): Promise<number | null> {
  const started = performance.now()
  while (performance.now() - started < withinMs) {
    if (!isDivergent(await peek())) return performance.now() - started
    await delay(CONVERGENCE_POLL_MS, signal)
  }
  return null
}

function decodeNumber(raw: string): number | null {
  const value = Number(raw)
  return Number.isSafeInteger(value) ? value : null
}

/** An app's transactions are not tracked: roll back on every actor's connection. */
async function rollbackAll(pairs: Iterable<StorePair>): Promise<void> {
  await Promise.all([...pairs].map((pair) => pair.mysql.raw.query('ROLLBACK').catch(() => {})))
}

async function rollbackOpen(pairs: Iterable<StorePair>): Promise<void> {
  await Promise.all([...pairs].map((pair) => (pair.mysql.openTransaction ? pair.mysql.rollback() : null)))
}
