import {Flags} from '@oclif/core'

import {CachesimCommand} from '../../cli/base-command.js'
import {storeFlags, storeOptions} from '../../cli/store-flags.js'
import type {StaleWindowRow} from '../../bench/stale-window.js'

export default class BenchStaleWindow extends CachesimCommand {
  static override summary = 'How long after a commit readers still get the old value, per strategy (real time).'
  static override description = `Runs each strategy's warm-read race (writer A writes once while reader B reads back to back) in real time, --runs times, and reports how long after MySQL committed the new value a read still returned the old one: the stale-read window. Figures, not a pass/fail test.`
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --runs 50 --json']
  static override enableJsonFlag = true
  static override flags = {
    runs: Flags.integer({summary: 'Runs per strategy.', default: 10, min: 1, max: 10_000}),
    reads: Flags.integer({summary: 'Reads the reader makes back to back in each run (1,500 last about 150 ms here).', default: 1500, min: 1, max: 100_000}),
    ...storeFlags,
  }

  async run(): Promise<{strategies: StaleWindowRow[]}> {
    const {flags} = await this.parse(BenchStaleWindow)
    storeOptions(flags) // bad URLs are bad input, said before anything starts
    const {measureStaleWindows, warmReadCells} = await import('../../bench/stale-window.js')
    const cells = await warmReadCells()
    const rows = await this.withWorkbenches(flags, async (benches) =>
      measureStaleWindows(await this.runnable(cells, benches), {
        benches,
        signal: this.interrupt.signal,
        runs: flags.runs,
        reads: flags.reads,
      }),
    )
    if (!this.jsonEnabled()) {
      const {compactTable} = await import('../../report/table-style.js')
      const table = compactTable(['strategy', 'runs', 'with stale reads', 'left divergent', 'longest window', 'median window'], {alignRightFrom: 1})
      for (const r of rows) {
        table.push([r.strategy, String(r.runs), String(r.runsWithStaleReads), String(r.runsDivergent), `${r.maxMs.toFixed(2)} ms`, `${r.medianMs.toFixed(2)} ms`])
      }
      this.log(table.toString())
      this.log('window: how long after MySQL acknowledged the commit a read began that still got the old value (runs that did not diverge; in a divergent run the window lasts until the key is deleted or expires).')
    }
    return {strategies: rows}
  }
}
