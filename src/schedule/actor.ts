import {CachesimError} from '../errors/cachesim-error.js'
import {StoreUnavailableError} from '../errors/store-unavailable-error.js'
import type {History} from '../history/history.js'
import type {ActorName, OperationRecord, StepEffect, StepName, StepValue, Value} from '../history/types.js'
import type {
  Actor,
  ActorStores,
  CacheSteps,
  DbSteps,
  KeyTtls,
  LockSteps,
  StepContext,
  StepOptions,
  StrategySettings,
} from '../strategies/types.js'
import {delay} from '../util/delay.js'
import type {Fault} from '../scenario/faults.js'
import {ActorCrashedError, faultAt, InjectedFailure} from './faults.js'
import type {RowLock} from './locks.js'
import type {TimedKey, TtlClock} from './ttl-clock.js'
import {firedNote} from './virtual-timers.js'
import type {Schedule, StepRequest} from './types.js'

export interface ActorSetup {
  name: ActorName
  stores: ActorStores
  schedule: Schedule
  history: History
  lock: RowLock
  signal: AbortSignal
  settings: StrategySettings
  /** The run's clock for the TTLs of keys the actors set (shared by every actor of the run). */
  clock: TtlClock
  /** How long lock.acquire waits before it fails (real time only). */
  lockWaitMs: number
  /** Faults injected at this actor's steps. */
  faults: readonly Fault[]
  /** Told each time a fault fires, so that one that never does can be pointed out. */
  onFault?: (fault: Fault) => void
  /** Told when a store call finds its connection gone: the run cannot go on. */
  onStoreLost?: (error: StoreUnavailableError) => void
}

/** A step that ended in an error; the error is in the history already. */
export class StepFailedError extends CachesimError {
  constructor(
    readonly actor: ActorName,
    readonly step: StepName,
    readonly reason: string,
    readonly outcome: 'fail' | 'info',
  ) {
    super(`${actor}'s ${step} failed: ${reason}`)
  }
}

/** lock.acquire gave up. */
export class LockWaitTimeoutError extends CachesimError {}

/**
 * One actor: its own connections, and the step function that every store call goes through.
 * The step asks the schedule for permission, sends the call, and records invoke and completion;
 * injected faults happen here too, so no strategy knows about them.
 */
export class ActorRuntime implements Actor {
  readonly name: ActorName
  readonly stores: ActorStores
  readonly settings: StrategySettings
  readonly db: DbSteps
  readonly cache: CacheSteps
  readonly lock: LockSteps
  readonly ttls: KeyTtls
  private readonly occurrences = new Map<StepName, number>()
  /** Set by a crash fault: a crashed actor takes no more steps (not even in `finally` blocks). */
  private crashed: ActorCrashedError | null = null
  /** The operation the actor is in (set by whoever runs its operations), told to the schedule with each step. */
  operation: OperationRecord['op'] | null = null
  /** The value this actor's open transaction wrote, which its COMMIT will make the row's. */
  private uncommitted: {value: Value} | null = null

  constructor(private readonly setup: ActorSetup) {
    this.name = setup.name
    this.stores = setup.stores
    this.settings = setup.settings
    this.ttls = setup.clock
    const {mysql, redis, rowId, key, replica} = setup.stores
    this.db = {
      select: () =>
        this.step('db.select', async (context) => {
          if (!replica) return mysql.select(rowId)
          context.note('from the replica')
          return replica.select(rowId)
        }, {readOnly: true}),
      update: (value) => this.step('db.update', () => mysql.update(rowId, value), {sends: value, effect: () => this.updated(value)}),
      begin: () =>
        this.step('db.begin', async () => {
          await mysql.begin()
          this.uncommitted = null
        }),
      commit: () => this.step('db.commit', () => mysql.commit(), {effect: () => this.committed()}),
      rollback: () =>
        this.step('db.rollback', async () => {
          this.uncommitted = null
          await mysql.rollback()
        }),
    }
    this.cache = {
      get: () => this.step('cache.get', async () => parseCached(await redis.get(key), key), {readOnly: true}),
      set: (value) => this.step('cache.set', () => this.setCached(String(value)), {sends: value, effect: () => ({cache: value})}),
      del: () => this.step('cache.del', async () => void (await redis.del(key)), {effect: () => ({cache: null})}),
    }
    this.lock = {
      acquire: () => this.step('lock.acquire', (context) => this.acquire(context)),
      release: () =>
        this.step('lock.release', async (context) => {
          if (!(await setup.lock.release())) context.note('not ours any more: it expired or was taken')
        }),
    }
  }

