import type {ActorName, StepRecord, Value} from '../history/types.js'
import type {ScheduleTimers, ServerWaitProbe} from '../schedule/stepped.js'
import type {StorePair} from '../stores/pair.js'

/** What a stepped schedule needs from the run: a way to ask MySQL about lock waits, and to end stuck calls. */
export interface ScheduleHooks {
  probe: ServerWaitProbe
  unstick: (actors: readonly ActorName[]) => Promise<void>
  /** Reads both stores' current values (for `--step`, which shows them before each step). */
  peek: () => Promise<{db: Value; cache: Value}>
  /** The step that ended last (for `--step`, which says what it returned). */
  lastStep?: () => StepRecord | null
  /** For an app: how long an actor may be between steps before it counts as waiting in-process. */
  inProcessWaitMs?: number
  /** For an app under a stepped schedule: its timers on the run's virtual clock. */
  timers?: ScheduleTimers
}

/**
 * When a step has run this long for no reason cachesim knows of, InnoDB's own lock-wait table is
 * read. Not sooner: InnoDB refreshes that table only when it has not been read for 100 ms.
 */
const ASK_SERVER_AFTER_MS = 250

export function scheduleHooks(
  stores: ReadonlyMap<ActorName, StorePair>,
  observer: StorePair,
  peek: ScheduleHooks['peek'],
  options: {
    holdsLocks?: (actor: ActorName) => boolean
    threadsOf?: (actor: ActorName) => number[]
    inProcessWaitMs?: number
    lastStep?: () => StepRecord | null
  } = {},
): ScheduleHooks {
  const threadOf = new Map([...stores].map(([name, pair]) => [name, pair.mysql.threadId]))
  // An app may send statements on connections of its own (a pool): those count as the actor's too.
  const threadsOf = (actor: ActorName) => [...new Set([threadOf.get(actor)!, ...(options.threadsOf?.(actor) ?? [])])]
  const others = (actor: ActorName) => [...stores].filter(([name]) => name !== actor).map(([, pair]) => pair)
  return {
    probe: {
      // An app's transactions are tracked by its lanes (options.holdsLocks), the strategies' by the stores.
      mayWait: (actor) =>
        [...stores.keys()].some((other) => other !== actor && options.holdsLocks?.(other)) || others(actor).some((pair) => pair.mysql.holdsRowLocks),
      async waiting(actors, runningMs) {
        // Known without asking: an UPDATE of a row that another actor's open transaction wrote
        // waits for that transaction (InnoDB row locks).
        const known = actors.filter((actor) => {
          const row = stores.get(actor)!.mysql.needsRowLock
          return row !== null && others(actor).some((pair) => pair.mysql.holdsRowLock(row))
        })
        if (known.length === actors.length || runningMs < ASK_SERVER_AFTER_MS) return new Set(known)
        // A step that runs long for no known reason: ask InnoDB itself.
        const waiting = await observer.mysql.lockWaiting(actors.flatMap(threadsOf))
        return new Set([...known, ...actors.filter((a) => threadsOf(a).some((t) => waiting.has(t)))])
      },
    },
    async unstick(actors) {
      await Promise.all(actors.flatMap(threadsOf).map((thread) => observer.mysql.killQuery(thread)))
    },
    peek,
    ...(options.inProcessWaitMs === undefined ? {} : {inProcessWaitMs: options.inProcessWaitMs}),
    ...(options.lastStep === undefined ? {} : {lastStep: options.lastStep}),
  }
}
