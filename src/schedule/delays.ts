import type {ActorName} from '../history/types.js'
import type {InjectedDelay} from '../scenario/delays.js'
import {abortReason, delay} from '../util/delay.js'
import {type ActorTask, type BlockedActor, orderToken, type Schedule, type ScheduleOutcome, type StepRequest} from './types.js'

/** How often a blocked step looks again under real time (a lock held by another actor). */
const POLL_MS = 2

/**
 * Real time: every actor starts at its `startAfterMs` and runs as fast as the servers let it,
 * except where a delay is injected. This is how the seed articles' races are told.
 */
export class DelaySchedule implements Schedule {
  readonly kind = 'delays'
  private readonly order: string[] = []
  private injectedMs = 0
  private readonly fired = new Set<InjectedDelay>()
  /** When each actor last started or ended a step, and whether one is in flight. */
  private readonly activity = new Map<ActorName, {at: number; inStep: boolean}>()

  /**
   * `inProcessWaitMs`: for an app, an actor that neither takes a step nor finishes for this long
   * (4× under real time, where an app's own timers run) is reported as waiting in-process and
   * left behind, rather than waited for without end.
   */
  constructor(
    private readonly delays: readonly InjectedDelay[],
    private readonly inProcessWaitMs?: number,
  ) {}

  async run(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome> {
    const finished = new Set<ActorName>()
    const bodies = Promise.all(
      actors.map(async (actor) => {
        this.activity.set(actor.name, {at: performance.now() + actor.startAfterMs, inStep: false})
        if (actor.startAfterMs > 0) await delay(actor.startAfterMs, signal)
        await actor.body().finally(() => finished.add(actor.name))
      }),
    )
    const stuck = this.inProcessWaitMs === undefined ? null : await this.waitOrGiveUp(bodies, actors, finished, this.inProcessWaitMs * 4, signal)
    if (!stuck) await bodies
    return {
      order: [...this.order],
      decisions: [],
      released: [],
      stuck,
      injectedMs: this.injectedMs,
      unfiredDelays: this.delays.filter((d) => !this.fired.has(d)),
    }
  }

  async beforeStep(request: StepRequest, signal: AbortSignal): Promise<void> {
    this.activity.set(request.actor, {at: performance.now(), inStep: true})
    await this.pause('before', request, signal)
    this.order.push(orderToken(request.actor, request.step))
  }

  async afterStep(request: StepRequest, signal: AbortSignal): Promise<void> {
    await this.pause('after', request, signal)
    this.activity.set(request.actor, {at: performance.now(), inStep: false})
  }

  /** Resolves null when every body ended; else the actors idle past `limitMs` once all others have ended. */
  private async waitOrGiveUp(
    bodies: Promise<unknown>,
    actors: readonly ActorTask[],
    finished: ReadonlySet<ActorName>,
    limitMs: number,
    signal: AbortSignal,
  ): Promise<BlockedActor[] | null> {
    let timer: NodeJS.Timeout | undefined
    const ended = bodies.then(
      () => null,
      () => null,
    )
    for (;;) {
      const checked = new Promise<'look'>((resolve) => (timer = setTimeout(() => resolve('look'), Math.min(limitMs, 100))))
      const first = await Promise.race([ended, checked])
      clearTimeout(timer)
      if (first === null) return null
      // Ctrl-C: an actor waiting in-process for good must not hold the way out.
      if (signal.aborted) throw abortReason(signal)
      const now = performance.now()
      const open = actors.filter((a) => !finished.has(a.name))
      const idle = open.filter((a) => {
        const seen = this.activity.get(a.name)
        return seen !== undefined && !seen.inStep && now - seen.at > limitMs
      })
      if (open.length > 0 && idle.length === open.length) {
        return idle.map((a) => ({actor: a.name, step: 'after its last step', reason: `waits in-process: it neither sent a call nor finished within ${limitMs} ms`}))
      }
    }
  }

  async waitBlocked(_request: StepRequest, _reason: string, signal: AbortSignal): Promise<void> {
    await delay(POLL_MS, signal)
  }

  private async pause(when: 'before' | 'after', request: StepRequest, signal: AbortSignal): Promise<void> {
    const matching = this.delays.filter(
      (d) =>
        d.when === when &&
        d.actor === request.actor &&
        d.step === request.step &&
        (d.occurrence === undefined || d.occurrence === request.occurrence),
    )
    for (const d of matching) this.fired.add(d)
    const ms = matching.reduce((sum, d) => sum + d.ms, 0)
    if (ms <= 0) return
    this.injectedMs += ms
    await delay(ms, signal)
  }
}
