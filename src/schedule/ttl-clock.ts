import type {ActorName} from '../history/types.js'
import type {KeyTtls} from '../strategies/types.js'
import {VirtualTimers} from './virtual-timers.js'

/**
 * The real TTL of a key cachesim sets while steps go one at a time: far longer than any run
 * (even one stepped through by hand with --step), so that only the clock below expires it.
 */
export const STEPPED_TTL_MS = 3_600_000

/** A key set with a time to live, and when that time runs out on the run's clock. */
export interface TimedKey {
  key: string
  /** What the key was set to: it expires only while it still holds this. */
  value: string
  deadlineMs: number
}

/**
 * The run's clock for time to live. Under real time (delays) a TTL is sent as it is and runs
 * out on the server's clock. One step at a time only the order counts, and a lock or lease that
 * ran out in real time between two ordinary steps (because the machine was slow) would make the
 * same order go two ways. So there a key gets a TTL far longer than the run, its deadline is kept
 * here in virtual time, and time passes only where the scenario says: a `pause` of N ms expires
 * every key whose deadline falls within those N ms. An app's timers run on the same clock
 * (virtual-timers.ts): they fire where time passes, in the order of their deadlines.
 */
export class TtlClock implements KeyTtls {
  private nowMs = 0
  private readonly timed = new Map<string, TimedKey>()
  /** The timers an app's actors set, when the clock is virtual (app/timers.ts puts them here). */
  readonly timers = new VirtualTimers(() => this.nowMs)

  /** `virtual`: steps go one at a time (script, explore, random). */
  constructor(readonly virtual: boolean) {}

  px(ms: number): number {
    return this.virtual ? Math.max(ms, STEPPED_TTL_MS) : ms
  }

  started(key: string, value: string, ms: number): void {
    // A later SET with a TTL restarts the key's time, as Redis does.
    if (this.virtual) this.timed.set(key, {key, value, deadlineMs: this.nowMs + ms})
  }

  /**
   * `ms` pass: the keys whose time ran out, which the caller deletes where they still hold the
   * value they were set to (one overwritten or deleted since is not the key that was timed).
   */
  pass(ms: number): TimedKey[] {
    this.nowMs += ms
    const due = [...this.timed.values()].filter((k) => k.deadlineMs <= this.nowMs)
    for (const k of due) this.timed.delete(k.key)
    return due
  }

  /**
   * Nothing can go but a timer: the clock moves on to the first timer's deadline (if it is
   * later than now), as a pause would. Returns the keys whose time ran out on the way.
   */
  untilNextTimer(owner?: ActorName): TimedKey[] {
    const next = this.timers.next(owner)
    return next ? this.pass(Math.max(0, next.deadlineMs - this.nowMs)) : []
  }

  /** The keys still timed, with the time they have left: their real TTL once the run is over. */
  left(): {key: string; value: string; ms: number}[] {
    return [...this.timed.values()].map((k) => ({key: k.key, value: k.value, ms: Math.max(1, k.deadlineMs - this.nowMs)}))
  }
}
