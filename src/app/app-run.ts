import type {Redis} from 'ioredis'
import type {Connection} from 'mysql2/promise'

import {BadInputError} from '../errors/bad-input-error.js'
import type {ActorName, StepEffect, Value} from '../history/types.js'
import {sameValue} from '../history/value.js'
import type {Actor} from '../strategies/types.js'
import {bindInstance} from './app-strategy.js'
import {type AppLane, type ClientCall, lanes, outsideLanes} from './gate.js'
import type {LoadedApp} from './load.js'
import type {AppInstance} from './types.js'

/** What an app's runs share on one set of connections: set-up done once, and every key touched. */
export interface AppBench {
  loaded: LoadedApp
  prefix: string
  observer: {mysql: Connection; redis: Redis}
  urls: {redis: string; mysql: string}
  /** Keys the app's steps named, in any run so far: each run starts without them. */
  touched: Set<string>
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
      throw new BadInputError(`app ${shown}: its setup failed: ${messageOf(error)}`)
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
  private readonly lanes = new Map<ActorName, AppLane>()
  /** The stores as the last write step left them: an observed step's effect is what changed. */
  private last: {db: Value; cache: Value} = {db: null, cache: null}

  constructor(
    private readonly bench: AppBench,
    private readonly rowId: number,
    /** Called when the app does something cachesim must not allow (a key outside its prefix): the run stops. */
    private readonly refuse: (error: BadInputError) => void,
  ) {}

  get key(): string {
    return this.bench.loaded.app.key(this.rowId, this.bench.prefix)
  }

  valueOf(n: number | null): Value {
    return n === null ? null : (this.bench.loaded.app.value(n) as Value)
  }

  /** The row and the cached value at the start of the run; every key an earlier run touched is gone. */
  async reset(initial: {db: number | null; cache: number | null}): Promise<void> {
    const {app} = this.bench.loaded
    const key = this.key
    if (!key.startsWith(this.bench.prefix)) {
      throw new BadInputError(`app ${this.bench.loaded.shown}: key(${this.rowId}, prefix) gave "${key}", which does not start with the prefix "${this.bench.prefix}"`)
    }
    const {mysql, redis} = this.bench.observer
    await outsideLanes(async () => {
      // Keys an earlier run named, in this process or another (kept in a set under the prefix).
      const earlier = await redis.smembers(touchedSetKey(this.bench.prefix))
      const keys = [...new Set([...earlier, ...this.bench.touched, key])].filter((k) => k.startsWith(this.bench.prefix))
      await redis.del(...keys)
      const cached = this.valueOf(initial.cache)
      if (cached !== null) await redis.set(key, app.encode(cached))
      await app.writeRow(mysql, this.rowId, this.valueOf(initial.db))
    })
    this.last = await this.peek()
  }

  /** Both stores as the app would read them. */
  peek(): Promise<{db: Value; cache: Value}> {
    const {app} = this.bench.loaded
    const {mysql, redis} = this.bench.observer
    return outsideLanes(async () => {
      const [row, raw] = await Promise.all([app.readRow(mysql, this.rowId), redis.get(this.key)])
      return {db: toValue(row), cache: raw === null ? null : decoded(app.decode, raw)}
    })
  }

  /** Creates each actor's instance (its calls are not steps) and the lane its calls will go through. */
  async start(actors: readonly AppActor[]): Promise<void> {
    const {app, shown} = this.bench.loaded
    for (const {actor, redis, mysql} of actors) {
      const instance = await outsideLanes(async () => {
        try {
          return await app.create({actor: actor.name, id: this.rowId, prefix: this.bench.prefix, redis, mysql, urls: this.bench.urls})
        } catch (error) {
          throw new BadInputError(`app ${shown}: create() failed for actor ${actor.name}: ${messageOf(error)}`)
        }
      })
      if (!instance || typeof instance.read !== 'function' || typeof instance.write !== 'function') {
        throw new BadInputError(`app ${shown}: create() must return an object with read() and write(value) functions`)
      }
      const lane = this.lane(actor)
      this.instances.set(actor.name, instance)
      this.lanes.set(actor.name, lane)
      bindInstance(actor, instance, () => lane.idle())
    }
  }

  /** Runs an actor's program with its client calls gated as its steps. */
  within<T>(actor: ActorName, body: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(actor)
    if (!lane) throw new Error(`internal: ${actor} has no lane`)
    return lanes.run(lane, body)
  }

  /** Closes every instance (what it opened itself); never a step. Notes the keys this run named, for the next run's reset. */
  async close(): Promise<void> {
    await outsideLanes(async () => {
      await Promise.allSettled([...this.instances.values()].map((i) => i.close?.()))
      const touched = [...this.bench.touched]
      if (touched.length > 0) await this.bench.observer.redis.sadd(touchedSetKey(this.bench.prefix), ...touched).catch(() => {})
    })
    this.instances.clear()
  }

  /**
   * One actor's calls, one at a time: a call made while another is in flight waits for it (the
   * schedule orders one step per actor at a time). Every key named must be under the prefix.
   */
  private lane(actor: Actor): AppLane & {idle(): Promise<void>} {
    let queue: Promise<unknown> = Promise.resolve()
    const observe = () => this.observe()
    return {
      idle: () => queue.then(() => {}),
      step: <T>(describe: () => ClientCall, send: () => Promise<T>): Promise<T> => {
        const run = queue.then(() => {
          const call = describe()
          const outside = call.keys.find((k) => !k.startsWith(this.bench.prefix))
          if (outside !== undefined) {
            const error = new BadInputError(
              `app ${this.bench.loaded.shown}: ${actor.name}'s ${call.name} names the key "${outside}", outside cachesim's prefix "${this.bench.prefix}"; build every key from the prefix create() is given`,
            )
            this.refuse(error)
            throw error
          }
          for (const key of call.keys) this.bench.touched.add(key)
          // A fault at `redis.write` hits the first Redis command that may change the store.
          const options = call.write ? {observe, classes: call.name.startsWith('redis.') ? ['redis.write'] : []} : {}
          return actor.step(call.name, send, options)
        })
        queue = run.catch(() => {})
        return run
      },
    }
  }

  /** What changed in the stores since the last write step: that step's effect. */
  private async observe(): Promise<StepEffect> {
    const now = await this.peek()
    const effect: StepEffect = {}
    if (!sameValue(now.db, this.last.db)) effect.db = now.db
    if (!sameValue(now.cache, this.last.cache)) effect.cache = now.cache
    this.last = now
    return effect
  }
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

function toValue(value: unknown): Value {
  if (value === undefined || value === null) return null
  return JSON.parse(JSON.stringify(value)) as Value
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0] ?? message
}
