import {Args, Flags} from '@oclif/core'

import {CachesimCommand} from '../cli/base-command.js'
import {storeFlags} from '../cli/store-flags.js'

export interface CheckJson {
  passed: number
  failed: number
  skipped: number
  scenarios: {scenario: string; strategy: string; source: string; status: 'pass' | 'fail' | 'skip'; reasons: string[]; summary: string; durationMs: number}[]
}

export default class Check extends CachesimCommand {
  static override summary = "Hold every scenario to its expect: — race outcomes as CI regression tests."
  static override description = `For each scenario file: the keys of expect: about a run (divergent, db, cache, staleReads, dirtyReads, dbQueries) are checked by running it once: replaying its order: (the order its delays are meant to produce) one step at a time when it pins one, else with its delays in real time; expect: { explore: { … } } (orders, divergentOrders, staleOrders, dirtyOrders, impossibleOrders — a number or a comparison such as ">0" — and witness) by exploring every order. One line per scenario; exit 0 when all hold, 1 when any does not.

With no paths, checks ./scenarios when it exists, else the built-in scenarios.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> scenarios/ my-races/ --junit report.xml',
    '<%= config.bin %> <%= command.id %> --markdown pr-comment.md',
  ]
  static override strict = false
  static override enableJsonFlag = true
  static override args = {
    paths: Args.string({description: 'scenario files or folders (default: ./scenarios, else the built-in ones)'}),
  }
  static override flags = {
    junit: Flags.string({summary: 'Also write JUnit XML to this file.'}),
    markdown: Flags.string({summary: 'Also write a Markdown table (for a PR comment) to this file.'}),
    'max-orders': Flags.integer({summary: 'Cap on orders explored per scenario.', default: 10_000, min: 1}),
    parallel: Flags.integer({summary: 'Orders explored at once.', default: 1, min: 1, max: 64}),
    ...storeFlags,
  }

  async run(): Promise<CheckJson> {
    const {argv, flags} = await this.parse(Check)
    const lab = await import('../index.js')
    await lab.checkWritable(flags.junit, '--junit')
    await lab.checkWritable(flags.markdown, '--markdown')
    const {renderCheckLine, renderCheckSummary} = await import('../report/check-lines.js')
    const scenarios = await lab.scenariosToCheck(argv as string[])
    const width = Math.max(...scenarios.map((s) => s.name.length))
    const results = await this.withWorkbenches(flags, async (benches) =>
      lab.checkScenarios(await this.runnable(scenarios, benches), {
        benches,
        signal: this.interrupt.signal,
        maxOrders: flags['max-orders'],
        parallel: flags.parallel,
        onResult: (result) => this.log(renderCheckLine(result, width)),
      }),
    )
    this.log(renderCheckSummary(results))
    if (flags.junit !== undefined) await lab.writeReport(flags.junit, lab.renderJunit(results))
    if (flags.markdown !== undefined) await lab.writeReport(flags.markdown, lab.renderMarkdown(results))
    const count = (status: string) => results.filter((r) => r.status === status).length
    if (count('fail') > 0) process.exitCode = lab.ExitCode.expectationFailed
    return {
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      scenarios: results.map(({run: _run, explore: _explore, ...rest}) => ({...rest, durationMs: Math.round(rest.durationMs)})),
    }
  }
}
