import {Args, Flags} from '@oclif/core'

import {CachesimCommand} from '../cli/base-command.js'
import {BadInputError} from '../errors/bad-input-error.js'
import {parseDelay} from '../cli/parse-delay.js'
import {scenarioFlags} from '../cli/scenario-flags.js'
import {storeFlags, storeOptions} from '../cli/store-flags.js'
import {parseOrder} from '../scenario/order.js'
import type {RunJson} from '../report/json.js'

export default class Run extends CachesimCommand {
  static override summary = "Race a strategy's scenarios on the real MySQL and Redis; report where the stores disagree."
  static override description = `Each scenario sets actors (thread A, thread B, …), each with its own MySQL and Redis connection, loose on one row that lives in both stores, with delays injected at named steps. After the run an observer reads the row and the key: the stores are DIVERGENT when the cache holds a value MySQL has not got.

TARGET is a strategy (its built-in scenarios), "all", a built-in scenario's name (see "cachesim list"), or a scenario .yaml file or folder.

When a store does not answer, cachesim starts private servers for the run (--servers auto, the default) if it finds the binaries; --servers external never does.

Exit codes: 0 every run matched its expect:, 1 some run did not, 2 bad input, 3 a store could not be reached, 130 interrupted.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> update-then-update',
    '<%= config.bin %> <%= command.id %> all --json',
    '<%= config.bin %> <%= command.id %> scenarios/my-race.yaml',
    '<%= config.bin %> <%= command.id %> uu-normal-order --delay A:before:cache.set=80ms',
    '<%= config.bin %> <%= command.id %> utd-normal-order --fault A:cache.del=fail',
    '<%= config.bin %> <%= command.id %> utd-cold-cache-refill --order "B:cache.get B:db.select A:db.update A:cache.del B:cache.set"',
  ]
  static override enableJsonFlag = true
  static override args = {
    target: Args.string({
      description: 'strategy, "all", built-in scenario name, or scenario file/folder',
    }),
  }
  static override flags = {
    delay: Flags.string({
      summary: 'Inject a delay: ACTOR:before|after:STEP=DURATION (repeatable).',
      description: 'e.g. A:before:cache.set=60ms. Added to the delays the scenario already has; a scenario changed on the command line is no longer held to its expect:.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    order: Flags.string({
      summary: 'Replay exactly this order of steps, e.g. "A:db.update B:cache.get B:db.select A:cache.del B:cache.set".',
      description: 'The history of a run (printed for runs that diverged or read stale data, and in --json as "order") gives its order; paste it back to replay the run step by step. Delays are ignored.',
    }),
    step: Flags.boolean({
      summary: 'Pause before each step until Enter is pressed, showing the step and both stores (a terminal is needed).',
      description: 'With --order, walks through that order; without, through the order the scenario\'s delays produce. Ends with the swimlane (--timeline).',
    }),
    timeline: Flags.boolean({summary: 'Show every run as a swimlane, one column per actor.'}),
    html: Flags.string({summary: 'Write a self-contained HTML page with every run to this file.'}),
    ...scenarioFlags,
    ...storeFlags,
  }

  async run(): Promise<RunJson[]> {
    const {args, flags} = await this.parse(Run)
    if (args.target === undefined) {
      throw new BadInputError('missing TARGET: a strategy, "all", a built-in scenario (see cachesim list) or a .yaml file; e.g. cachesim run update-then-update')
    }
    const lab = await import('../index.js')
    await lab.checkWritable(flags.html, '--html')
    const delays = (flags.delay ?? []).map(parseDelay)
    const order = flags.order === undefined ? undefined : parseOrder(flags.order)
    storeOptions(flags) // bad URLs are bad input, said before anything starts
    const scenarios = await lab.scenariosFor(args.target, lab.overridesFrom(flags, delays))
    if (order !== undefined) lab.checkOrder(scenarios, order) // before any private server starts
    const stepper = flags.step ? (await import('../cli/step-prompt.js')).createStepPrompt(this.interrupt.signal) : null
    let results: Awaited<ReturnType<typeof lab.runScenarios>>
    try {
      results = await this.withWorkbenches(flags, async (benches) =>
        lab.runScenarios(await this.runnable(scenarios, benches), {
          benches,
          signal: this.interrupt.signal,
                    ...(order === undefined ? {} : {order}),
          ...(stepper ? {step: stepper.hook} : {}),
        }),
      )
    } finally {
      stepper?.close()
    }
    if (flags.html !== undefined) await lab.writeHtmlReport(flags.html, results, `cachesim run ${args.target}`)
    if (!this.jsonEnabled()) this.log(lab.renderRunTable(results, {timeline: flags.timeline || flags.step}))
    if (results.some((r) => r.matchesExpected === false)) process.exitCode = lab.ExitCode.expectationFailed
    return results.map(lab.toRunJson)
  }
}
