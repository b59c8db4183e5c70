import type {Redis} from 'ioredis'
import type {Connection} from 'mysql2/promise'

import {BadInputError} from '../errors/bad-input-error.js'
import {CachesimError} from '../errors/cachesim-error.js'
import {isConnectionLoss} from '../stores/store-failure.js'
import type {ActorName, StepEffect, Value} from '../history/types.js'
import {sameValue} from '../history/value.js'
import type {Actor, Strategy} from '../strategies/types.js'
import {creating, deliveryNote, expectDeliveries, type Owner} from './deliveries.js'
import {type AppLane, type ClientCall, lanes, outsideLanes} from './gate.js'
import {asMachinery, laneTimers, type TimerRegistry} from './timers.js'
import {errorLine, type LoadedApp} from './load.js'
import {toValue} from './value.js'
import type {AppInstance} from './types.js'

/** What an app's runs share on one set of connections: set-up done once, and every key touched. */
export interface AppBench {
  loaded: LoadedApp
  prefix: string
  observer: {mysql: Connection; redis: Redis}
  urls: {redis: string; mysql: string}
  /** Keys the app's steps named, in any run so far: each run starts without them. */
  touched: Set<string>
  /** The same, by the row of the run that named them: runs side by side reset only their own. */
  touchedBy: Map<number, Set<string>>
  /**
   * How many of them are noted in Redis (for runs in other processes), and the removal of the
   * keys noted there by earlier processes: done once, before any run of this process starts.
   */
  noted: {count: number; cleared?: Promise<void>}
}

const setUps = new WeakMap<object, Map<string, Promise<void>>>()

/** Runs the app's `setup` (its tables) once per app and set of connections (`owner`). */
export function setUpApp(owner: object, bench: AppBench): Promise<void> {
  let apps = setUps.get(owner)
  if (!apps) {
    apps = new Map()
    setUps.set(owner, apps)
  }
  let done = apps.get(bench.loaded.file)
  if (!done) {
    const {app, shown} = bench.loaded
    done = outsideLanes(() => Promise.resolve(app.setup?.(bench.observer.mysql))).catch((error: unknown) => {
      throw new BadInputError(`app ${shown}: its setup failed: ${errorLine(error)}`)
    })
    apps.set(bench.loaded.file, done)
  }
  return done
}

export interface AppActor {
  actor: Actor
  redis: Redis
  mysql: Connection
}

/**
 * One run of an app: resets the row and the keys the app uses, gives each actor a fresh
 * instance whose client calls are its steps, and reads both stores the way the app does.
 */
export class AppRun {
  private readonly instances = new Map<ActorName, AppInstance>()
  private readonly lanes = new Map<ActorName, AppLane & {idle(): Promise<void>}>()
  /**
   * Actors whose connection may hold row locks: in a transaction that has sent a statement (or
   * that turned autocommit off: then always). A step of another actor may then wait for them.
   */
  private readonly locking = new Map<ActorName, 'begun' | 'holds' | 'always'>()
  /** The MySQL connections each actor's statements went out on (ctx.mysql, or a pool of the app's). */
  private readonly threads = new Map<ActorName, Set<number>>()
  /** The stores as the last write step left them: an observed step's effect is what changed. */
  private last: {db: Value; cache: Value} = {db: null, cache: null}
  /**
   * The prefix this run's instances are given. Runs side by side (explore --parallel) work on
   * other rows, and each gets a prefix of its own under cachesim's: a channel or lock an app
   * names from its prefix (a bus, a sync channel) is then this run's alone, and no message of
   * one run reaches another's subscribers.
   */
  private readonly prefix: string

  constructor(
    private readonly bench: AppBench,
    private readonly rowId: number,
    /** Called when the app does something cachesim must not allow (a key outside its prefix): the run stops. */
    private readonly refuse: (error: BadInputError) => void,
  ) {
    this.prefix = rowId === 1 ? bench.prefix : `${bench.prefix}${rowId}:`
  }

  get key(): string {
    return this.bench.loaded.app.key(this.rowId, this.prefix)
  }

  valueOf(n: number | null): Value {
    return n === null ? null : (this.bench.loaded.app.value(n) as Value)
  }

