import {AsyncLocalStorage, AsyncResource} from 'node:async_hooks'
import {syncBuiltinESMExports} from 'node:module'
import timersPromises from 'node:timers/promises'
import {promisify} from 'node:util'

import {lanes} from './gate.js'

/**
 * An app's timers while the run's schedule is virtual: a setTimeout or setInterval called in an
 * actor's lane (or a sleep: timers/promises' setTimeout, scheduler.wait, util.promisify(setTimeout))
 * goes on the run's clock (schedule/virtual-timers.ts) instead of the event loop,
 * so a soft timeout racing a held step fires where the schedule says (a pause that passes its
 * deadline, or nothing else able to go), never because the machine was slow. Outside a lane
 * (cachesim's own code), under real time, and inside a step's own machinery (the client's send,
 * the wait for a delivery), the real timers are used.
 */

/** One timer on the run's clock, as the registry hands it out. */
export interface RegisteredTimer {
  readonly id: number
}

/** The run's timers, bound to one actor: what a lane gives the patched globals. */
export interface LaneTimers {
  add(ms: number, repeat: boolean, fire: () => void): RegisteredTimer
  clear(id: number): void
  /** Starts the timer again from now (Timeout.refresh). */
  refresh(timer: RegisteredTimer): void
}

/** The run's timers (schedule/virtual-timers.ts), as an app's run hands them to its lanes. */
export interface TimerRegistry {
  add(owner: string, ms: number, repeat: boolean, fire: () => void): RegisteredTimer
  clear(id: number): void
  refresh(timer: RegisteredTimer): void
}

/** One actor's view of the run's timers. */
export function laneTimers(registry: TimerRegistry, actor: string): LaneTimers {
  return {
    add: (ms, repeat, fire) => registry.add(actor, ms, repeat, fire),
    clear: (id) => registry.clear(id),
    refresh: (timer) => registry.refresh(timer),
  }
}

/** Set while a step's own work runs (actor.step and the client's send): timers there are real. */
const machinery = new AsyncLocalStorage<true>()

/** Runs cachesim's part of a step: whatever timers it (or the client under it) sets are real. */
export function asMachinery<T>(fn: () => T): T {
  return machinery.run(true, fn)
}

type TimerCallback = (...args: unknown[]) => void

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
}

/** The virtual timers (by id) that have not been cleared: clearTimeout may be given a handle's number. */
const handles = new Map<number, VirtualTimeout>()

/** What setTimeout returns for a virtual timer: as much of Node's Timeout as libraries use. */
export class VirtualTimeout {
  private refed = true

  constructor(
    private readonly timers: LaneTimers,
    private timer: RegisteredTimer | null,
  ) {}

  /** @internal Set once registered (the callback needs the handle as its `this`). */
  bind(timer: RegisteredTimer): void {
    this.timer = timer
    handles.set(timer.id, this)
  }

  ref(): this {
    this.refed = true
    return this
  }

  unref(): this {
    this.refed = false
    return this
  }

  hasRef(): boolean {
    return this.refed
  }

  refresh(): this {
    if (this.timer) {
      this.timers.refresh(this.timer)
      handles.set(this.timer.id, this)
    }
    return this
  }

  close(): this {
    if (this.timer) {
      this.timers.clear(this.timer.id)
      handles.delete(this.timer.id)
    }
    return this
  }

  [Symbol.toPrimitive](): number {
    return this.timer?.id ?? 0
  }

  [Symbol.dispose](): void {
    this.close()
  }
}

/** The lane's timers when a timer set now belongs on the run's clock; null: a real timer. */
function virtualTimers(): LaneTimers | null {
  if (machinery.getStore()) return null
  return lanes.getStore()?.timers ?? null
}

function setVirtual(timers: LaneTimers, callback: TimerCallback, ms: unknown, args: unknown[], repeat: boolean): VirtualTimeout {
  const handle = new VirtualTimeout(timers, null)
  // The callback runs in the context it was set in (the actor's lane), wherever it is fired from.
  const run = AsyncResource.bind(() => {
    if (!repeat) handles.delete(Number(handle))
    try {
      callback.apply(handle, args)
    } catch (error) {
      // As an uncaught error in a timer would: the run ends, said in one line (app-run.ts).
      void Promise.reject(error)
    }
  })
  handle.bind(timers.add(Number(ms) || 0, repeat, run))
  return handle
}

/** timers/promises' setTimeout on the run's clock: resolves with `value` when the timer fires; rejects as Node's does when `signal` aborts. */
function virtualSleep<T>(timers: LaneTimers, ms: unknown, value: T, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal))
      return
    }
    const onAbort = () => {
      handle.close()
      reject(abortError(signal!))
    }
    const handle = setVirtual(timers, () => {
      signal?.removeEventListener('abort', onAbort)
      resolve(value)
    }, ms, [], false)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

/** The error timers/promises rejects with when its signal aborts. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', {cause: signal.reason}), {name: 'AbortError', code: 'ABORT_ERR'})
}

function clearAny(handle: unknown, clear: (handle: never) => void): void {
  const virtual = handle instanceof VirtualTimeout ? handle : typeof handle === 'number' || typeof handle === 'string' ? handles.get(Number(handle)) : undefined
  if (virtual) virtual.close()
  else clear(handle as never)
}

let installed = false

/** Puts the patched timer functions in place of the globals, once; outside a virtual lane they are the originals. */
export function installTimers(): void {
  if (installed) return
  installed = true
  const setTimeoutPatched = function (callback: TimerCallback, ms?: number, ...args: unknown[]) {
    const timers = virtualTimers()
    if (!timers || typeof callback !== 'function') return real.setTimeout(callback, ms, ...args)
    return setVirtual(timers, callback, ms, args, false)
  }
  const setIntervalPatched = function (callback: TimerCallback, ms?: number, ...args: unknown[]) {
    const timers = virtualTimers()
    if (!timers || typeof callback !== 'function') return real.setInterval(callback, ms, ...args)
    return setVirtual(timers, callback, ms, args, true)
  }
  // A sleep (`await setTimeout(ms)` of timers/promises, scheduler.wait, util.promisify(setTimeout))
  // is a timer too: in a lane it goes on the run's clock, or a sleep longer than the in-process
  // bound would make the run's outcome the machine's doing.
  const realSleep = timersPromises.setTimeout
  const sleepPatched = function <T>(ms?: number, value?: T, options?: {signal?: AbortSignal; ref?: boolean}): Promise<T> {
    const timers = virtualTimers()
    if (!timers) return realSleep(ms, value, options) as Promise<T>
    return virtualSleep(timers, ms, value as T, options?.signal)
  }
  Object.defineProperty(setTimeoutPatched, promisify.custom, {value: sleepPatched})
  timersPromises.setTimeout = sleepPatched as typeof timersPromises.setTimeout
  const scheduler = timersPromises.scheduler as {wait: (ms: number, options?: {signal?: AbortSignal}) => Promise<void>}
  scheduler.wait = (ms, options) => sleepPatched(ms, undefined, options)
  // `import {setTimeout} from 'node:timers/promises'` in an app loaded from here on sees the patch.
  syncBuiltinESMExports()
  globalThis.setTimeout = setTimeoutPatched as unknown as typeof globalThis.setTimeout
  globalThis.setInterval = setIntervalPatched as unknown as typeof globalThis.setInterval
  globalThis.clearTimeout = ((handle?: unknown) => clearAny(handle, real.clearTimeout)) as typeof globalThis.clearTimeout
  globalThis.clearInterval = ((handle?: unknown) => clearAny(handle, real.clearInterval)) as typeof globalThis.clearInterval
}
