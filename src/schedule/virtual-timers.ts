import type {ActorName} from '../history/types.js'

/** An app's timer on the run's clock: it fires when the clock reaches its deadline, never on its own. */
export interface VirtualTimer {
  readonly id: number
  /** The actor in whose lane it was set. */
  readonly owner: ActorName
  /** Its delay as set (ms): an interval fires again this long after each firing. */
  readonly ms: number
  readonly repeat: boolean
  deadlineMs: number
  /** Order of setting: two timers with one deadline fire in the order they were set, as Node's do. */
  seq: number
  readonly fire: () => void
}

/** Where one timer's firing shows: whose, how long it was set for. */
export interface FiredTimer {
  owner: ActorName
  ms: number
}

/** Timer ids of the virtual kind start high, so that a number given to clearTimeout is told apart from a real timer's. */
const FIRST_ID = 1_000_000_000
let nextId = FIRST_ID

/**
 * The timers an app's actors set while the run's schedule is virtual (ttl-clock.ts): kept here
 * with their deadlines on the run's clock instead of on the event loop, so that whether a soft
 * timeout beats a held step depends on the order and the pauses, not on the machine's speed.
 * They fire at a `pause` step that passes their deadline, in a sleeper's own `timer` step, or
 * when nothing else can go (stepped.ts); those left when their actor's program ends, or the run,
 * are dropped without firing.
 */
export class VirtualTimers {
  private readonly pending = new Map<number, VirtualTimer>()
  /** Every timer set in this run, fired or not: refresh() brings one back. */
  private readonly known = new Map<number, VirtualTimer>()
  private seq = 0

  constructor(private readonly now: () => number) {}

  add(owner: ActorName, ms: number, repeat: boolean, fire: () => void): VirtualTimer {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
    const timer: VirtualTimer = {id: nextId++, owner, ms: delay, repeat, deadlineMs: this.now() + delay, seq: this.seq++, fire}
    this.pending.set(timer.id, timer)
    this.known.set(timer.id, timer)
    return timer
  }

  has(id: number): boolean {
    return this.pending.has(id)
  }

  clear(id: number): void {
    this.pending.delete(id)
  }

  /** Starts the timer's delay again from now (Timeout.refresh); one cleared or fired comes back. */
  refresh({id}: {id: number}): void {
    const timer = this.known.get(id)
    if (!timer) return
    timer.deadlineMs = this.now() + timer.ms
    timer.seq = this.seq++
    this.pending.set(timer.id, timer)
  }

  /** Whether an actor has a timer set that has not fired. */
  owns(actor: ActorName): boolean {
    for (const timer of this.pending.values()) if (timer.owner === actor) return true
    return false
  }

  get size(): number {
    return this.pending.size
  }

  /** The timer that fires first (of `owner`'s, when given): earliest deadline, then first set. */
  next(owner?: ActorName): VirtualTimer | undefined {
    return this.earliest(owner === undefined ? undefined : (whose) => whose === owner)
  }

  /**
   * Fires every timer whose deadline the clock has reached, in deadline order (an interval as
   * often as it falls due), one turn of the event loop apart so that what each callback sets
   * going happens before the next fires, as between Node's own timers. With `whose`, only the
   * timers of the actors it accepts (a sleeper's `timer` step leaves other sleepers' alone).
   */
  async fireDue(whose?: (owner: ActorName) => boolean): Promise<FiredTimer[]> {
    const fired: FiredTimer[] = []
    for (;;) {
      const timer = this.firstDue(whose)
      if (!timer) return fired
      if (timer.repeat) {
        timer.deadlineMs += Math.max(1, timer.ms)
        timer.seq = this.seq++
      } else this.pending.delete(timer.id)
      fired.push({owner: timer.owner, ms: timer.ms})
      timer.fire()
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /** The first timer (of an actor `whose` accepts) whose deadline the clock has reached. */
  private firstDue(whose: ((owner: ActorName) => boolean) | undefined): VirtualTimer | undefined {
    const first = this.earliest(whose)
    return first && first.deadlineMs <= this.now() ? first : undefined
  }

  /** The first to fire of the timers of the actors `accept` accepts (all, without it): earliest deadline, then first set. */
  private earliest(accept: ((owner: ActorName) => boolean) | undefined): VirtualTimer | undefined {
    let first: VirtualTimer | undefined
    for (const timer of this.pending.values()) {
      if (accept && !accept(timer.owner)) continue
      if (!first || timer.deadlineMs < first.deadlineMs || (timer.deadlineMs === first.deadlineMs && timer.seq < first.seq)) first = timer
    }
    return first
  }

  /** The actor's program has ended: its timers never fire (nothing of its would wait for them). */
  dropOwnedBy(actor: ActorName): void {
    for (const timer of [...this.pending.values()]) if (timer.owner === actor) this.pending.delete(timer.id)
  }

  /** The run is over: what has not fired never will. */
  dropAll(): void {
    this.pending.clear()
    this.known.clear()
  }
}

/** A step's note for the timers that fired in it. */
export function firedNote(fired: readonly FiredTimer[]): string {
  return fired.map((t) => `${t.owner}'s ${t.ms} ms timer fired`).join(', ')
}
