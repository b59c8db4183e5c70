/*
 * The block detector of a stepped run: where each actor is, and when none can move on its own.
 *
 * The stepped schedule (stepped.ts) releases one step at a time, and before each choice it must
 * know that every actor has stopped moving. It tells the detector what each actor does, and the
 * detector keeps each actor in one of five places:
 *
 *   running  its own code, between two steps (or before its first)
 *   gate     waiting at its gate to be released
 *   step     inside a released step: its store call is on its way
 *   blocked  inside a step that found what it needs taken (a lock key) and waits to try again
 *   done     its program has ended
 *
 * `settle()` resolves once no actor can move on its own: every one is at its gate, blocked, or
 * done. Three kinds of actor count as blocked, so that waiting for them would wait forever:
 *
 * - blocked in its step: the step said so (`waitBlocked`: a lock key another actor holds). It
 *   tries again after another actor's step has ended, one actor at a time, in name order, once
 *   everything else has settled.
 * - blocked at the server: its step has not ended because its statement waits for a row lock
 *   another actor's open transaction holds. The probe (InnoDB's lock waits) says so; without a
 *   probe, a step that has not ended within 200 ms is taken as blocked. Only a step that could be
 *   waiting (`probe.mayWait`) is asked about, and only after one turn of the event loop, so that
 *   the call has reached its driver.
 * - waiting on its timers (apps only, under a virtual clock): between steps with a timer of its
 *   own set, and no actor has moved for QUIET_TURNS turns of the event loop. Its timer fires in
 *   a `timer` step of its own the selector may pick, or when nothing else can go (stepped.ts).
 * - waiting in-process (apps only, when `inProcessWaitMs` is set): between steps for longer than
 *   that while another actor could go (four times as long when alone), e.g. on an app's mutex or a
 *   promise that only another actor's progress resolves. The others go on without it.
 *
 * An actor that is none of these and neither reaches a gate nor ends within `stepTimeoutMs` ends
 * the run with a StepTimeoutError. When nothing is at a gate and some actors are still blocked,
 * the run is stuck: `blocked()` says who waits for what.
 *
 * When to look again: every wait is for the next change of place (a counter, so that a change
 * during an await is never missed), bounded by the next moment a rule above could fire; a
 * watchdog (`watch`) wakes the detector now and then so that the step timeout is noticed, and
 * Ctrl-C wakes it at once.
 */

import {CachesimError} from '../errors/cachesim-error.js'
import type {ActorName} from '../history/types.js'
import {abortReason} from '../util/delay.js'
import {type Deferred, deferred} from '../util/deferred.js'
import type {BlockedActor, StepRequest} from './types.js'

/** Tells, for steps that have not ended yet, which of them wait for a row lock at the database. */
export interface ServerWaitProbe {
  /** Whether the actor's step could be waiting at all: another actor's transaction holds a row lock. */
  mayWait(actor: ActorName): boolean
  /**
   * Which of these actors' statements wait for a lock right now. `runningMs` is how long the
   * oldest has run, so that a probe can ask the server itself about a step that runs long.
   */
  waiting(actors: readonly ActorName[], runningMs: number): Promise<Set<ActorName>>
}

export interface BlockDetectorOptions {
  /** Without a probe, a step that has not ended within 200 ms is taken as blocked. */
  probe?: ServerWaitProbe
  /** Give up on a step that neither ends nor is known to be blocked after this long. */
  stepTimeoutMs?: number
  /** Between steps this long while another actor could go: waiting in-process. Off when absent. */
  inProcessWaitMs?: number
  /** Whether the actor has an app timer on the run's clock that has not fired (virtual-timers.ts). */
  waitsOnTimers?: (actor: ActorName) => boolean
}

/**
 * Turns of the event loop in which no actor moves before an actor between steps with a timer
 * set counts as waiting on its timers alone: an app's answer to a reply runs in promise jobs and
 * the turn after (app-run.ts, idle), never later, so the count does not depend on the machine.
 */
const QUIET_TURNS = 3

