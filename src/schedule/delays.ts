import type {InjectedDelay} from '../scenario/delays.js'
import {delay} from '../util/delay.js'
import {type ActorTask, orderToken, type Schedule, type ScheduleOutcome, type StepRequest} from './types.js'

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

  constructor(private readonly delays: readonly InjectedDelay[]) {}

  async run(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome> {
    await Promise.all(
      actors.map(async (actor) => {
        if (actor.startAfterMs > 0) await delay(actor.startAfterMs, signal)
        await actor.body()
      }),
    )
    return {
      order: [...this.order],
      decisions: [],
      stuck: null,
      injectedMs: this.injectedMs,
      unfiredDelays: this.delays.filter((d) => !this.fired.has(d)),
    }
  }

  async beforeStep(request: StepRequest, signal: AbortSignal): Promise<void> {
    await this.pause('before', request, signal)
    this.order.push(orderToken(request.actor, request.step))
  }

  async afterStep(request: StepRequest, signal: AbortSignal): Promise<void> {
    await this.pause('after', request, signal)
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
