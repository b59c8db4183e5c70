import {CachesimError} from '../errors/cachesim-error.js'
import type {History} from '../history/history.js'
import type {ActorName, StepName, StepValue} from '../history/types.js'
import type {Actor, ActorStores, CacheSteps, DbSteps, LockSteps, StepContext} from '../strategies/types.js'
import type {RowLock} from './locks.js'
import type {Schedule, StepRequest} from './types.js'

export interface ActorSetup {
  name: ActorName
  stores: ActorStores
  schedule: Schedule
  history: History
  lock: RowLock
  signal: AbortSignal
  /** Time to live of every cache SET, when the scenario gives one. */
  cacheTtlMs?: number
  /** How long lock.acquire waits before it fails. */
  lockWaitMs: number
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
 * The step asks the schedule for permission, sends the call, and records invoke and completion.
 */
export class ActorRuntime implements Actor {
  readonly name: ActorName
  readonly stores: ActorStores
  readonly db: DbSteps
  readonly cache: CacheSteps
  readonly lock: LockSteps
  private readonly occurrences = new Map<StepName, number>()

  constructor(private readonly setup: ActorSetup) {
    this.name = setup.name
    this.stores = setup.stores
    const {mysql, redis, rowId, key} = setup.stores
    this.db = {
      select: () => this.step('db.select', () => mysql.select(rowId)),
      update: (value) => this.step('db.update', () => mysql.update(rowId, value), value),
      begin: () => this.step('db.begin', () => mysql.begin()),
      commit: () => this.step('db.commit', () => mysql.commit()),
      rollback: () => this.step('db.rollback', () => mysql.rollback()),
    }
    this.cache = {
      get: () => this.step('cache.get', async () => parseCached(await redis.get(key), key)),
      set: (value) => this.step('cache.set', () => redis.set(key, String(value), setup.cacheTtlMs), value),
      del: () => this.step('cache.del', async () => void (await redis.del(key))),
    }
    this.lock = {
      acquire: () => this.step('lock.acquire', (context) => this.acquire(context)),
      release: () => this.step('lock.release', async () => void (await setup.lock.release())),
    }
  }

  async step<T extends StepValue | void>(
    name: StepName,
    op: (context: StepContext) => Promise<T>,
    sends: StepValue = null,
  ): Promise<T> {
    const {schedule, history, signal} = this.setup
    const request: StepRequest = {actor: this.name, step: name, occurrence: this.next(name), sends}
    await schedule.beforeStep(request, signal)
    const invocation = history.invoke(this.name, name, sends)
    const context: StepContext = {
      signal,
      waitBlocked: (reason) => schedule.waitBlocked(request, reason, signal),
    }
    let result: T
    try {
      result = await op(context)
    } catch (error) {
      const outcome = outcomeOf(error)
      const reason = messageOf(error)
      history.complete(invocation, outcome, null, reason)
      await schedule.afterStep(request, signal)
      throw new StepFailedError(this.name, name, reason, outcome)
    }
    history.complete(invocation, 'ok', result === undefined ? null : (result as StepValue))
    await schedule.afterStep(request, signal)
    return result
  }

  private async acquire(context: StepContext): Promise<void> {
    const {lock, lockWaitMs} = this.setup
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
 * fail: the call surely did not happen (refused before it reached the server, or the server
 * answered with an error); info: it may have happened (the connection dropped, a timeout).
 */
function outcomeOf(error: unknown): 'fail' | 'info' {
  const e = error as {code?: string; fatal?: boolean; name?: string}
  if (e.fatal || e.code === 'ECONNRESET' || e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'ETIMEDOUT') return 'info'
  if (e.name === 'InterruptedError') return 'info'
  return 'fail'
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
