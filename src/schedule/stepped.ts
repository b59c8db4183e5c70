import {CachesimError} from '../errors/cachesim-error.js'
import type {StepOf} from '../history/independence.js'
import type {ActorName, StepName, StepValue} from '../history/types.js'
import {abortReason} from '../util/delay.js'
import {type Deferred, deferred} from '../util/deferred.js'
import type {
  ActorTask,
  BlockedActor,
  Decision,
  Schedule,
  ScheduleOutcome,
  StepRequest,
} from './types.js'
import {orderToken} from './types.js'

/** A step waiting at its gate, as a selector sees it. */
export interface PendingStep {
  actor: ActorName
  step: StepName
  /** The value a write step will send (null for reads). */
  sends: StepValue
  /** Part of the actor's read path (for the independence relation, history/independence.ts). */
  reading: boolean
}

/** What a selector may know about the actors that cannot go right now. */
export interface SelectionContext {
  position: number
  blocked: readonly BlockedActor[]
  finished: readonly ActorName[]
}

/**
 * The seam of every stepped schedule (after fast-check's scheduler): given the steps waiting at
 * their gates, in actor-name order, pick the actor whose step goes next.
 */
export interface Selector {
  /** Called before every step, also when only one actor can go (a script checks every step). */
  choose(enabled: readonly PendingStep[], context: SelectionContext): ActorName
  /** Called when every actor has finished, with the number of steps taken. */
  finish?(steps: number): void
}

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

export interface SteppedOptions {
  kind: 'script' | 'explore' | 'random'
  selector: Selector
  /** Without a probe, a step that has not ended within 200 ms is taken as blocked. */
  probe?: ServerWaitProbe
  /** Give up on a step that neither ends nor is known to be blocked after this long. */
  stepTimeoutMs?: number
  /**
   * Called when the run cannot go on (stuck or timed out), after every held actor was told to
   * stop: it must end the store calls still in flight for these actors (e.g. KILL QUERY).
   */
  unstick?: (actors: readonly ActorName[]) => Promise<void>
  /** Called before each step is released, and awaited: `--step` waits for Enter here. */
  beforeRelease?: (next: PendingStep, position: number) => Promise<void>
  /**
   * An actor that has neither reached a gate nor finished this long after its last step waits
   * in-process (an app's mutex, a promise shared with another caller, a timer): the others go
   * on without it. Off when absent (built-in strategies never wait in-process).
   */
  inProcessWaitMs?: number
}

/** How often a step that could be waiting on a row lock, but is not known to, is looked at again. */
const PROBE_EVERY_MS = 20
/** Without a probe, a step that has not ended after this long is taken as blocked. */
const ASSUME_BLOCKED_MS = 200
const DEFAULT_STEP_TIMEOUT_MS = 10_000

type Phase = 'starting' | 'running' | 'gate' | 'step' | 'blocked' | 'done'

interface ActorState {
  name: ActorName
  phase: Phase
  request: StepRequest | null
  /** Held at the gate until the selector picks this actor. */
  release: Deferred<void> | null
  /** Held while blocked inside a step, until another step has gone. */
  retry: Deferred<void> | null
  blockedReason: string
  /** The step's statement waits for a row lock at the server (phase stays 'step'). */
  serverBlocked: boolean
  /** Blocked in-process, and another step has gone since it last tried. */
  retryDue: boolean
  /** The current step has had a turn of the event loop to send its call. */
  sent: boolean
  /** When the current phase began (ms, performance.now). */
  since: number
  /** Between steps for longer than the in-process bound: the others go on without it. */
  inProcess: boolean
}

export class StepTimeoutError extends CachesimError {}

/**
 * Releases one step at a time. Before each choice it lets every actor settle: each is at its
 * gate, blocked, or done. A step that has not ended is asked about (InnoDB's lock waits) rather
 * than waited for, so a blocked step costs a query, not a timeout. Every wait has a bound.
 */
export class SteppedSchedule implements Schedule {
  readonly kind: 'script' | 'explore' | 'random'
  private readonly selector: Selector
  private readonly probe: ServerWaitProbe | undefined
  private readonly stepTimeoutMs: number
  private readonly unstick: ((actors: readonly ActorName[]) => Promise<void>) | undefined
  private readonly beforeRelease: ((next: PendingStep, position: number) => Promise<void>) | undefined
  private readonly inProcessWaitMs: number | undefined
  private abandoned: unknown = null
  private readonly states = new Map<ActorName, ActorState>()
  private readonly order: string[] = []
  private readonly released: StepOf[] = []
  private readonly decisions: Decision[] = []
  private changed: Deferred<void> = deferred()
  private aborted: Promise<boolean> = new Promise(() => {})
  /** Counts phase changes, so that a change during an await is never missed. */
  private version = 0