  /** The row and the cached value at the start of the run; every key an earlier run touched is gone. */
  async reset(initial: {db: number | null; cache: number | null}): Promise<void> {
    const {app} = this.bench.loaded
    const key = this.key
    if (!key.startsWith(this.prefix)) {
      throw new BadInputError(`app ${this.bench.loaded.shown}: key(${this.rowId}, prefix) gave "${key}", which does not start with the prefix "${this.prefix}"`)
    }
    const {mysql, redis} = this.bench.observer
    const {touched, touchedBy, noted} = this.bench
    await outsideLanes(async () => {
      // Keys an earlier process's runs named, noted in a set under the prefix: gone before any run
      // here starts (every reset waits for it), so that no run loses a key another has just set.
      noted.cleared ??= redis.smembers(touchedSetKey(this.bench.prefix)).then(async (old) => {
        const ours = old.filter((k) => k.startsWith(this.bench.prefix))
        for (const k of ours) touched.add(k)
        noted.count = touched.size
        if (ours.length > 0) await redis.del(...ours)
      })
      await noted.cleared
      // Keys this row's earlier runs named: runs side by side (other rows) keep theirs.
      const cached = this.valueOf(initial.cache)
      const keys = redis.multi().del(...new Set([...(touchedBy.get(this.rowId) ?? []), key]))
      if (cached !== null && !app.writeCache) keys.set(key, app.encode(cached))
      const writeCache = app.writeCache
      const cache = keys.exec().then(() => (cached !== null && writeCache ? this.hook('writeCache', () => writeCache(redis, key, cached)) : undefined))
      await Promise.all([cache, this.hook('writeRow', () => app.writeRow(mysql, this.rowId, this.valueOf(initial.db)))])
    })
    // writeRow(v) makes readRow give v, as the interface asks: the run starts from those values.
    this.last = {db: this.valueOf(initial.db), cache: this.valueOf(initial.cache)}
  }

  /** Both stores as the app would read them. */
  peek(): Promise<{db: Value; cache: Value}> {
    return Promise.all([this.readRow(), this.readCache()]).then(([db, cache]) => ({db, cache}))
  }

  /**
   * Creates each actor's instance (its calls are not steps) and the lane its calls will go
   * through. With `timers` (the run's clock is virtual), the timers an actor's code sets in its
   * lane go on that clock (timers.ts).
   */
  async start(actors: readonly AppActor[], timers?: TimerRegistry): Promise<void> {
    const {app, shown} = this.bench.loaded
    // A promise of the app's that fails with nobody to hear it ends the run, said in one line,
    // rather than the process with a stack trace.
    running = (reason) => this.refuse(new BadInputError(`app ${shown}: a promise it made failed and nothing handled it: ${errorLine(reason)}`))
    listenForStrays()
    for (const {actor, redis, mysql} of actors) {
      // What the instance subscribes to now is this actor's: the history names who a message reached.
      const instance = await creating.run(this.owner(actor.name), () => outsideLanes(async () => {
        try {
          return await app.create({actor: actor.name, id: this.rowId, prefix: this.prefix, redis, mysql, urls: this.bench.urls})
        } catch (error) {
          throw new BadInputError(`app ${shown}: create() failed for actor ${actor.name}: ${errorLine(error)}`)
        }
      }))
      if (!instance || typeof instance.read !== 'function' || typeof instance.write !== 'function') {
        throw new BadInputError(`app ${shown}: create() must return an object with read() and write(value) functions`)
      }
      this.instances.set(actor.name, instance)
      this.lanes.set(actor.name, this.lane(actor, timers))
    }
  }

  /**
   * The app's read and write paths as a strategy's, through this run's instances. An operation
   * ends only once its last step has been recorded (the app hears a reply before its step has
   * ended: been observed and recorded), and once the calls it set going in the background have:
   * a library that answers at once and refreshes behind the caller's back (bentocache's grace
   * with a soft timeout) makes its refresh's calls after the promise it returned has resolved,
   * and they are this actor's steps too.
   */
  paths(strategy: Strategy): Strategy {
    const {app} = this.bench.loaded
    const settled = async <T>(actor: Actor, call: (instance: AppInstance) => Promise<T>): Promise<T> => {
      const instance = this.instances.get(actor.name)
      const lane = this.lanes.get(actor.name)
      if (!instance || !lane) throw new Error(`internal: ${actor.name} has no app instance`)
      try {
        return await call(instance)
      } finally {
        await lane.idle()
      }
    }
    return {
      ...strategy,
      read: async (actor) => toValue(await settled(actor, (instance) => instance.read())),
      write: (actor, n) => settled(actor, (instance) => instance.write(app.value(n))),
    }
  }

