/*
 * The stepped schedule: the actors' steps go one at a time, in the order a selector picks
 * (script, explore and random are selectors; see explore.ts and script.ts).
 *
 * Every store call first stops at its actor's gate (`beforeStep`). The loop in `run`:
 *
 *   1. waits until every actor that has not finished is at its gate or blocked (the block
 *      detector, block-detector.ts, knows where each actor is and who is blocked);
 *   2. shows the selector the steps waiting at their gates, in actor-name order;
 *   3. records the choice, where there was one (a Decision: explore walks these);
 *   4. releases the chosen step, and goes back to 1.
 *
 * It ends when no step waits at a gate: every actor has finished, or those left are blocked and
 * the run is stuck. Each step is recorded as it is released: in `order`, so that the order can be
 * replayed, and in `released`, as the independence relation (history/independence.ts) sees it.
 * fast-check's SchedulerImplem is the model; the one difference is that we gate the start of a
 * call, not the resolution of its promise.
 */

import {CachesimError} from '../errors/cachesim-error.js'
import type {StepOf} from '../history/independence.js'
import {TIMER_STEP} from '../history/step-name.js'
import type {ActorName, StepName, StepValue} from '../history/types.js'
import {abortReason} from '../util/delay.js'
import {type Deferred, deferred} from '../util/deferred.js'
import {BlockDetector, type ServerWaitProbe} from './block-detector.js'
import type {
  ActorTask,
  BlockedActor,
  Decision,
  Schedule,
  ScheduleOutcome,
  StepRequest,
} from './types.js'
import {orderToken} from './types.js'

export {type ServerWaitProbe, StepTimeoutError} from './block-detector.js'

/** A step waiting at its gate, as a selector sees it. */
export interface PendingStep {
  actor: ActorName
  step: StepName
  /** The value a write step will send (null for reads). */
  sends: StepValue
  /** Part of the actor's read path (for the independence relation, history/independence.ts). */
  reading: boolean
  readOnly: boolean
  /** It publishes to subscribers (a batch with a PUBLISH in it). */
  publishes?: boolean
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
  /** An app's timers on the run's virtual clock (virtual-timers.ts), when it has any. */
  timers?: ScheduleTimers
}

/** What the schedule needs of the run's virtual timers: whose are set, and firing the first. */
export interface ScheduleTimers {
  /** Whether the actor has a timer set that has not fired. */
  waiting(actor: ActorName): boolean
  /** Whether any timer is set. */
  pending(): boolean
  /** Moves the run's clock to the first timer's deadline (time passes as at a pause) and fires it. */
  fireNext(): Promise<void>
  /**
   * The actor's `timer` step, recorded in the history: `more` is called until it answers false,
   * and after each true the run's clock moves to the deadline of the actor's first timer and
   * every timer due by then fires, in deadline order, but those of the actors `others` names
   * (another sleeper's timer fires in its own step).
   */
  fireFor(actor: ActorName, others: () => readonly ActorName[], more: () => Promise<boolean>): Promise<void>
}


/**
 * Timers fired when nothing else could go, in a row with no step that may have changed a store
 * in between, before the run is taken as stuck: an interval that sets nothing going, or a poller
 * waiting for a change nobody makes, would otherwise move the clock on for ever.
 */
const MAX_IDLE_FIRINGS = 1000

/**
 * Timer steps of one sleeper in one run, all told (see `wakeable`): a loop that changes a store
 * on every wake would otherwise never end. More are cut, and the run says so (`timersCut`).
 */
export const MAX_TIMER_STEPS = 20

/** Timers one `timer` step fires before its actor is taken as waiting on an interval alone. */
export const MAX_FIRINGS_PER_STEP = 1000

/** An actor held at its gate until the selector picks it. */
interface Gate {
  request: StepRequest
  release: Deferred<void>
}

/**
 * Releases one step at a time, as the top of this file tells. The waiting between two steps
 * (and its bounds) is the block detector's; the gates, the choice and the record are here.
 */
export class SteppedSchedule implements Schedule {
  readonly kind: 'script' | 'explore' | 'random'
  private readonly selector: Selector
  private readonly unstick: ((actors: readonly ActorName[]) => Promise<void>) | undefined
  private readonly beforeRelease: ((next: PendingStep, position: number) => Promise<void>) | undefined
  private readonly inProcessWaitMs: number | undefined
  private readonly detector: BlockDetector
  private readonly timers: ScheduleTimers | undefined
  /** The actors, in name order: the order selectors see them in. */
  private actors: ActorName[] = []
  private readonly gates = new Map<ActorName, Gate>()
  private readonly order: string[] = []
  private readonly released: StepOf[] = []
  private readonly decisions: Decision[] = []
  private abandoned: unknown = null
  /** Each sleeper's timer steps so far, whether a store changed since its last, and its own steps before that (see `wakeable`). */
  private readonly sleepers = new Map<ActorName, {steps: number; changedSince: boolean; before: string}>()
  /** Each actor's own steps since its last timer step (or its start), by name. */
  private readonly ownSince = new Map<ActorName, StepName[]>()
  /** Timers fired when nothing else could go since the last step that may have changed a store. */
  private idleFirings = 0
  /** Sleepers whose timer step was not offered because of MAX_TIMER_STEPS while another could go. */
  private readonly timersCut = new Set<ActorName>()
  private signal: AbortSignal | null = null

