import type {ActorTask, Schedule, StepRequest} from '../../src/schedule/types.js'

/** What a fake step may do while it runs: wait, as a step that found a lock taken does. */
export interface FakeStepContext {
  waitBlocked(reason: string): Promise<void>
}

/** A step of a fake actor: a name, and what it does in memory instead of a store call. */
export type FakeStep = string | {name: string; run: (context: FakeStepContext) => Promise<void> | void}

export interface FakeActor {
  name: string
  steps: readonly FakeStep[]
  startAfterMs?: number
}

/**
 * Actors with no store behind them: each goes through the schedule's gate before every step and
 * reports its end after it, as the step seam (schedule/actor.ts) does. `log` gets `A:step` when a
 * step runs, so a test can see the order the "servers" saw.
 */
export function fakeActors(schedule: Schedule, actors: readonly FakeActor[], signal: AbortSignal, log: string[] = []): ActorTask[] {
  return actors.map((actor) => ({
    name: actor.name,
    startAfterMs: actor.startAfterMs ?? 0,
    body: async () => {
      const occurrences = new Map<string, number>()
      for (const step of actor.steps) {
        const name = typeof step === 'string' ? step : step.name
        const occurrence = (occurrences.get(name) ?? 0) + 1
        occurrences.set(name, occurrence)
        const request: StepRequest = {actor: actor.name, step: name, occurrence, sends: null}
        await schedule.beforeStep(request, signal)
        log.push(`${actor.name}:${name}`)
        if (typeof step !== 'string') await step.run({waitBlocked: (reason) => schedule.waitBlocked(request, reason, signal)})
        await schedule.afterStep(request, signal)
      }
    },
  }))
}

/** An in-memory lock for fake actors: taking it while another holds it waits, as lock.acquire does. */
export class FakeLock {
  holder: string | null = null

  constructor(readonly name = 'lock') {}

  acquire(actor: string): FakeStep {
    return {
      name: `${this.name}.acquire`,
      run: async ({waitBlocked}) => {
        while (this.holder !== null && this.holder !== actor) await waitBlocked(`waits for ${this.name}, held by ${this.holder}`)
        this.holder = actor
      },
    }
  }

  release(actor: string): FakeStep {
    return {
      name: `${this.name}.release`,
      run: () => {
        if (this.holder === actor) this.holder = null
      },
    }
  }
}
