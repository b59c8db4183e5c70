import type {ActorName, StepName, StepValue} from '../history/types.js'
import type {MysqlStore} from '../stores/mysql.js'
import type {RedisStore} from '../stores/redis.js'

/**
 * What a strategy sees of an actor. Every store operation goes through a step: the typed
 * helpers below (`db.update`, `cache.set`, …) are steps already, and `step()` makes any other
 * store call one. A strategy never knows which schedule runs it.
 */
export interface Actor {
  readonly name: ActorName
  readonly db: DbSteps
  readonly cache: CacheSteps
  readonly lock: LockSteps
  /**
   * Runs `op` as one step named `name`: the schedule decides when it may start, the history
   * records it. `sends` is the value a write step sends, shown on its invoke entry.
   */
  step<T extends StepValue | void>(name: StepName, op: (context: StepContext) => Promise<T>, sends?: StepValue): Promise<T>
  /** The actor's own connections and names, for strategies that need more than the typed steps. */
  readonly stores: ActorStores
}

export interface ActorStores {
  mysql: MysqlStore
  redis: RedisStore
  /** The row this run works on. */
  rowId: number
  /** The cache key of that row. */
  key: string
}

export interface StepContext {
  /**
   * Says the step found what it needs held by another actor (a lock) and waits until it should
   * try again. Under delays that is a short sleep; under an explored order, until another step
   * has gone.
   */
  waitBlocked(reason: string): Promise<void>
  readonly signal: AbortSignal
}

export interface DbSteps {
  /** `db.select`: the row's committed value (or this transaction's own), null when there is no row. */
  select(): Promise<number | null>
  /** `db.update` */
  update(value: number): Promise<void>
  /** `db.begin` */
  begin(): Promise<void>
  /** `db.commit` */
  commit(): Promise<void>
  /** `db.rollback` */
  rollback(): Promise<void>
}

export interface CacheSteps {
  /** `cache.get`: the cached value, null on a miss. */
  get(): Promise<number | null>
  /** `cache.set`, with a time to live when the scenario gives one. */
  set(value: number): Promise<void>
  /** `cache.del` */
  del(): Promise<void>
}

export interface LockSteps {
  /** `lock.acquire`: waits (bounded) until this actor holds the row's lock. */
  acquire(): Promise<void>
  /** `lock.release`: gives it back; a lock that expired or was taken over is not released. */
  release(): Promise<void>
}

/** How an application reads and writes one row through the cache. One file per strategy. */
export interface Strategy {
  readonly name: string
  /** One line for `cachesim list`: what the strategy does. */
  readonly summary: string
  /** Every step name its paths can take: delays and orders are validated against these. */
  readonly steps: readonly StepName[]
  /** Whether the strategy takes a lock, so that `--lock` and `lock:` mean something to it. */
  readonly usesLock?: boolean
  read(actor: Actor): Promise<number | null>
  write(actor: Actor, value: number): Promise<void>
}
