import type {StepOf} from '../history/independence.js'
import type {ActorName, OperationRecord, StepName, StepValue} from '../history/types.js'
import type {InjectedDelay} from '../scenario/delays.js'

/** An actor asking to send one step to its store. `occurrence` counts from 1 per actor and step name. */
export interface StepRequest {
  actor: ActorName
  step: StepName
  occurrence: number
  /** The value a write step is about to send, for those who watch. */
  sends: StepValue
  /** The operation the step is part of (a read or write path), when the actor runs one. */
  operation?: OperationRecord['op']
  /** The step only reads (history/independence.ts says what that allows). */
  readOnly?: boolean
  /** The step publishes to subscribers (history/independence.ts). */
  publishes?: boolean
}

/** One actor's whole program, as the schedule starts it. */
export interface ActorTask {
  name: ActorName
  /** When to start, in ms after the run starts: honoured by real-time schedules only. */
  startAfterMs: number
  body: () => Promise<void>
}

/** A point where more than one actor could go next, and the one that went. */
export interface Decision {
  position: number
  enabled: ActorName[]
  /** The step each enabled actor waited to send, in the order of `enabled`. */
  steps: StepOf[]
  chosen: ActorName
}

/** An actor that could not go on when the run ended, and what it waited for. */
export interface BlockedActor {
  actor: ActorName
  step: StepName
  reason: string
}

export interface ScheduleOutcome {
  /** Every step in the order it was released to the servers, as `actor:step` tokens. */
  order: string[]
  /** The same steps, as the independence relation sees them (stepped schedules; empty under delays). */
  released: StepOf[]
  /** The choice points on the way (stepped schedules only). */
  decisions: Decision[]
  /** Set when the run could not finish because every remaining actor was blocked. */
  stuck: BlockedActor[] | null
  /** Time spent in injected delays, summed over actors. */
  injectedMs: number
  /** Sleepers whose timer steps were cut at MAX_TIMER_STEPS (stepped.ts): orders of theirs were not explored. */
  timersCut?: ActorName[]
  /** Injected delays whose step never came (real-time schedules only). */
  unfiredDelays?: InjectedDelay[]
}

/**
 * Decides when each step may go. Real-time schedules sleep at named steps; stepped schedules
 * release one step at a time in a chosen order. The step seam calls the three hooks; `run`
 * starts the actors and returns when all have finished.
 */
export interface Schedule {
  readonly kind: 'delays' | 'script' | 'explore' | 'random'
  run(actors: readonly ActorTask[], signal: AbortSignal): Promise<ScheduleOutcome>
  /** Resolves when the step may start: the gate sits before the store call is sent. */
  beforeStep(request: StepRequest, signal: AbortSignal): Promise<void>
  /**
   * The step's store call has ended (ok or not). `changed`: it may have changed a store (false
   * when it only read, failed, or its reply says it did nothing; stepped.ts wakes sleepers on it).
   */
  afterStep(request: StepRequest, signal: AbortSignal, changed?: boolean): Promise<void>
  /** The step found what it needs held by another actor; resolves when it should try again. */
  waitBlocked(request: StepRequest, reason: string, signal: AbortSignal): Promise<void>
}

export function orderToken(actor: ActorName, step: StepName): string {
  return `${actor}:${step}`
}
