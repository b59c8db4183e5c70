import {BadInputError} from '../errors/bad-input-error.js'
import type {ActorName, StepName} from '../history/types.js'
import {occurrenceNumber, STEP_NAME} from '../history/step-name.js'

/**
 * Something injected at one actor's named step:
 * - fail: the store call errors (it never reaches the server); the strategy sees the error;
 * - crash: the actor stops for good right after the step (e.g. between commit and cache delete);
 * - pause: the actor stalls `ms` when its turn comes, before the call goes out (a GC pause);
 * - latency: the call reaches the server as usual but its answer comes back `ms` later.
 */
export type FaultKind = 'fail' | 'crash' | 'pause' | 'latency'

export interface Fault {
  actor: ActorName
  step: StepName
  kind: FaultKind
  /** For pause and latency. */
  ms?: number
  /** Only the nth time the actor takes this step (from 1); the first time when absent. */
  occurrence?: number
}

const FORM = new RegExp(`^([A-Za-z][A-Za-z0-9_]*):(${STEP_NAME})(?:#(\\d+))?=(fail|crash|pause|latency)(?:=(\\d+(?:\\.\\d+)?)(ms|s)?)?$`)

/** Parses `A:cache.set=fail`, `A:db.update=crash`, `B:cache.set=pause=300ms`, `A:db.update#2=latency=50`. */
export function parseFault(text: string): Fault {
  const match = FORM.exec(text.trim())
  if (!match) {
    throw new BadInputError(
      `--fault "${text}" is not ACTOR:STEP=KIND with KIND fail, crash, pause=MS or latency=MS, e.g. A:cache.set=fail or B:cache.set=pause=300ms`,
    )
  }
  const [, actor, step, occurrence, kind, amount, unit] = match
  const fault: Fault = {actor: actor!, step: step!, kind: kind as FaultKind}
  const timed = kind === 'pause' || kind === 'latency'
  if (timed !== (amount !== undefined)) {
    throw new BadInputError(`--fault "${text}": ${timed ? `${kind} needs a duration, e.g. ${kind}=300ms` : `${kind} takes no duration`}`)
  }
  if (amount !== undefined) fault.ms = Number(amount) * (unit === 's' ? 1000 : 1)
  // The bound a scenario file's ms: and --delay have: a run is not left stalled for hours.
  if (fault.ms !== undefined && fault.ms > 600_000) throw new BadInputError(`--fault "${text}": at most 600 s`)
  if (occurrence !== undefined) fault.occurrence = occurrenceNumber(`--fault "${text}"`, occurrence)
  return fault
}

export function formatFault(fault: Fault): string {
  const at = `${fault.actor}:${fault.step}${fault.occurrence === undefined ? '' : `#${fault.occurrence}`}`
  return `${at}=${fault.kind}${fault.ms === undefined ? '' : `=${fault.ms}ms`}`
}