  constructor(options: SteppedOptions) {
    this.kind = options.kind
    this.selector = options.selector
    this.probe = options.probe
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS
    this.unstick = options.unstick
    this.beforeRelease = options.beforeRelease
    this.inProcessWaitMs = options.inProcessWaitMs
  }

  async run(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome> {
    // Ctrl-C wakes the controller wherever it waits; settle() then throws the abort reason.
    let onAbort = () => {}
    this.aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(true)
      signal.addEventListener('abort', onAbort, {once: true})
    })
    // One timer per run, not per wait: it wakes settle() now and then so that a step that
    // never ends is noticed within its bound.
    const watchdog = setInterval(() => this.wake(), Math.min(1000, this.stepTimeoutMs / 4))
    try {
      return await this.runActors(actors, signal)
    } finally {
      clearInterval(watchdog)
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async runActors(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome> {
    for (const actor of [...actors].sort((a, b) => a.name.localeCompare(b.name))) {
      this.states.set(actor.name, {
        name: actor.name,
        phase: 'starting',
        request: null,
        release: null,
        retry: null,
        blockedReason: '',
        serverBlocked: false,
        retryDue: false,
        sent: false,
        since: performance.now(),
        inProcess: false,
      })
    }
    const bodies = actors.map((actor) =>
      actor.body().finally(() => this.enter(actor.name, 'done')),
    )
    // The bodies start only now, so no actor runs ahead of the first choice.
    for (const state of this.states.values()) if (state.phase === 'starting') state.phase = 'running'
    let stuck: BlockedActor[] | null = null
    try {
      for (;;) {
        await this.settle(signal)
        const enabled = this.pending()
        if (enabled.length === 0) {
          const blocked = this.blocked()
          if (blocked.length > 0) stuck = blocked
          break
        }
        const chosen = this.selector.choose(enabled, {
          position: this.order.length,
          blocked: this.blocked(),
          finished: this.finished(),
        })
        if (!enabled.some((p) => p.actor === chosen)) {
          throw new CachesimError(`internal: the selector chose ${chosen}, who cannot go now`)
        }
        if (enabled.length > 1) {
          this.decisions.push({position: this.order.length, enabled: enabled.map((p) => p.actor), steps: enabled.map(stepOfPending), chosen})
        }
        if (this.beforeRelease) await this.beforeRelease(enabled.find((p) => p.actor === chosen)!, this.order.length)
        this.releaseStep(chosen)
      }
    } catch (error) {
      await this.abandon(error)
      await this.ended(bodies)
      throw error
    }
    if (stuck) await this.abandon(new StuckError(stuck))
    await this.ended(bodies)
    if (!stuck) this.selector.finish?.(this.order.length)
    return {order: [...this.order], released: [...this.released], decisions: [...this.decisions], stuck, injectedMs: 0}
  }

  beforeStep(request: StepRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal))
    if (this.abandoned) return Promise.reject(this.abandoned)
    const state = this.state(request.actor)
    state.request = request
    state.release = deferred()
    this.enter(request.actor, 'gate')
    return state.release.promise
  }

  async afterStep(request: StepRequest): Promise<void> {
    // Another actor's step has gone: whatever blocked someone may be free now. Blocked actors
    // look again one at a time, in name order, once everything else has settled.
    for (const other of this.states.values()) {
      if (other.name === request.actor) continue
      other.serverBlocked = false
      if (other.phase === 'blocked') other.retryDue = true
    }
    this.enter(request.actor, 'running')
  }