/** How often a step that could be waiting on a row lock, but is not known to, is looked at again. */
const PROBE_EVERY_MS = 20
/** Without a probe, a step that has not ended after this long is taken as blocked. */
const ASSUME_BLOCKED_MS = 200
const DEFAULT_STEP_TIMEOUT_MS = 10_000

type Place = 'running' | 'gate' | 'step' | 'blocked' | 'done'

interface ActorState {
  name: ActorName
  place: Place
  /** The step it last asked to take (at its gate, inside it, or after it). */
  request: StepRequest | null
  /** Held while blocked inside a step, until it is its turn to try again. */
  retry: Deferred<void> | null
  /** What it waits for, when it is blocked in any of the three ways. */
  reason: string
  /** Its step's statement waits for a row lock at the server (place stays 'step'). */
  serverBlocked: boolean
  /** Blocked in-process, and another step has ended since it last tried. */
  retryDue: boolean
  /** The current step has had a turn of the event loop to send its call. */
  sent: boolean
  /** When it came to its current place (ms, performance.now). */
  since: number
  /** Between steps for longer than the in-process bound: the others go on without it. */
  inProcess: boolean
  /** Between steps, quiet, with a timer of its own set: it waits for the timer. */
  onTimers: boolean
}

/** A step that neither ended nor was known to be blocked within the step timeout. */
export class StepTimeoutError extends CachesimError {}

export class BlockDetector {
  private readonly stepTimeoutMs: number
  private readonly probe: ServerWaitProbe | undefined
  private readonly inProcessWaitMs: number | undefined
  private readonly waitsOnTimers: ((actor: ActorName) => boolean) | undefined
  private readonly states = new Map<ActorName, ActorState>()
  /** Counts changes of place, so that a change during an await is never missed. */
  private version = 0
  private changed: Deferred<void> = deferred()
  private aborted: Promise<boolean> = new Promise(() => {})

  constructor(options: BlockDetectorOptions = {}) {
    this.probe = options.probe
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS
    this.inProcessWaitMs = options.inProcessWaitMs
    this.waitsOnTimers = options.waitsOnTimers
  }

  /** The run's actors, in the order selectors see them (by name); each starts out running. */
  track(actors: readonly ActorName[]): void {
    for (const name of actors) {
      this.states.set(name, {
        name,
        place: 'running',
        request: null,
        retry: null,
        reason: '',
        serverBlocked: false,
        retryDue: false,
        sent: false,
        since: performance.now(),
        inProcess: false,
        onTimers: false,
      })
    }
  }