  threadsOf(actor: ActorName): number[] {
    return [...(this.threads.get(actor) ?? [])]
  }

  holdsLocks(actor: ActorName): boolean {
    const state = this.locking.get(actor)
    return state === 'holds' || state === 'always'
  }

  /** An actor as the owner of the subscribers its instance makes: a command one of their listeners sends stops this run. */
  private owner(actor: ActorName): Owner {
    return {
      actor,
      refuse: (command) => {
        const error = new BadInputError(
          `app ${this.bench.loaded.shown}: a pub/sub listener of ${actor}'s sent ${command} while handling a message; cachesim orders a message's delivery, but a command a listener sends is no actor's step, so it refuses to leave it to timing`,
        )
        this.refuse(error)
        return error
      },
    }
  }

  /** Follows an actor's transaction from the statements it sends (BEGIN … COMMIT). */
  private track(actor: ActorName, call: ClientCall): void {
    if (!call.name.startsWith('db.')) return
    if (call.thread !== undefined) {
      const threads = this.threads.get(actor) ?? new Set<number>()
      threads.add(call.thread)
      this.threads.set(actor, threads)
    }
    const verb = call.name.slice(3)
    const state = this.locking.get(actor)
    if (state === 'always') return
    if (verb === 'set') {
      // SET autocommit = 0 and the like: cachesim cannot follow the session any more; assume locks.
      this.locking.set(actor, 'always')
    } else if (verb === 'begin') this.locking.set(actor, 'begun')
    else if (verb === 'commit' || verb === 'rollback') this.locking.delete(actor)
    else if (state === 'begun') this.locking.set(actor, 'holds')
  }

  /** Runs an actor's program with its client calls gated as its steps. */
  within<T>(actor: ActorName, body: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(actor)
    if (!lane) throw new Error(`internal: ${actor} has no lane`)
    return lanes.run(lane, body)
  }

  /** What each instance's in-process cache holds now (peek), for the instances that show one. */
  views(): Record<string, Value> | undefined {
    const views: Record<string, Value> = {}
    for (const [actor, instance] of this.instances) {
      if (!instance.peek) continue
      const seen = outsideLanes(() => instance.peek!())
      if (seen !== undefined) views[actor] = toValue(seen)
    }
    return Object.keys(views).length > 0 ? views : undefined
  }

  /** Closes every instance (what it opened itself); never a step. Notes the keys this run named, for the next run's reset. */
  async close(): Promise<void> {
    running = null
    await outsideLanes(async () => {
      await Promise.allSettled([...this.instances.values()].map((i) => i.close?.()))
      const {touched, noted} = this.bench
      if (touched.size > noted.count) {
        await this.bench.observer.redis.sadd(touchedSetKey(this.bench.prefix), ...touched).catch(() => {})
        noted.count = touched.size
      }
    })
    this.instances.clear()
  }