  async step<T>(name: StepName, op: (context: StepContext) => Promise<T>, options: StepOptions<T> = {}): Promise<T> {
    if (this.crashed) throw this.crashed
    const {schedule, history, signal} = this.setup
    const sends = options.sends ?? null
    const request: StepRequest = {
      actor: this.name,
      step: name,
      occurrence: this.next(name),
      sends,
      ...(this.operation ? {operation: this.operation} : {}),
      ...(options.readOnly ? {readOnly: true} : {}),
      ...(options.publishes ? {publishes: true} : {}),
    }
    const fault =
      faultAt(this.setup.faults, this.name, name, request.occurrence) ??
      (options.classes ?? []).map((c) => faultAt(this.setup.faults, this.name, c, this.next(c))).find((f) => f !== undefined)
    if (fault) this.setup.onFault?.(fault)
    // The actor stalls before the call goes out, as a step of its own: time passes (locks and
    // leases expire), and under explore the others may move before the call goes out.
    if (fault?.kind === 'pause') {
      const ms = fault.ms ?? 0
      await this.step(
        'pause',
        async (context) => {
          context.note(`${ms} ms before ${name} (injected)`)
          return this.pass(ms, context)
        },
        {record: () => null, effect: (expired) => (expired?.includes(this.stores.key) ? {cache: null} : {})},
      )
    }
    await schedule.beforeStep(request, signal)
    const invocation = history.invoke(this.name, name, sends, options.readOnly)
    let note: string | undefined
    const waitBlocked = (reason: string) => schedule.waitBlocked(request, reason, signal)
    const context: StepContext = {
      signal,
      note: (text) => (note = note === undefined ? text : `${note}; ${text}`),
      waitBlocked,
      sleep: (ms) => (schedule.kind === 'delays' ? delay(ms, signal) : Promise.resolve()),
      waitUntil: (look, reason, giveUpAfterMs) => waitUntil(look, reason, waitBlocked, schedule.kind === 'delays' ? giveUpAfterMs : Infinity),
    }
    let result: T
    try {
      if (fault?.kind === 'fail') throw new InjectedFailure(name)
      result = await op(context)
      // The answer comes back late: the server has done its part already.
      if (fault?.kind === 'latency') await delay(fault.ms ?? 0, signal)
    } catch (error) {
      const outcome = outcomeOf(error)
      const reason = messageOf(error)
      // A step whose outcome is unknown may have done what it set out to do.
      const effect = outcome === 'info' ? await this.effectOf(options, undefined) : undefined
      history.complete(invocation, outcome, null, {error: reason, note, effect})
      if (error instanceof StoreUnavailableError) this.setup.onStoreLost?.(error)
      await schedule.afterStep(request, signal, outcome === 'info' && request.readOnly !== true)
      throw new StepFailedError(this.name, name, reason, outcome)
    }
    const recorded = options.record ? options.record(result) : result
    const effect = await this.effectOf(options, result)
    const crash = fault?.kind === 'crash' ? fault : this.rowWritten(effect)
    const injected =
      fault?.kind === 'latency' ? `answer ${fault.ms} ms late (injected)` : crash ? `then ${this.name} crashed (injected)` : undefined
    history.complete(invocation, 'ok', isStepValue(recorded) ? recorded : null, {
      note: injected === undefined ? note : join(note, injected),
      effect,
    })
    await schedule.afterStep(request, signal, request.readOnly !== true && mayHaveChanged(effect, result, options.unchangedBy))
    if (crash) {
      if (crash !== fault) this.setup.onFault?.(crash)
      this.crashed = new ActorCrashedError(this.name, name)
      throw this.crashed
    }
    return result
  }

  /**
   * A crash at `db.write`: right after the first step that changed the row for everyone (an
   * autocommit write or a COMMIT), as its observed effect tells.
   */
  private rowWritten(effect: StepEffect | undefined): Fault | undefined {
    if (effect?.db === undefined) return undefined
    const fault = faultAt(this.setup.faults, this.name, 'db.write', this.next('db.write'))
    return fault?.kind === 'crash' ? fault : undefined
  }

  /** A cache SET, with the scenario's TTL (if any) on the run's clock. */
  private async setCached(value: string): Promise<void> {
    const {redis, key} = this.stores
    const ttl = this.settings.cacheTtlMs
    await redis.set(key, value, ttl === undefined ? undefined : this.ttls.px(ttl))
    if (ttl !== undefined) this.ttls.started(key, value, ttl)
  }

