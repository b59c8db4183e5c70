import {CachesimError} from '../errors/cachesim-error.js'
import type {ActorName, StepName} from '../history/types.js'
import type {Fault} from '../scenario/faults.js'

/** The error a `fail` fault makes the store call throw. */
export class InjectedFailure extends CachesimError {
  constructor(step: StepName) {
    super(`injected fault: ${step} failed`)
  }
}

/** Thrown after a step with a `crash` fault: the actor does nothing more. */
export class ActorCrashedError extends CachesimError {
  constructor(
    readonly actor: ActorName,
    readonly step: StepName,
  ) {
    super(`${actor} crashed right after ${step} (injected fault)`)
  }
}

/** The fault for this step of this actor, if any. */
export function faultAt(faults: readonly Fault[], actor: ActorName, step: StepName, occurrence: number): Fault | undefined {
  return faults.find((f) => f.actor === actor && f.step === step && (f.occurrence ?? 1) === occurrence)
}
