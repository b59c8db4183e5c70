import {Args, Flags} from '@oclif/core'

import {CachesimCommand} from '../cli/base-command.js'
import {OrdersProgress} from '../cli/orders-progress.js'
import {createProgress} from '../cli/progress.js'
import {scenarioFlags} from '../cli/scenario-flags.js'
import {storeFlags, storeOptions} from '../cli/store-flags.js'
import {BadInputError} from '../errors/bad-input-error.js'
import {ExploreJsonSpool} from '../report/explore-json-spool.js'

export default class Explore extends CachesimCommand {
  static override summary = 'Run a scenario under every order of its steps and report which orders break consistency.'
  static override description = `Each order runs from a fresh reset of the row and the key, one step at a time, on the real MySQL and Redis; a scenario's delays are ignored. The search is depth-first over which actor goes next, so every distinct order is visited exactly once. A step that waits for a lock another actor holds is seen as blocked, and the other actors go on.

For each scenario: how many orders, how many behaviours they make (orders the servers cannot tell apart: the same steps with the same results and effects, a MySQL step and another actor's Redis step swapped (or two plain reads), the same final state), how many could not finish (impossible), how many left the stores divergent, and how many showed stale or dirty reads; then the shortest divergent order (the witness) with its history, and the command that replays it.

Exit codes: 0 ok (or every expect: { explore: … } held), 1 some did not, 2 bad input, 3 a store could not be reached, 130 interrupted.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> update-then-delete',
    '<%= config.bin %> <%= command.id %> utd-cold-cache-refill --timeline',
    '<%= config.bin %> <%= command.id %> all --parallel 4',
    '<%= config.bin %> <%= command.id %> scenarios/my-race.yaml --random 500 --seed 7',
    '<%= config.bin %> <%= command.id %> all --json > orders.json',
  ]
  static override enableJsonFlag = true
  static override args = {
    target: Args.string({description: 'strategy, "all", built-in scenario name, or scenario file/folder'}),
  }
  static override flags = {
    'max-orders': Flags.integer({
      summary: 'Stop enumerating a scenario after this many orders.',
      default: 10_000,
      min: 1,
    }),
    random: Flags.integer({
      summary: 'Sample this many distinct orders at random (none twice) instead of enumerating them all (with --seed).',
      min: 1,
      max: 1_000_000,
    }),
    seed: Flags.integer({summary: 'Seed for --random (default 1): the same seed gives the same orders.', dependsOn: ['random']}),
    depth: Flags.integer({
      summary: 'With --random: sample by PCT instead, for bugs that need this many steps in a certain order (1 to 5; 2 or 3 is typical).',
      description:
        'PCT (probabilistic concurrency testing) gives each actor a random priority and lowers the running one at DEPTH-1 random steps. One run finds a given bug of that depth with probability at least 1/(actors × steps^(DEPTH-1)), however many orders the scenario has; the table says that figure.',
      dependsOn: ['random'],
      min: 1,
      max: 5,
    }),
    parallel: Flags.integer({
      summary: 'Run this many orders at once, on disjoint rows, keys and connections.',
      default: 1,
      min: 1,
      max: 64,
    }),
    shard: Flags.string({
      summary: 'Search only shard i of n (e.g. 2/4), a disjoint part of every order; join the shards\' --json with cachesim merge.',
      helpValue: 'i/n',
      exclusive: ['random'],
    }),
    reduce: Flags.boolean({
      summary: 'Explore one order per class of orders that differ only by swapping steps that commute (the default, but for apps); --no-reduce explores every order.',
      description:
        "Without either flag the search is reduced for the built-in strategies and runs every order for an app (--app or a scenario's app:): an app's actors may share in-process state that cachesim cannot see, such as a module-level cache, and then steps on different servers need not commute. Give --reduce when each actor's state is its own.",
      allowNo: true,
    }),
    timeline: Flags.boolean({summary: "Show each witness as a swimlane, one column per actor."}),
    html: Flags.string({summary: 'Write a self-contained HTML page to this file: the counts, and one steppable example order per kind of outcome.'}),
    ...scenarioFlags,
    ...storeFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Explore)
    if (args.target === undefined) {
      throw new BadInputError('missing TARGET: a strategy, "all", a built-in scenario (see cachesim list) or a .yaml file; e.g. cachesim explore update-then-delete')
    }
    const lab = await import('../index.js')
    await lab.checkWritable(flags.html, '--html')
    storeOptions(flags) // bad URLs are bad input, said before anything starts
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
    const scenarios = await lab.scenariosFor(args.target, lab.overridesFrom(flags, []))
    const progress = new OrdersProgress(await createProgress(this.showsProgress()), 'explore', scenarios.length)
    // With --json every order is listed: each goes to a spool file as it ends, so memory stays flat.
    const spool = this.jsonEnabled() ? new ExploreJsonSpool() : null
    this.onInterrupt(() => progress.stop())
    try {
      const results = await this.withWorkbenches(flags, async (benches) =>
        lab.exploreScenarios(await this.runnable(scenarios, benches), {
          benches,
          signal: this.interrupt.signal,
          maxOrders: flags['max-orders'],
          parallel: flags.parallel,
          ...(flags.reduce === undefined ? {} : {reduce: flags.reduce}),
          keep: 'counts',
          ...(spool ? {onRunResult: spool.onRun} : {}),
          ...(flags.random === undefined ? {} : {random: {count: flags.random, seed: flags.seed ?? 1, ...(flags.depth === undefined ? {} : {depth: flags.depth})}}),
          ...(shard ? {shard} : {}),
          onRun: progress.onRun,
          onExplored: (result) => {
            spool?.scenarioDone()
            progress.scenarioDone(result.orders)
          },
        }),
      ).finally(() => progress.stop())
      if (flags.html !== undefined) await lab.writeExploreHtmlReport(flags.html, results, `cachesim explore ${args.target}`)
      if (results.some((r) => r.matchesExpected === false)) process.exitCode = lab.ExitCode.expectationFailed
      if (spool) await spool.print(results.map(lab.toExploreJson))
      else this.log(lab.renderExploreTable(results, {timeline: flags.timeline}))
    } finally {
      await spool?.remove()
    }
  }
}

/** `i/n` (1 ≤ i ≤ n) as the explorer's shard, counted from 0. */
export function parseShard(text: string): {index: number; count: number} {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const [i, n] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN]
  if (!Number.isSafeInteger(i) || !Number.isSafeInteger(n) || n < 1 || i < 1 || i > n) {
    throw new BadInputError(`--shard ${text}: want i/n with 1 ≤ i ≤ n, e.g. --shard 2/4`)
  }
  return {index: i - 1, count: n}
}
