import {loadMatrixScenarios} from '../scenario/load.js'
import type {Scenario} from '../scenario/types.js'
import {DelaySchedule} from '../schedule/delays.js'
import {runScenario} from '../run/run-scenario.js'
import type {Workbenches} from '../run/workbenches.js'

export interface StaleWindowRow {
  strategy: string
  runs: number
  /** Runs in which some read returned an older committed value. */
  runsWithStaleReads: number
  /** Runs that ended divergent: there the window has no end until the key is deleted or expires. */
  runsDivergent: number
  /** The longest any read was behind MySQL's last commit (ms), over the runs that did not diverge. */
  maxMs: number
  /** The median over those runs of each run's longest (ms). */
  medianMs: number
}

export interface StaleWindowOptions {
  benches: Workbenches
  signal: AbortSignal
  runs: number
  /** Reads the reader makes back to back, while the write goes on. */
  reads: number
}

/**
 * The stale-read window per strategy, in real time: each strategy's warm-read race (from the
 * matrix), with its reader reading back to back while the writer writes once; the window is how
 * long after MySQL's commit a reader still got the old value.
 */
export async function measureStaleWindows(cells: readonly Scenario[], options: StaleWindowOptions): Promise<StaleWindowRow[]> {
  const rows: StaleWindowRow[] = []
  for (const cell of cells) {
    const scenario = withPollingReader(cell, options.reads)
    const bench = await options.benches.for(scenario)
    const windows: number[] = []
    let runsWithStaleReads = 0
    let runsDivergent = 0
    for (let i = 0; i < options.runs; i++) {
      const result = await runScenario(scenario, bench, {schedule: () => new DelaySchedule(scenario.delays), signal: options.signal})
      const behind = result.reads.filter((r) => r.anomaly === 'stale').map((r) => r.behindMs)
      if (behind.length > 0) runsWithStaleReads += 1
      if (result.divergent) runsDivergent += 1
      // A divergent run's window lasts as long as the run did: it says nothing of the window.
      else windows.push(Math.max(0, ...behind))
    }
    windows.sort((a, b) => a - b)
    rows.push({
      strategy: scenario.strategy,
      runs: options.runs,
      runsWithStaleReads,
      runsDivergent,
      maxMs: windows.at(-1) ?? 0,
      medianMs: windows[Math.floor(windows.length / 2)] ?? 0,
    })
  }
  return rows
}

/** The warm-read race with its reader B reading `reads` times in a row, starting with the write. */
function withPollingReader(scenario: Scenario, reads: number): Scenario {
  return {
    ...scenario,
    name: `${scenario.name}.polling`,
    actors: scenario.actors.map((actor) => (actor.name === 'B' ? {...actor, ops: Array.from({length: reads}, () => ({kind: 'read' as const}))} : actor)),
    delays: [],
    faults: [],
  }
}

/** The race the window is measured on: each strategy's warm-read cell of the matrix. */
export async function warmReadCells(): Promise<Scenario[]> {
  return (await loadMatrixScenarios()).filter((s) => s.race === 'warm-read')
}