  waitBlocked(request: StepRequest, reason: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal))
    if (this.abandoned) return Promise.reject(this.abandoned)
    const state = this.state(request.actor)
    state.blockedReason = reason
    state.retry = deferred()
    state.retryDue = false
    this.enter(request.actor, 'blocked')
    return state.retry.promise
  }

  /** Waits until no actor is running between steps or inside an unfinished, unblocked step. */
  private async settle(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) throw abortReason(signal)
      const seen = this.version
      const states = [...this.states.values()]
      this.markInProcess(states)
      const running = states.filter((s) => (s.phase === 'running' || s.phase === 'starting') && !s.inProcess)
      const inStep = states.filter((s) => s.phase === 'step' && !s.serverBlocked)
      if (running.length === 0 && inStep.length === 0) {
        const due = states.find((s) => s.phase === 'blocked' && s.retryDue)
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
        // No timer here (this wait happens for every step): the run's watchdog wakes us to check the bound.
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
          state.blockedReason = 'waits for a row lock held by an open transaction'
        }
      }
      if (waiting.size < suspects.length) await this.nextChange(seen, Math.min(PROBE_EVERY_MS, left))
    }
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
      if (state.phase !== 'running' || state.inProcess || now - state.since < bound) continue
      // Alone, it may be waiting on a timer of its own: it gets four times as long.
      const othersActive = states.some((other) => other !== state && (other.phase === 'gate' || other.phase === 'blocked' || other.phase === 'step'))
      if (!othersActive && now - state.since < bound * 4) continue
      state.inProcess = true
      state.blockedReason = `waits in-process: it neither sent a call nor finished within ${Math.round(now - state.since)} ms of its last step`
    }
  }

  private retryBlocked(state: ActorState): void {
    const retry = state.retry
    state.retry = null
    state.retryDue = false
    this.enter(state.name, 'step')
    retry?.resolve()
  }

  private releaseStep(actor: ActorName): void {
    const state = this.state(actor)
    const release = state.release
    if (state.phase !== 'gate' || !release || !state.request) {
      throw new CachesimError(`internal: ${actor} is not waiting at a gate`)
    }
    this.order.push(orderToken(actor, state.request.step))
    this.released.push(stepOfPending(pendingOf(state.request)))
    state.release = null
    this.enter(actor, 'step')
    release.resolve()
  }

  private pending(): PendingStep[] {
    return [...this.states.values()]
      .filter((s) => s.phase === 'gate' && s.request)
      .map((s) => pendingOf(s.request!))
  }

  private blocked(): BlockedActor[] {
    return [...this.states.values()]
      .filter((s) => s.phase === 'blocked' || (s.phase === 'step' && s.serverBlocked) || (s.phase === 'running' && s.inProcess))
      .map((s) => ({actor: s.name, step: s.phase === 'running' ? `after ${s.request?.step ?? 'its start'}` : (s.request?.step ?? '?'), reason: s.blockedReason}))
  }

  private finished(): ActorName[] {
    return [...this.states.values()].filter((s) => s.phase === 'done').map((s) => s.name)
  }

  /**
   * Waits for the actors' programs to end. One waiting in-process may never end (its promise is
   * never resolved): after the in-process bound it is left behind, and any call it makes later
   * is refused at its gate.
   */
  private async ended(bodies: Promise<unknown>[]): Promise<void> {
    const settled = Promise.allSettled(bodies)
    if (![...this.states.values()].some((s) => s.inProcess)) {
      await settled
      return
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, this.inProcessWaitMs)))])
    clearTimeout(timer)
  }

  /**
   * Ends every held actor: gates and blocked waits reject, so the bodies unwind; store calls
   * still in flight are ended by `unstick`.
   */
  private async abandon(reason: unknown): Promise<void> {
    this.abandoned = reason
    const inFlight: ActorName[] = []
    for (const state of this.states.values()) {
      state.release?.reject(reason)
      state.retry?.reject(reason)
      state.release = null
      state.retry = null
      if (state.phase === 'step') inFlight.push(state.name)
    }
    if (inFlight.length > 0) await this.unstick?.(inFlight)
  }

  /** Wakes whoever waits in nextChange, as a phase change would. */
  private wake(): void {
    this.version += 1
    const changed = this.changed
    this.changed = deferred()
    changed.resolve()
  }

  private enter(actor: ActorName, phase: Phase): void {
    const state = this.state(actor)
    state.phase = phase
    state.since = performance.now()
    state.inProcess = false
    if (phase !== 'step') state.serverBlocked = false
    state.sent = false
    this.wake()
  }

  /** Resolves true when some actor has changed phase since `seen`, false when `ms` passed first. */
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
      .map((s) => (s.phase === 'step' && s.request ? `${s.name}'s ${s.request.step}` : `${s.name} (between steps)`))
      .join(', ')
    return new StepTimeoutError(
      `${what} did not finish within ${this.stepTimeoutMs} ms and is not waiting on a lock that cachesim can see; is a server overloaded?`,
    )
  }
}

function pendingOf(request: StepRequest): PendingStep {
  return {actor: request.actor, step: request.step, sends: request.sends, reading: request.operation === 'read'}
}

function stepOfPending(p: PendingStep): StepOf {
  return p.reading ? {actor: p.actor, step: p.step, reading: true} : {actor: p.actor, step: p.step}
}

/** Every actor that had not finished was blocked: the order cannot go on. */
export class StuckError extends CachesimError {
  constructor(readonly blocked: BlockedActor[]) {
    super(`no actor can go on: ${blocked.map((b) => `${b.actor} ${b.step} ${b.reason}`).join('; ')}`)
  }
}