  constructor(options: SteppedOptions) {
    this.kind = options.kind
    this.selector = options.selector
    this.unstick = options.unstick
    this.beforeRelease = options.beforeRelease
    this.inProcessWaitMs = options.inProcessWaitMs
    this.timers = options.timers
    this.detector = new BlockDetector({...options, ...(options.timers ? {waitsOnTimers: (actor: ActorName) => options.timers!.waiting(actor)} : {})})
  }

  async run(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome> {
    const stopWatching = this.detector.watch(signal)
    try {
      return await this.runActors(actors, signal)
    } finally {
      stopWatching()
    }
  }

  private async runActors(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome> {
    this.actors = actors.map((actor) => actor.name).sort((a, b) => a.localeCompare(b))
    this.detector.track(this.actors)
    this.signal = signal
    const bodies = actors.map((actor) => actor.body().finally(() => this.detector.end(actor.name)))
    let stuck: BlockedActor[] | null = null
    try {
      for (;;) {
        // 1. Every actor still going is at its gate, blocked, or waiting on its timers alone.
        await this.detector.settle(signal)
        const pending = this.pending()
        const enabled = [...pending, ...this.wakeable(pending.length > 0)].sort((a, b) => this.actors.indexOf(a.actor) - this.actors.indexOf(b.actor))
        // Nothing else can go: the first timer fires (its actor, or one it frees, may go on).
        if (enabled.length === 0 && this.timers?.pending() && this.detector.finished().length < this.actors.length && this.idleFirings < MAX_IDLE_FIRINGS) {
          this.idleFirings += 1
          await this.timers.fireNext()
          continue
        }
        if (enabled.length === 0) {
          const blocked = this.detector.blocked()
          if (blocked.length > 0) stuck = blocked
          break
        }
        // 2. The selector picks one of the steps at their gates.
        const chosen = this.selector.choose(enabled, {
          position: this.order.length,
          blocked: this.detector.blocked(),
          finished: this.detector.finished(),
        })
        if (!enabled.some((p) => p.actor === chosen)) {
          throw new CachesimError(`internal: the selector chose ${chosen}, who cannot go now`)
        }
        // 3. A real choice is recorded; 4. the chosen step goes.
        if (enabled.length > 1) {
          this.decisions.push({position: this.order.length, enabled: enabled.map((p) => p.actor), steps: enabled.map(stepOfPending), chosen})
        }
        const next = enabled.find((p) => p.actor === chosen)!
        if (this.beforeRelease) await this.beforeRelease(next, this.order.length)
        if (this.gates.has(chosen)) this.release(chosen)
        else await this.wake(next)
      }
    } catch (error) {
      await this.abandon(error)
      await this.ended(bodies)
      throw error
    }
    if (stuck) await this.abandon(new StuckError(stuck))
    await this.ended(bodies)
    if (!stuck) this.selector.finish?.(this.order.length)
    return {
      order: [...this.order],
      released: [...this.released],
      decisions: [...this.decisions],
      stuck,
      injectedMs: 0,
      ...(this.timersCut.size > 0 ? {timersCut: [...this.timersCut].sort()} : {}),
    }
  }

  beforeStep(request: StepRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal))
    if (this.abandoned) return Promise.reject(this.abandoned)
    this.detector.arrive(request)
    const gate: Gate = {request, release: deferred()}
    this.gates.set(request.actor, gate)
    return gate.release.promise
  }

  async afterStep(request: StepRequest, _signal: AbortSignal, changed = true): Promise<void> {
    if (changed) {
      this.idleFirings = 0
      for (const sleeper of this.sleepers.values()) sleeper.changedSince = true
    }
    this.detector.stepEnded(request.actor)
  }

