import {Flags} from '@oclif/core'

import {CachesimCommand} from '../../cli/base-command.js'
import {OrdersProgress} from '../../cli/orders-progress.js'
import {createProgress} from '../../cli/progress.js'
import {storeFlags} from '../../cli/store-flags.js'
import type {AppBenchResult} from '../../bench/app-bench.js'
import type {ExploreBenchResult} from '../../bench/explore-bench.js'

export default class BenchExplore extends CachesimCommand {
  static override summary = 'How fast explore goes: orders/s, against the raw round-trip floor of the same servers.'
  static override description = `Explores every built-in scenario sequentially and with --parallel, and times the same store operations sent as plain mysql2/ioredis calls (the floor: reset, steps, final reads) in the same process on the same servers. Prints orders/s, the ratio to the floor, the parallel speedup (with a check that every order got the same verdict), and the time each step spends in cachesim outside its store call. Figures, not a pass/fail test: the machine may be shared and noisy, so each pass is repeated and the best counts. Scenarios that wait on a replication stream (binlog, replica) or on the clock (pause, latency faults) are left out.`
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --parallel 8 --repeat 5 --json', '<%= config.bin %> <%= command.id %> --app examples/update-then-delete/app.ts --repeat 5']
  static override enableJsonFlag = true
  static override flags = {
    parallel: Flags.integer({summary: 'Orders at once in the parallel pass.', default: 4, min: 2, max: 64}),
    repeat: Flags.integer({summary: 'Passes per scenario; the best counts.', default: 3, min: 1, max: 50}),
    app: Flags.string({
      summary: 'Compare an app with the built-in strategy it is written after (--like): each race explored with both, alternating.',
      helpValue: 'FILE',
    }),
    // No oclif default: a default counts as given, and dependsOn would refuse every run without --app.
    like: Flags.string({summary: 'The built-in strategy --app is compared with (default update-then-delete).', dependsOn: ['app']}),
    scenarios: Flags.string({
      summary: 'Bench these scenarios (a file or a folder) instead of the built-in ones, e.g. bench/crowd: 2 and 3 writers with 2 readers.',
      helpValue: 'PATH',
      exclusive: ['app'],
    }),
    reduce: Flags.boolean({summary: 'One order per class of equivalent orders, as explore does; --no-reduce explores every order.', allowNo: true}),
    ...storeFlags,
  }

  async run(): Promise<ExploreBenchResult | AppBenchResult> {
    const {flags} = await this.parse(BenchExplore)
    const lab = await import('../../index.js')
    if (flags.app !== undefined) {
      const like = flags.like ?? 'update-then-delete'
      lab.getStrategy(like)
      const {benchApp} = await import('../../bench/app-bench.js')
      const {renderAppBench} = await import('../../report/explore-bench-table.js')
      const app = flags.app
      const compared = await this.withWorkbenches(flags, (benches) => benchApp(app, like, {benches, signal: this.interrupt.signal, repeat: flags.repeat}))
      if (!this.jsonEnabled()) this.log(renderAppBench(compared))
      return compared
    }
    const {benchExplore} = await import('../../bench/explore-bench.js')
    const {renderExploreBench} = await import('../../report/explore-bench-table.js')
    const {storeNeedOf} = await import('../../scenario/store-need.js')
    // Not what this measures: scenarios that wait on a replication stream (binlog, replica), or
    // on the clock (pause and latency faults).
    const timed = (s: {faults: {kind: string}[]}) => s.faults.some((f) => f.kind === 'pause' || f.kind === 'latency')
    const scenarios = (flags.scenarios === undefined ? await lab.loadBuiltInScenarios() : await lab.loadScenarios(flags.scenarios)).filter(
      (s) => storeNeedOf(s) === 'plain' && !timed(s),
    )
    const progress = new OrdersProgress(await createProgress(this.showsProgress()), 'bench', scenarios.length * (1 + 2 * flags.repeat))
    this.onInterrupt(() => progress.stop())
    const result = await this.withWorkbenches(flags, (benches) =>
      benchExplore(scenarios, {
        benches,
        signal: this.interrupt.signal,
        parallel: flags.parallel,
        repeat: flags.repeat,
        ...(flags.reduce === undefined ? {} : {reduce: flags.reduce}),
        onRun: progress.onRun,
        onExplored: (explored) => progress.scenarioDone(explored.orders),
      }),
    ).finally(() => progress.stop())
    if (!this.jsonEnabled()) this.log(renderExploreBench(result))
    return result
  }
}
