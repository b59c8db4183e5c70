import type {ActorName, StepEffect, StepName, StepValue, Value} from '../history/types.js'
import type {KeySpace} from '../stores/keys.js'
import type {MysqlStore} from '../stores/mysql.js'
import type {StorePair} from '../stores/pair.js'

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
   * records it. `sends` is the value a write step sends, shown on its invoke entry; `record`
   * turns a richer result into the value the history keeps (by default the result itself).
   */
  step<T>(name: StepName, op: (context: StepContext) => Promise<T>, options?: StepOptions<T>): Promise<T>
  /** The actor's own connections and names, for strategies that need more than the typed steps. */
  readonly stores: ActorStores
  /** The scenario's knobs: TTLs, the double delete's delay. */
  readonly settings: StrategySettings
  /** The TTL to send with a key this actor sets, and the key's time once it is set. */
  readonly ttls: KeyTtls
}

/**
 * Time to live of the keys an actor sets. Under real time a TTL is sent as it is. One step at a
 * time only the order counts: a key is sent with a TTL far longer than the run and the run's
 * clock (schedule/ttl-clock.ts) expires it at the `pause` that passes its time, never between two
 * ordinary steps because the machine was slow. A strategy that sets a TTL itself (in a script)
 * sends `px(ms)` and, once the key is set, says `started(key, value, ms)`.
 */
export interface KeyTtls {
  /** The PX to send with a key meant to live `ms`. */
  px(ms: number): number
  /** The step set `key` to `value`, meant to live `ms` from now. */
  started(key: string, value: string, ms: number): void
}

export interface StepOptions<T> {
  sends?: StepValue
  record?: (result: T) => StepValue
  /**
   * What the step did to the stores, from its result (see StepEffect); the result is undefined
   * when the step's outcome is unknown (it may have happened). No effect when absent.
   */
  effect?: (result: T | undefined) => StepEffect
  /**
   * What the step did, read from the stores right after it (before any other step goes): for
   * calls whose effect cannot be told from their result (an app's script, a MULTI).
   */
  observe?: () => Promise<StepEffect>
  /** Classes of step this one belongs to, which a fault may name instead of the step (`redis.write`). */
  classes?: readonly StepName[]
  /**
   * The step only reads: it changes nothing and takes no lock or lease (a plain GET or SELECT),
   * so it commutes with another such step (history/independence.ts). When in doubt, leave it out.
   */
  readOnly?: boolean
  /** The step publishes to subscribers (an app's MULTI or pipeline with a PUBLISH in it): it depends on every step, as a PUBLISH does. */
  publishes?: boolean
  /**
   * Whether the step's result says it changed nothing (an app's SET NX that answered nil):
   * then, with no effect on the row or the cache, no sleeper is woken by it (stepped.ts). When
   * absent, a step that is not readOnly may have changed something.
   */
  unchangedBy?: (result: T) => boolean
}

/** Knobs a scenario (or the command line) sets for the strategies that use them. */
export interface StrategySettings {
  /** TTL of every cache SET; none when absent. */
  cacheTtlMs?: number
  /** TTL of a Redis lock. */
  lockTtlMs: number
  /** How long delayed-double-delete waits before its second DEL. */
  doubleDeleteDelayMs: number
  /** How long a lease lives when its holder never fills. */
  leaseTtlMs: number
  /** How long a drain or sync worker waits for its next event under real time before it gives up. */
  workerWaitMs: number
}

/** An actor's own connection to each store, and what it works on there. */
export interface ActorStores extends StorePair {
  /** The row this run works on. */
  rowId: number
  /** The cache key of that row. */
  key: string
  /** cachesim's key prefix, to build the row's other keys (stores/keys.ts). */
  space: KeySpace
  /** The row's changes as MySQL's binlog tells them, for strategies that need the binlog. */
  binlog?: BinlogSource
  /** The actor's connection to a replica: its `db.select` reads there instead (scenario `replica:`). */
  replica?: MysqlStore
}

/** One change to the run's row, read from the binlog. */
export interface RowChange {
  type: 'insert' | 'update' | 'delete'
  /** The row's value after the change (null for a delete). */
  value: number | null
  /** Where it is in the binlog, e.g. mysql-bin.000001:1234. */
  position: string
}

/** The binlog's changes to this run's row, in commit order. */
export interface BinlogSource {
  /** The next change that has arrived, or null. */
  take(): RowChange | null
  /** Waits until every change MySQL has committed so far has arrived. */
  caughtUp(signal: AbortSignal): Promise<void>
  /** Waits (real time) until a change arrives; false when `ms` passed first. */
  waitForChange(ms: number, signal: AbortSignal): Promise<boolean>
}

export interface StepContext {
  /** Adds a few words to the step's history entry: what else it learned or did. */
  note(text: string): void
  /**
   * Waits on the clock: real time under delays; no time at all when a schedule releases steps one
   * by one, where only the order counts.
   */
  sleep(ms: number): Promise<void>
  /**
   * Says the step found what it needs held by another actor (a lock) and waits until it should
   * try again. Under delays that is a short sleep; under an explored order, until another step
   * has gone.
   */
  waitBlocked(reason: string): Promise<void>
  /**
   * Calls `look` until it returns something other than null, waiting as `waitBlocked` does in
   * between. Under delays it gives up (throws) after `giveUpAfterMs`; one step at a time, the
   * schedule itself sees when no other step can bring what it waits for.
   */
  waitUntil<T>(look: () => Promise<T | null>, reason: string, giveUpAfterMs: number): Promise<T>
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
  /** A strategy whose lock must be shared beyond one process says so: it always gets the Redis lock. */
  readonly lockKind?: 'redis'
  /** The read path: the value it returns to its caller (null: not found). */
  read(actor: Actor): Promise<Value>
  /** The write path, for a scenario's `write: N`. */
  write(actor: Actor, value: number): Promise<void>
  /** Steps named as the code issues them (an app's Redis commands and SQL statements): any name this matches. */
  readonly stepPattern?: RegExp
  /** The value a scenario's number stands for, when the strategy keeps more than numbers (an app); the number by default. */
  valueFor?(n: number): Value
  /** A worker that applies queued writes to MySQL (`op: drain` in a scenario), `count` of them. */
  drain?(actor: Actor, count: number): Promise<void>
  /** A worker that applies the binlog's changes to the cache (`op: sync`), `count` of them. */
  sync?(actor: Actor, count: number): Promise<void>
  /** The strategy reads MySQL's binlog: its scenarios need a server with the ROW binlog on. */
  readonly needsBinlog?: boolean
  /** Reads the cached value from the key's raw contents, when the strategy stores more than the number. */
  decodeCache?(raw: string): number | null
  /** Writes a row's value (at a version) the way the strategy keeps it in the cache; the decimal number by default. */
  encodeCache?(value: number, version: number): string
  /** Extra steps the strategy's workers take, for validating delays and orders. */
  readonly workerSteps?: readonly StepName[]
  /** A TTL on every cache SET when the scenario gives none (ttl-only). */
  readonly defaultCacheTtlMs?: number
  /** Knobs of the scenario (and command line) that mean something to this strategy. */
  readonly knobs?: readonly StrategyKnob[]
}

/** `doubleDeleteDelayMs`: `--ddd-delay`; `lock`: `--lock local|redis`. */
export type StrategyKnob = 'doubleDeleteDelayMs' | 'lock'