  /**
   * A pause: `ms` of real time under delays; one step at a time, the run's clock moves on and
   * the keys whose time ran out expire here, at this step, and an app's timers that fall due
   * fire. Returns the keys that expired.
   */
  private async pass(ms: number, context: StepContext): Promise<string[]> {
    const {clock} = this.setup
    if (!clock.virtual) {
      await delay(ms, context.signal)
      return []
    }
    const expired: TimedKey[] = []
    for (const timed of clock.pass(ms)) {
      if (await this.stores.redis.deleteIfEquals(timed.key, timed.value)) expired.push(timed)
    }
    if (expired.length > 0) context.note(`then ${expired.map((k) => this.describeKey(k)).join(' and ')} expired`)
    // An app's timers whose deadline the pause passed fire here, in deadline order.
    const fired = await clock.timers.fireDue()
    if (fired.length > 0) context.note(`then ${firedNote(fired)}`)
    return expired.map((k) => k.key)
  }

  /** The lock, the lease, the cached value: what an expired key was, in a step's note. */
  private describeKey({key, value}: TimedKey): string {
    if (key === this.stores.key) return value.startsWith('lease:') ? 'the lease' : 'the cached value'
    const {prefix} = this.stores.space
    const name = key.startsWith(prefix) ? key.slice(prefix.length) : key
    return name.startsWith('lock:') ? `the lock (${name})` : name
  }

  /** What the step did: told by its result, or read from the stores right after it. */
  private async effectOf<T>(options: StepOptions<T>, result: T | undefined): Promise<StepEffect | undefined> {
    if (options.observe) return options.observe()
    return options.effect?.(result)
  }

  /** An UPDATE commits at once outside a transaction; inside one, at its COMMIT. */
  private updated(value: Value): StepEffect {
    if (!this.stores.mysql.openTransaction) return {db: value}
    this.uncommitted = {value}
    return {}
  }

  private committed(): StepEffect {
    const written = this.uncommitted
    this.uncommitted = null
    return written ? {db: written.value} : {}
  }

  private async acquire(context: StepContext): Promise<void> {
    const {lock, schedule} = this.setup
    // One step at a time, the schedule itself sees when nothing can free the lock.
    const lockWaitMs = schedule.kind === 'delays' ? this.setup.lockWaitMs : Infinity
    const started = performance.now()
    while (!(await lock.tryAcquire())) {
      if (performance.now() - started > lockWaitMs) {
        throw new LockWaitTimeoutError(`gave up waiting for ${lock.describeHolder()} after ${lockWaitMs} ms`)
      }
      await context.waitBlocked(`waits for ${lock.describeHolder()}`)
    }
  }

  private next(step: StepName): number {
    const n = (this.occurrences.get(step) ?? 0) + 1
    this.occurrences.set(step, n)
    return n
  }
}

function parseCached(raw: string | null, key: string): number | null {
  if (raw === null) return null
  const value = Number(raw)
  if (!Number.isSafeInteger(value)) throw new CachesimError(`${key} holds "${raw.slice(0, 40)}", not a number cachesim wrote`)
  return value
}

/**
 * Whether a step that went through, and is not a plain read, may have changed a store: its effect
 * on the row or the cache says so, or its result does not say it did nothing (`unchangedBy`: an
 * app's SET NX that answered nil, an UPDATE of 0 rows). When unsure, it may have: a sleeper
 * wakes once more (stepped.ts).
 */
function mayHaveChanged<T>(effect: StepEffect | undefined, result: T, unchangedBy: ((result: T) => boolean) | undefined): boolean {
  if (effect && (effect.db !== undefined || effect.cache !== undefined)) return true
  return !(unchangedBy?.(result) ?? false)
}

function isStepValue(value: unknown): value is StepValue {
  return value === null || ['number', 'string', 'boolean'].includes(typeof value) || (typeof value === 'object' && value.constructor === Object) || Array.isArray(value)
}

/** Looks until `look` finds something, waiting in between; gives up after `giveUpAfterMs` of real time. */
async function waitUntil<T>(look: () => Promise<T | null>, reason: string, wait: (reason: string) => Promise<void>, giveUpAfterMs: number): Promise<T> {
  const started = performance.now()
  for (;;) {
    const found = await look()
    if (found !== null) return found
    if (performance.now() - started > giveUpAfterMs) throw new Error(`gave up after ${giveUpAfterMs} ms: ${reason}`)
    await wait(reason)
  }
}

function join(a: string | undefined, b: string): string {
  return a === undefined ? b : `${a}; ${b}`
}

/**
 * fail: the call surely did not happen (refused before it reached the server, or the server
 * answered with an error); info: it may have happened (the connection dropped, a timeout).
 */
function outcomeOf(error: unknown): 'fail' | 'info' {
  const e = error as {code?: string; fatal?: boolean; name?: string}
  if (e.fatal || e.code === 'ECONNRESET' || e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'ETIMEDOUT') return 'info'
  if (e.name === 'InterruptedError' || e.name === 'StoreUnavailableError') return 'info'
  return 'fail'
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
