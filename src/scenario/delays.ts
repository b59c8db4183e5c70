import type {ActorName, StepName} from '../history/types.js'

/** A pause injected at a named step of one actor. */
export interface InjectedDelay {
  actor: ActorName
  when: 'before' | 'after'
  step: StepName
  ms: number
  /** Only the nth time the actor takes this step (from 1); every time when absent. */
  occurrence?: number
}

/** `A:before:cache.set#2=60ms`, as --delay reads it. */
export function formatDelay(d: InjectedDelay): string {
  return `${d.actor}:${d.when}:${d.step}${d.occurrence === undefined ? '' : `#${d.occurrence}`}=${d.ms}ms`
}