  /**
   * For the length of a run: Ctrl-C wakes `settle` wherever it waits (it then throws the abort
   * reason), and one timer (not one per wait) wakes it now and then so that a step that never
   * ends is noticed within its bound. Returns the function that stops both.
   */
  watch(signal: AbortSignal): () => void {
    let onAbort = () => {}
    this.aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(true)
      signal.addEventListener('abort', onAbort, {once: true})
    })
    const watchdog = setInterval(() => this.wake(), Math.min(1000, this.stepTimeoutMs / 4))
    return () => {
      clearInterval(watchdog)
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** The actor waits at its gate to take this step. */
  arrive(request: StepRequest): void {
    this.state(request.actor).request = request
    this.enter(request.actor, 'gate')
  }

  /** The actor's step was released: its store call goes out. */
  release(actor: ActorName): void {
    this.enter(actor, 'step')
  }

  /**
   * The actor's step has ended. Whatever blocked another actor may be free now: a statement
   * waiting at the server is looked at afresh, and every actor blocked in-process may try again.
   */
  stepEnded(actor: ActorName): void {
    for (const other of this.states.values()) {
      if (other.name === actor) continue
      other.serverBlocked = false
      if (other.place === 'blocked') other.retryDue = true
    }
    this.enter(actor, 'running')
  }

  /** The actor's step found what it needs taken. Resolves when it should try again. */
  waitBlocked(request: StepRequest, reason: string): Promise<void> {
    const state = this.state(request.actor)
    state.reason = reason
    state.retry = deferred()
    state.retryDue = false
    this.enter(request.actor, 'blocked')
    return state.retry.promise
  }

  /** The actor's timer is about to fire (its `timer` step): it runs again, and is waited for. */
  woken(actor: ActorName): void {
    this.enter(actor, 'running')
  }

  /** The actor's program has ended (finished or failed). */
  end(actor: ActorName): void {
    this.enter(actor, 'done')
  }

  /** Waits until no actor is running between steps or inside an unfinished, unblocked step. */
  async settle(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) throw abortReason(signal)
      const seen = this.version
      const states = [...this.states.values()]
      this.markInProcess(states)
      const running = states.filter((s) => s.place === 'running' && !s.inProcess && !this.onTimers(s))
      const inStep = states.filter((s) => s.place === 'step' && !s.serverBlocked)
      const timed = running.filter((s) => this.waitsOnTimers?.(s.name) === true)
      if (timed.length > 0) {
        let quiet = true
        for (let turn = 0; quiet && turn < QUIET_TURNS; turn++) quiet = !(await this.nextChange(seen, 0))
        if (quiet) {
          for (const state of timed) {
            state.onTimers = true
            state.reason = 'waits on a timer of its own'
          }
        }
        continue
      }
      if (running.length === 0 && inStep.length === 0) {
        const due = states.find((s) => s.place === 'blocked' && s.retryDue)
        if (!due) return
        this.retryBlocked(due)
        continue
      }
      const oldest = Math.min(...[...running, ...inStep].map((s) => s.since))
      const left = this.stepTimeoutMs - (performance.now() - oldest)
      if (left <= 0) throw this.timeout([...running, ...inStep])
      if (running.length > 0 && this.inProcessWaitMs !== undefined) {
        // Look again when the longest-running actor reaches the in-process bound.
        const runningFor = performance.now() - Math.min(...running.map((s) => s.since))
        const next = runningFor < this.inProcessWaitMs ? this.inProcessWaitMs : this.inProcessWaitMs * 4
        await this.nextChange(seen, Math.max(1, next - runningFor))
        continue
      }
      // Only a step that could be waiting on a lock is asked about; the rest are simply awaited.
      const suspects = running.length > 0 ? [] : inStep.filter((s) => this.probe?.mayWait(s.name) ?? true)
      if (suspects.length === 0) {
        // No timer here (this wait happens for every step): the watchdog wakes us to check the bound.
        await this.nextChange(seen, Infinity)
        continue
      }
      // Let a just-released call reach its driver first (one turn of the event loop), then ask.
      const fresh = suspects.filter((s) => !s.sent)
      if (fresh.length > 0) {
        for (const state of fresh) state.sent = true
        if (await this.nextChange(seen, 0)) continue
      }
      const runningMs = performance.now() - Math.min(...suspects.map((s) => s.since))
      if (!this.probe && runningMs < ASSUME_BLOCKED_MS) {
        await this.nextChange(seen, ASSUME_BLOCKED_MS - runningMs)
        continue
      }
      const names = suspects.map((s) => s.name)
      const waiting = this.probe ? await this.probe.waiting(names, runningMs) : new Set(names)
      // Something moved while we asked: the answer may be out of date, so look again.
      if (this.version !== seen) continue
      for (const state of suspects) {
        if (waiting.has(state.name)) {
          state.serverBlocked = true
          state.reason = 'waits for a row lock held by an open transaction'
        }
      }
      if (waiting.size < suspects.length) await this.nextChange(seen, Math.min(PROBE_EVERY_MS, left))
    }
  }

  /** The actors that cannot go on by themselves right now, in name order, and what each waits for. */
  blocked(): BlockedActor[] {
    return [...this.states.values()]
      .filter((s) => s.place === 'blocked' || (s.place === 'step' && s.serverBlocked) || (s.place === 'running' && (s.inProcess || this.onTimers(s))))
      .map((s) => ({actor: s.name, step: s.place === 'running' ? `after ${s.request?.step ?? 'its start'}` : (s.request?.step ?? '?'), reason: s.reason}))
  }

  /** Actors between steps that wait for nothing but their own timers, in name order. */
  onTimersOnly(): ActorName[] {
    return [...this.states.values()].filter((s) => this.onTimers(s)).map((s) => s.name)
  }

  /** The actors whose programs have ended, in name order. */
  finished(): ActorName[] {
    return [...this.states.values()].filter((s) => s.place === 'done').map((s) => s.name)
  }

  /** Some actor was left behind waiting in-process: its program may never end. */
  leftBehind(): boolean {
    return [...this.states.values()].some((s) => s.inProcess || this.onTimers(s))
  }

  /**
   * The run is over: every blocked wait rejects with `reason`. Returns the actors whose store
   * call is still in flight (their step was released and has not ended).
   */
  abandon(reason: unknown): ActorName[] {
    const inFlight: ActorName[] = []
    for (const state of this.states.values()) {
      state.retry?.reject(reason)
      state.retry = null
      if (state.place === 'step') inFlight.push(state.name)
    }
    return inFlight
  }

  /**
   * Actors between steps past the in-process bound, while another actor could go: they wait on
   * something in-process that only another actor's progress can bring.
   */
  private markInProcess(states: ActorState[]): void {
    if (this.inProcessWaitMs === undefined) return
    const bound = this.inProcessWaitMs
    const now = performance.now()
    for (const state of states) {
      if (state.place !== 'running' || state.inProcess || now - state.since < bound) continue
      // Alone, it may be waiting on a timer of its own: it gets four times as long.
      const othersActive = states.some((other) => other !== state && (other.place === 'gate' || other.place === 'blocked' || other.place === 'step'))
      if (!othersActive && now - state.since < bound * 4) continue
      state.inProcess = true
      state.reason = `waits in-process: it neither sent a call nor finished within ${Math.round(now - state.since)} ms of its last step`
    }
  }

  private onTimers(state: ActorState): boolean {
    return state.place === 'running' && state.onTimers && this.waitsOnTimers?.(state.name) === true
  }

  /** Its turn to try again: back inside its step. */
  private retryBlocked(state: ActorState): void {
    const retry = state.retry
    state.retry = null
    state.retryDue = false
    this.enter(state.name, 'step')
    retry?.resolve()
  }

  private enter(actor: ActorName, place: Place): void {
    const state = this.state(actor)
    state.place = place
    state.since = performance.now()
    state.inProcess = false
    state.onTimers = false
    if (place !== 'step') state.serverBlocked = false
    state.sent = false
    this.wake()
  }

  /** Wakes whoever waits in nextChange, as a change of place would. */
  private wake(): void {
    this.version += 1
    const changed = this.changed
    this.changed = deferred()
    changed.resolve()
  }

  /** Resolves true when some actor has changed place since `seen`, false when `ms` passed first. */
  private async nextChange(seen: number, ms: number): Promise<boolean> {
    if (this.version !== seen) return true
    if (ms === Infinity) return Promise.race([this.changed.promise.then(() => true), this.aborted])
    let cancel = () => {}
    const timedOut = new Promise<boolean>((resolve) => {
      // Zero means one turn of the event loop: setImmediate, not setTimeout's 1 ms floor.
      if (ms <= 0) {
        const immediate = setImmediate(() => resolve(false))
        cancel = () => clearImmediate(immediate)
      } else {
        const timer = setTimeout(() => resolve(false), ms)
        cancel = () => clearTimeout(timer)
      }
    })
    try {
      return await Promise.race([this.changed.promise.then(() => true), timedOut, this.aborted])
    } finally {
      cancel()
    }
  }

  private state(actor: ActorName): ActorState {
    const state = this.states.get(actor)
    if (!state) throw new CachesimError(`internal: unknown actor ${actor}`)
    return state
  }

  private timeout(states: ActorState[]): StepTimeoutError {
    const what = states
      .map((s) => (s.place === 'step' && s.request ? `${s.name}'s ${s.request.step}` : `${s.name} (between steps)`))
      .join(', ')
    return new StepTimeoutError(
      `${what} did not finish within ${this.stepTimeoutMs} ms and is not waiting on a lock that cachesim can see; is a server overloaded?`,
    )
  }
}
