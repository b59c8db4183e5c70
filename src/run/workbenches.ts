import type {Scenario} from '../scenario/types.js'
import {storeNeedOf} from '../scenario/store-need.js'
import type {StoreNeed, StoreTargets, TargetsFor} from '../stores/targets.js'
import {Workbench} from './workbench.js'

export interface WorkbenchesOptions {
  /** Aborted on Ctrl-C: the workbenches are then dropped at once instead of closed politely. */
  signal: AbortSignal
  /** Called as each workbench opens, e.g. to drop its connections as soon as Ctrl-C comes. */
  onOpen?: (bench: Workbench) => void
}

/**
 * Runs `work` on the workbenches of these stores, each opened when a scenario first needs it,
 * and closes them however `work` ends: politely, or at once when `signal` was aborted.
 */
export async function withWorkbenches<T>(targetsFor: TargetsFor, options: WorkbenchesOptions, work: (benches: Workbenches) => Promise<T>): Promise<T> {
  const benches = new Workbenches(targetsFor, options.onOpen)
  try {
    return await work(benches)
  } finally {
    await benches.finish(options.signal)
  }
}

/**
 * The workbenches of one command, one per store need (see StoreNeed): the scenarios that need
 * nothing more share one on the given stores, those that need a binlog or a replica one on
 * stores that have it. Each is opened on first use.
 */
export class Workbenches {
  private readonly benches = new Map<StoreNeed, Promise<Workbench>>()
  private readonly opened: Workbench[] = []

  constructor(
    private readonly targetsFor: TargetsFor,
    private readonly onOpen?: (bench: Workbench) => void,
  ) {}

  /** The workbench this scenario runs on. */
  for(scenario: Scenario): Promise<Workbench> {
    return this.on(storeNeedOf(scenario))
  }

  /** The workbench on stores that meet `need`. */
  on(need: StoreNeed): Promise<Workbench> {
    let bench = this.benches.get(need)
    if (!bench) {
      bench = this.open(this.targetsFor(need))
      this.benches.set(need, bench)
    }
    return bench
  }

  /**
   * The scenarios these stores can run. Finding the stores a need asks for may start private
   * servers, or fail (no binlog, no replica to be had): the scenarios of a need that failed are
   * left out (`onLeftOut` says which, and why) while others remain; when none would, the reason is
   * the error.
   */
  async runnable(scenarios: readonly Scenario[], onLeftOut: (left: readonly Scenario[], reason: string) => void, signal?: AbortSignal): Promise<Scenario[]> {
    let kept = [...scenarios]
    // The replica first: a primary started for it keeps a binlog, which binlog scenarios reuse.
    for (const need of ['replica', 'binlog'] as const) {
      const wanting = kept.filter((s) => storeNeedOf(s) === need)
      if (wanting.length === 0) continue
      try {
        await this.targetsFor(need)
      } catch (error) {
        // Interrupted while the servers started: that is no reason to leave anything out.
        if (wanting.length === kept.length || signal?.aborted) throw error
        onLeftOut(wanting, error instanceof Error ? error.message : String(error))
        kept = kept.filter((s) => storeNeedOf(s) !== need)
      }
    }
    return kept
  }

  /** Closes every connection politely. */
  async close(): Promise<void> {
    await Promise.allSettled(this.opened.map((bench) => bench.close()))
  }

  /** Closes everything: politely, unless the command was interrupted (then at once). */
  async finish(signal: AbortSignal): Promise<void> {
    if (signal.aborted) for (const bench of this.opened) bench.destroy()
    else await this.close()
  }

  private async open(targets: Promise<StoreTargets>): Promise<Workbench> {
    const bench = await Workbench.open(await targets)
    this.opened.push(bench)
    this.onOpen?.(bench)
    return bench
  }
}
