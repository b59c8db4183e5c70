import type {Scenario} from '../scenario/types.js'
import {strategyOf} from '../app/strategy-of.js'
import type {StoreTargets} from '../stores/targets.js'
import {Workbench} from './workbench.js'

/** The stores a command may use: the ones it was given, and ones with a ROW binlog for the strategies that need it. */
export interface StoreSet {
  plain: StoreTargets
  /** Stores whose MySQL keeps a ROW binlog; found on first use (this may start private servers). */
  withBinlog(): Promise<StoreTargets>
  /** Stores whose MySQL has a replica (only cachesim's own servers do); started on first use. */
  withReplica(): Promise<StoreTargets>
}

export type StoreSource = StoreTargets | StoreSet

export function needsBinlog(scenario: Scenario): boolean {
  return strategyOf(scenario).needsBinlog === true
}

export function needsReplica(scenario: Scenario): boolean {
  return scenario.replica !== undefined
}

/**
 * The workbenches of one command: one on the given stores, and, only if a scenario needs the
 * binlog, one on stores that keep it. Each is opened on first use and closed together.
 */
export class Workbenches {
  private plain: Promise<Workbench> | null = null
  private binlog: Promise<Workbench> | null = null
  private replica: Promise<Workbench> | null = null
  private readonly opened: Workbench[] = []

  constructor(
    private readonly source: StoreSource,
    private readonly onOpen?: (bench: Workbench) => void,
  ) {}

  for(scenario: Scenario): Promise<Workbench> {
    const set = 'plain' in this.source ? this.source : null
    // A replica comes with cachesim's own servers, which keep a binlog too.
    if (set && needsReplica(scenario)) return (this.replica ??= this.open(() => set.withReplica()))
    if (set && needsBinlog(scenario)) return (this.binlog ??= this.open(() => set.withBinlog()))
    return (this.plain ??= this.open(async () => plainOf(this.source)))
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.opened.map((bench) => bench.close()))
  }

  destroy(): void {
    for (const bench of this.opened) bench.destroy()
  }

  /** Closes everything: politely, unless the command was interrupted. */
  async finish(signal: AbortSignal): Promise<void> {
    if (signal.aborted) this.destroy()
    else await this.close()
  }

  private async open(options: () => Promise<StoreTargets>): Promise<Workbench> {
    const bench = await Workbench.open(await options())
    this.opened.push(bench)
    this.onOpen?.(bench)
    return bench
  }
}

function plainOf(source: StoreSource): StoreTargets {
  return 'plain' in source ? source.plain : source
}