  /**
   * One actor's calls, one at a time: a call made while another is in flight waits for it (the
   * schedule orders one step per actor at a time). Every key named must be under the prefix.
   */
  private lane(actor: Actor, timers: TimerRegistry | undefined): AppLane & {idle(): Promise<void>} {
    let queue: Promise<unknown> = Promise.resolve()
    /** Calls made so far: idle() looks whether one came while it waited. */
    let calls = 0
    /** The keys this row's runs named (reset() removes them before the row's next run). */
    const mine = this.bench.touchedBy.get(this.rowId) ?? new Set<string>()
    this.bench.touchedBy.set(this.rowId, mine)
    const observeCache = () => this.observe('cache')
    const observeRow = () => this.observe('db')
    return {
      owner: this.owner(actor.name),
      ...(timers ? {timers: laneTimers(timers, actor.name)} : {}),
      idle: async () => {
        // What the app does on hearing a reply runs in the same turn of the event loop (promise
        // jobs and nextTicks), and the reply reaches it before its step has been recorded: once
        // the queue has emptied and one macrotask has passed, a call the app would make in
        // answer to its last reply is queued already. So the end does not depend on the
        // machine's speed. (A call the app makes only after a timer of its own is not waited for.)
        for (;;) {
          const seen = calls
          await queue
          await new Promise<void>((resolve) => setImmediate(resolve))
          if (calls === seen) return
        }
      },
      step: <T>(describe: () => ClientCall, send: () => Promise<T>): Promise<T> => {
        calls += 1
        // The step's own work (the gate, the client's send, a delivery's wait) sets real timers.
        const run = queue.then(() => asMachinery(() => {
          const call = describe()
          const outside = call.keys.find((k) => !k.startsWith(this.prefix))
          if (outside !== undefined) {
            const error = new BadInputError(
              `app ${this.bench.loaded.shown}: ${actor.name}'s ${call.name} names the key "${outside}", outside cachesim's prefix "${this.prefix}"; build every key from the prefix create() is given`,
            )
            this.refuse(error)
            throw error
          }
          for (const key of call.keys) {
            this.bench.touched.add(key)
            mine.add(key)
          }
          // A fault at `redis.write` hits the first Redis command that may change the store.
          // A Redis command can change only the cache, a statement only the row: only that is read back.
          const redisCall = call.name.startsWith('redis.')
          const known = redisCall ? this.knownCacheEffect(call) : null
          const options = {
            ...(!call.write
              ? {readOnly: call.readOnly === true}
              : known
                ? {effect: () => (known === 'unchanged' ? {} : this.changed('cache', known.value)), classes: ['redis.write']}
                : {observe: redisCall ? observeCache : observeRow, classes: redisCall ? ['redis.write'] : []}),
            ...(call.unchangedBy ? {unchangedBy: call.unchangedBy} : {}),
          }
          // The transaction's state moves when the statement is sent, not when it waits its turn.
          const sent = () => {
            this.track(actor.name, call)
            return send()
          }
          // A PUBLISH ends once every subscriber it reached in this process has handled the
          // message: no step of any actor goes while a message is on its way (deliveries.ts).
          // So does a MULTI or a pipeline with PUBLISHes in it.
          const single = /^redis\.S?PUBLISH$/.test(call.name) && call.args !== undefined && call.args.length >= 2
          const publishes = single ? [[call.name.slice('redis.'.length), call.args![0]!, call.args![1]!, 0] as const] : (call.publishes ?? [])
          if (publishes.length === 0) return actor.step(call.name, () => sent(), options)
          return actor.step<T>(
            call.name,
            async (context) => {
              const deliveries = publishes.map(([, channel, message]) => expectDeliveries(channel, message))
              let answer: T
              try {
                answer = await sent()
              } catch (error) {
                for (const d of deliveries) d.cancel()
                throw error
              }
              // How many each PUBLISH reached is its reply: the step's answer, or its place in a batch's.
              // A MULTI whose EXEC answered nil (a WATCHed key changed) published nothing.
              const replies = single ? [answer] : call.replies ? call.replies(answer) : answer
              const receivers = publishes.map(([, , , index]) => (replies === null ? 0 : Array.isArray(replies) ? (replies as unknown[])[index] : undefined))
              const reports = await Promise.all(
                deliveries.map(async (d, i) => {
                  const [command, channel] = publishes[i]!
                  // An answer that is not the replies (a client's reply mapping) falls back to counting the channel's subscribers.
                  return d.wait(typeof receivers[i] === 'number' ? receivers[i] : await this.subscribers(command, channel))
                }),
              )
              context.note(reports.map(deliveryNote).join('; '))
              return answer
            },
            {...options, publishes: true},
          )
        }))
        queue = run.catch(() => {})
        return run
      },
    }
  }

  /**
   * How many connections subscribe to `channel` now (PUBSUB NUMSUB, or SHARDNUMSUB for SPUBLISH):
   * near what the PUBLISH answered, pattern subscribers aside; only for a batch answer without its replies.
   */
  private subscribers(command: string, channel: string): Promise<number> {
    const redis = this.bench.observer.redis
    return outsideLanes(async () => {
      const reply = (await redis.call('PUBSUB', command === 'SPUBLISH' ? 'SHARDNUMSUB' : 'NUMSUB', channel)) as unknown[]
      return Number(reply[1] ?? 0)
    })
  }

  /** What changed in the stores since the last write step: that step's effect. */
  private async observe(store: 'db' | 'cache'): Promise<StepEffect> {
    return this.changed(store, store === 'db' ? await this.readRow() : await this.readCache())
  }

  /** The step's effect when the store now holds `now`: what changed, if anything. */
  private changed(store: 'db' | 'cache', now: Value): StepEffect {
    if (sameValue(now, this.last[store])) return {}
    this.last[store] = now
    return {[store]: now}
  }

