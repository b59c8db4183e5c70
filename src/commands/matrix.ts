import {Flags} from '@oclif/core'

import {CachesimCommand} from '../cli/base-command.js'
import {OrdersProgress} from '../cli/orders-progress.js'
import {createProgress} from '../cli/progress.js'
import {appFlag} from '../cli/scenario-flags.js'
import {storeFlags} from '../cli/store-flags.js'

export interface MatrixJson {
  races: string[]
  strategies: string[]
  durationMs: number
  cells: {
    strategy: string
    race: string
    scenario: string
    verdict: string
    orders: number
    divergentOrders: number
    staleOrders: number
    dirtyOrders: number
    impossibleOrders: number
    /** Distinct behaviours among the orders that finished (steps that commute swapped, blocked sends folded). */
    behaviours: number
    divergentBehaviours: number
    staleBehaviours: number
    dirtyBehaviours: number
    matchesLiterature: boolean | null
    mismatches: string[]
    witness: string | null
  }[]
}

export default class Matrix extends CachesimCommand {
  static override summary = 'Every strategy against every race and fault, explored in every order: the verdict matrix.'
  static override description = `Each cell is a scenario in scenarios/matrix/ (one per strategy and race), explored in every order: ✓ consistent in every order, ✗ divergent in some (how many of its behaviours, and a command that replays one), ~ stale or dirty reads but never divergent, ⊘ no order could complete (every one impossible). Each cell is checked against the outcome the literature gives, kept in its scenario's expect:, and flagged (≠) when they differ; the exit code is then 1. With --app, the row of your own app module (see "Race your own code" in the README).`
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --parallel 4', '<%= config.bin %> <%= command.id %> --markdown > matrix.md', '<%= config.bin %> <%= command.id %> --app ./src/cache/user-cache.ts']
  static override enableJsonFlag = true
  static override flags = {
    markdown: Flags.boolean({summary: 'Print the matrix as a Markdown table.'}),
    parallel: Flags.integer({summary: 'Orders explored at once.', default: 1, min: 1, max: 64}),
    app: appFlag,
    ...storeFlags,
  }

  async run(): Promise<MatrixJson> {
    const {flags} = await this.parse(Matrix)
    const lab = await import('../index.js')
    const {buildMatrix} = await import('../run/matrix.js')
    const {renderMatrix, renderMatrixMarkdown} = await import('../report/matrix-table.js')
    // With --app, the app's row: every race it can be raced in.
    const scenarios = flags.app === undefined ? await lab.loadMatrixScenarios() : await lab.appScenarios('races', flags.app)
    const progress = new OrdersProgress(await createProgress(this.showsProgress()), 'matrix', scenarios.length)
    this.onInterrupt(() => progress.stop())
    const result = await this.withWorkbenches(flags, async (benches) =>
      buildMatrix(await this.runnable(scenarios, benches), {
        benches,
        signal: this.interrupt.signal,
        parallel: flags.parallel,
        onRun: progress.onRun,
        onCell: (cell) => progress.scenarioDone(cell.explored.orders),
      }),
    ).finally(() => progress.stop())
    if (!this.jsonEnabled()) this.log(flags.markdown ? renderMatrixMarkdown(result) : renderMatrix(result))
    if (result.cells.some((c) => c.matchesLiterature === false)) process.exitCode = lab.ExitCode.expectationFailed
    return {
      races: result.races,
      strategies: result.strategies,
      durationMs: Math.round(result.durationMs),
      cells: result.cells.map((c) => ({
        strategy: c.strategy,
        race: c.race,
        scenario: c.scenario,
        verdict: c.verdict,
        orders: c.explored.orders,
        divergentOrders: c.explored.divergentOrders,
        staleOrders: c.explored.staleOrders,
        dirtyOrders: c.explored.dirtyOrders,
        impossibleOrders: c.explored.impossibleOrders,
        behaviours: c.explored.behaviours,
        divergentBehaviours: c.explored.divergentBehaviours,
        staleBehaviours: c.explored.staleBehaviours,
        dirtyBehaviours: c.explored.dirtyBehaviours,
        matchesLiterature: c.matchesLiterature,
        mismatches: c.explored.mismatches,
        witness: c.explored.witness,
      })),
    }
  }
}