  waitBlocked(request: StepRequest, reason: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal))
    if (this.abandoned) return Promise.reject(this.abandoned)
    return this.detector.waitBlocked(request, reason)
  }

  /** The steps waiting at their gates, in actor-name order. */
  private pending(): PendingStep[] {
    return this.actors
      .filter((actor) => this.gates.has(actor))
      .map((actor) => pendingOf(this.gates.get(actor)!.request))
  }

  /**
   * Actors asleep on a timer of their own (between steps, waiting for nothing else): each one's
   * timer firing is a step it may take now, as an ordinary step would be, because a step of
   * another actor may take any time, longer than the sleep or not (the built-in `wait` is a step
   * for the same reason). So a delayed second DEL may come before or after a reader's SET, as it
   * can in production. A script (`--order`) may place every timer step where it likes.
   *
   * But a poll that wakes to the same stores finds the same, and a loop of polls would never end
   * (nor would one poll more or fewer change an outcome). So after its first, a sleeper's timer
   * is a step again only once
   *   - a step (its own or another actor's) may have changed a store since its last: a write its
   *     effect or reply does not say did nothing (actor.ts; a timer step changes nothing, nor does
   *     a lock poll that failed), or
   *   - its own steps since its last timer step were not the ones before it (by name): it is not
   *     polling but going on through its program (a second sleep after a DEL that found no key).
   * So two pollers do not wake each other for ever; a poller's timers otherwise fire when nothing
   * else can go. A sleeper gets MAX_TIMER_STEPS timer steps in a run (one whose steps change a
   * store, or go otherwise, on every wake); past that its timers fire only when nothing else can
   * go, and the run says its timer steps were cut (`timersCut`).
   */
  private wakeable(othersCanGo: boolean): PendingStep[] {
    if (!this.timers) return []
    return this.detector
      .onTimersOnly()
      .filter((actor) => {
        const sleeper = this.sleepers.get(actor)
        if (!sleeper || this.kind === 'script') return true
        if (!sleeper.changedSince && (this.ownSince.get(actor) ?? []).join(' ') === sleeper.before) return false
        if (sleeper.steps < MAX_TIMER_STEPS) return true
        if (othersCanGo) this.timersCut.add(actor)
        return false
      })
      .map((actor) => ({actor, step: TIMER_STEP, sends: null, reading: false, readOnly: false}))
  }

  /**
   * The sleeper's timer step: its timers fire in deadline order (with those of actors held at
   * their gates, or waiting in-process, due by then) until it reaches a gate, ends, or waits on
   * something else: a heartbeat interval that fires first does not end its sleep. After
   * MAX_FIRINGS_PER_STEP firings it is left asleep, and the run says its timer steps were cut.
   */
  private async wake(step: PendingStep): Promise<void> {
    const actor = step.actor
    const sleeper = this.sleepers.get(actor) ?? {steps: 0, changedSince: false, before: ''}
    sleeper.steps += 1
    sleeper.changedSince = false
    sleeper.before = (this.ownSince.get(actor) ?? []).join(' ')
    this.sleepers.set(actor, sleeper)
    this.took(step)
    this.ownSince.set(actor, [])
    const others = () => this.detector.onTimersOnly().filter((a) => a !== actor)
    let firings = 0
    await this.timers!.fireFor(actor, others, async () => {
      if (firings > 0) {
        await this.detector.settle(this.signal!)
        if (!this.detector.onTimersOnly().includes(actor)) return false
        if (firings >= MAX_FIRINGS_PER_STEP) {
          this.timersCut.add(actor)
          return false
        }
      }
      firings += 1
      this.detector.woken(actor)
      return true
    })
  }

  private release(actor: ActorName): void {
    const gate = this.gates.get(actor)
    if (!gate) throw new CachesimError(`internal: ${actor} is not waiting at a gate`)
    this.gates.delete(actor)
    this.took(pendingOf(gate.request))
    this.detector.release(actor)
    gate.release.resolve()
  }

  /** Records a step as it goes: in the order, and as the independence relation sees it. */
  private took(step: PendingStep): void {
    this.order.push(orderToken(step.actor, step.step))
    this.released.push(stepOfPending(step))
    if (!this.timers || step.step === TIMER_STEP) return
    const own = this.ownSince.get(step.actor)
    if (own) own.push(step.step)
    else this.ownSince.set(step.actor, [step.step])
  }

  /**
   * Ends every held actor: gates and blocked waits reject, so the bodies unwind; store calls
   * still in flight are ended by `unstick`.
   */
  private async abandon(reason: unknown): Promise<void> {
    this.abandoned = reason
    for (const actor of this.actors) this.gates.get(actor)?.release.reject(reason)
    this.gates.clear()
    const inFlight = this.detector.abandon(reason)
    if (inFlight.length > 0) await this.unstick?.(inFlight)
  }

  /**
   * Waits for the actors' programs to end. One waiting in-process may never end (its promise is
   * never resolved): after the in-process bound it is left behind, and any call it makes later
   * is refused at its gate.
   */
  private async ended(bodies: Promise<unknown>[]): Promise<void> {
    const settled = Promise.allSettled(bodies)
    if (!this.detector.leftBehind()) {
      await settled
      return
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, this.inProcessWaitMs)))])
    clearTimeout(timer)
  }
}

function pendingOf(request: StepRequest): PendingStep {
  return {
    actor: request.actor,
    step: request.step,
    sends: request.sends,
    reading: request.operation === 'read',
    readOnly: request.readOnly === true,
    ...(request.publishes ? {publishes: true} : {}),
  }
}

function stepOfPending(p: PendingStep): StepOf {
  return {
    actor: p.actor,
    step: p.step,
    ...(p.reading ? {reading: true} : {}),
    ...(p.readOnly ? {readOnly: true} : {}),
    ...(p.publishes ? {publishes: true} : {}),
    ...(p.step === 'cache.set' ? {sent: p.sends} : {}),
  }
}

/** Every actor that had not finished was blocked: the order cannot go on. */
export class StuckError extends CachesimError {
  constructor(readonly blocked: BlockedActor[]) {
    super(`no actor can go on: ${blocked.map((b) => `${b.actor} ${b.step} ${b.reason}`).join('; ')}`)
  }
}