  /**
   * What a plain Redis command does to the cached value, when that is certain without looking:
   * a command that names other keys only leaves it alone (a script or a function may reach any
   * key, so those are looked at); DEL and UNLINK of it empty it; a SET of it with no condition
   * puts its value. Null: look.
   */
  private knownCacheEffect(call: ClientCall): {value: Value} | 'unchanged' | null {
    const args = call.args
    if (!args || /^redis\.(EVAL|EVALSHA|EVAL_RO|EVALSHA_RO|FCALL|FCALL_RO|MULTI|PIPELINE)$/.test(call.name)) return null
    const key = this.key
    // Unchanged, not "the value it has now": other actors' steps may go before this one does.
    if (call.keys.length > 0 && !call.keys.includes(key)) return 'unchanged'
    if ((call.name === 'redis.DEL' || call.name === 'redis.UNLINK') && call.keys.includes(key)) return {value: null}
    if (call.name === 'redis.SET' && args[0] === key && args.length >= 2 && !this.bench.loaded.app.readCache) {
      const options = args.slice(2).map((a) => a.toUpperCase())
      if (options.some((o) => o === 'NX' || o === 'XX' || o === 'GET')) return null
      return {value: decoded(this.bench.loaded.app.decode, args[1]!)}
    }
    return null
  }

  /**
   * Runs one of the app's own hooks on cachesim's connections (readRow, writeRow, readCache,
   * writeCache): an error of the app's is the one-line error a user sees (exit 2), not cachesim's
   * bug; a store that went away is told as such by the run.
   */
  private async hook<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof CachesimError || isConnectionLoss(error)) throw error
      throw new BadInputError(`app ${this.bench.loaded.shown}: its ${name} failed: ${errorLine(error)}; fix ${name} in the app module (see "Race your own code" in the README)`)
    }
  }

  private readRow(): Promise<Value> {
    return outsideLanes(async () => toValue(await this.hook('readRow', () => this.bench.loaded.app.readRow(this.bench.observer.mysql, this.rowId))))
  }

  private readCache(): Promise<Value> {
    const {app, shown} = this.bench.loaded
    const redis = this.bench.observer.redis
    return outsideLanes(async () => {
      const readCache = app.readCache
      if (readCache) return toValue(await this.hook('readCache', () => readCache(redis, this.key)))
      const raw = await redis.get(this.key).catch(async (error: unknown) => {
        if (!String(error).includes('WRONGTYPE')) throw error
        const type = await redis.type(this.key)
        throw new BadInputError(
          `app ${shown}: the cache key ${this.key} holds a ${type}, not a string cachesim can GET; give the app readCache(redis, key) (and writeCache(redis, key, value) for a warm start) that read and write it as the app does`,
        )
      })
      return raw === null ? null : decoded(app.decode, raw)
    })
  }
}

/** What to do with a rejection nobody handled while an app runs (null between runs). */
let running: ((reason: unknown) => void) | null = null
let listening = false

/**
 * Listens for rejections nobody handled while apps are loaded. During a run one ends the run;
 * between runs (a library closing its clients late) it cannot change a verdict and is let go.
 */
function listenForStrays(): void {
  if (listening) return
  listening = true
  process.on('unhandledRejection', (reason) => running?.(reason))
}

/**
 * Removes what runs on rows `ids` left (a parallel exploration's extra slots): their rows in the
 * app's table and the keys they named. Row 1 keeps the last run's state to look at.
 */
export async function removeAppRows(bench: AppBench, ids: readonly number[]): Promise<void> {
  const {observer, loaded, touchedBy} = bench
  await outsideLanes(async () => {
    const keys = ids.flatMap((id) => [...(touchedBy.get(id) ?? [])])
    await Promise.all([keys.length > 0 ? observer.redis.del(...keys) : null, ...ids.map((id) => loaded.app.writeRow(observer.mysql, id, null))])
    for (const id of ids) touchedBy.delete(id)
  })
}

/** The set of keys apps have named under this prefix: every run starts without them. */
function touchedSetKey(prefix: string): string {
  return `${prefix}app:touched`
}

function decoded(decode: (raw: string) => unknown, raw: string): Value {
  try {
    return toValue(decode(raw))
  } catch {
    // Not a value the app would decode (a marker, a lock): the observer sees no value there.
    return null
  }
}

