import {stat} from 'node:fs/promises'

import {BadInputError} from '../errors/bad-input-error.js'
import type {InjectedDelay} from './delays.js'
import {type Fault, formatFault, parseFault} from './faults.js'
import type {LockKind} from './types.js'
import {loadApp} from '../app/load.js'
import {type AppRef, strategyOf} from '../app/strategy-of.js'
import {describeSteps, findStrategy, hasStep, STRATEGIES, strategyNames} from '../strategies/index.js'
import type {Strategy, StrategyKnob} from '../strategies/types.js'
import {everyOrAllProblems, loadBuiltInScenarios, loadMatrixScenarios, loadScenarios} from './load.js'
import type {Scenario} from './types.js'

/**
 * What `run <target>` (and friends) means by its argument: `all`, a strategy's name (its
 * built-in scenarios), a built-in scenario's name, or a scenario file or folder.
 */
export async function resolveScenarios(target: string): Promise<Scenario[]> {
  const looksLikePath = /[/\\]|\.ya?ml$/.test(target)
  if (!looksLikePath) {
    const builtIn = await loadBuiltInScenarios()
    if (target === 'all') return builtIn
    if (findStrategy(target)) {
      const mine = builtIn.filter((s) => s.strategy === target)
      if (mine.length === 0) throw new BadInputError(`strategy ${target} has no built-in scenarios yet; give a scenario file`)
      return mine
    }
    const named = builtIn.find((s) => s.name === target) ?? (await loadMatrixScenarios()).find((s) => s.name === target)
    if (named) return [named]
  }
  if (await exists(target)) return loadScenarios(target)
  if (looksLikePath) throw new BadInputError(`no such scenario file or folder: ${target}`)
  throw new BadInputError(
    `unknown strategy or scenario "${target}"; strategies: ${strategyNames().join(', ')}; or "all", a built-in scenario (cachesim list), or a .yaml file`,
  )
}

/** What the command line adds to or changes in a scenario. */
export interface ScenarioOverrides {
  delays?: readonly InjectedDelay[]
  faults?: readonly Fault[]
  doubleDeleteDelayMs?: number
  /** For the strategies that take a lock local or Redis (others are left as they are). */
  lock?: LockKind
  /** Race this app module in place of each scenario's strategy (--app). */
  app?: string
}

/**
 * Applies delays, faults and knobs given on the command line, checked against each scenario's
 * actors and steps. The result expects nothing: its `expect:` described the unchanged scenario.
 */
export function withOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  const strategy = strategyOf(scenario)
  const check = (flag: string, actor: string, step: string) => {
    if (!scenario.actors.some((a) => a.name === actor)) {
      throw new BadInputError(`${flag}: scenario ${scenario.name} has no actor ${actor}; its actors: ${scenario.actors.map((a) => a.name).join(', ')}`)
    }
    if (!hasStep(strategy, step)) throw new BadInputError(`${flag}: ${strategy.name} has no step ${step}; ${describeSteps(strategy)}`)
  }
  const delays = overrides.delays ?? []
  const faults = overrides.faults ?? []
  for (const d of delays) check(`--delay ${d.actor}:${d.when}:${d.step}`, d.actor, d.step)
  for (const f of faults) check(`--fault ${formatFault(f)}`, f.actor, f.step)
  const ddd = takes(strategy, 'doubleDeleteDelayMs') ? overrides.doubleDeleteDelayMs : undefined
  const lock = takes(strategy, 'lock') && overrides.lock !== scenario.lock ? overrides.lock : undefined
  if (delays.length === 0 && faults.length === 0 && ddd === undefined && lock === undefined) return scenario
  // A changed scenario is a new experiment: what the file expects (and the order its delays
  // were meant to produce) was said of the old one.
  const {expect: _expect, order: _order, ...changed} = scenario
  return {
    ...changed,
    delays: [...scenario.delays, ...delays],
    faults: [...scenario.faults, ...faults],
    doubleDeleteDelayMs: ddd ?? scenario.doubleDeleteDelayMs,
    lock: lock ?? scenario.lock,
    // Delays do not count in a replay (the order decides); what the steps do does.
    cliFlags: [
      ...scenario.cliFlags,
      ...faults.flatMap((f) => ['--fault', formatFault(f)]),
      ...(ddd === undefined ? [] : ['--ddd-delay', String(ddd)]),
      ...(lock === undefined ? [] : ['--lock', lock]),
    ],
  }
}

/**
 * Checks that knobs given on the command line mean something for at least one of the scenarios
 * (`--lock` for a strategy that takes no lock, `--ddd-delay` for no delayed-double-delete).
 */
export function checkOverrides(scenarios: readonly Scenario[], overrides: ScenarioOverrides): void {
  const strategies = scenarios.map((s) => strategyOf(s))
  if (overrides.lock !== undefined && !strategies.some((s) => takes(s, 'lock'))) {
    throw new BadInputError(`--lock: no strategy here takes a choice of lock (${[...new Set(strategies.map((s) => s.name))].join(', ')}); it is for ${knobOwners('lock')}`)
  }
  if (overrides.doubleDeleteDelayMs !== undefined && !strategies.some((s) => takes(s, 'doubleDeleteDelayMs'))) {
    throw new BadInputError(`--ddd-delay is for ${knobOwners('doubleDeleteDelayMs')}, and no scenario here uses it`)
  }
}

function takes(strategy: Strategy, knob: StrategyKnob): boolean {
  return strategy.knobs?.includes(knob) ?? false
}

/** The strategies that take a knob, for a message. */
function knobOwners(knob: StrategyKnob): string {
  return STRATEGIES.filter((s) => takes(s, knob)).map((s) => s.name).join(', ')
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null
}

/** What `check` checks: the given files and folders, else ./scenarios when it exists, else the built-in scenarios. */
export async function scenariosToCheck(paths: readonly string[]): Promise<Scenario[]> {
  if (paths.length === 0) return (await exists('scenarios')) ? loadScenarios('scenarios') : loadBuiltInScenarios()
  const loaded = (await everyOrAllProblems(paths.map((p) => loadScenarios(p)))).flat()
  const seen = new Map<string, string>()
  for (const scenario of loaded) {
    const other = seen.get(scenario.name)
    if (other && other !== scenario.source) throw new BadInputError(`two scenarios are named "${scenario.name}": ${other} and ${scenario.source}`)
    seen.set(scenario.name, scenario.source)
  }
  return loaded
}

/** The overrides the shared scenario flags (--fault, --ddd-delay, --lock) and --delay ask for. */
export function overridesFrom(
  flags: {fault?: string[] | undefined; 'ddd-delay'?: number | undefined; lock?: LockKind | undefined; app?: string | undefined},
  delays: readonly InjectedDelay[],
): ScenarioOverrides {
  const overrides: ScenarioOverrides = {delays, faults: (flags.fault ?? []).map(parseFault)}
  if (flags['ddd-delay'] !== undefined) overrides.doubleDeleteDelayMs = flags['ddd-delay']
  if (flags.lock !== undefined) overrides.lock = flags.lock
  if (flags.app !== undefined) overrides.app = flags.app
  return overrides
}

/** The scenarios a command's TARGET names, changed as its flags ask (checked to mean something first). */
export async function scenariosFor(target: string, overrides: ScenarioOverrides): Promise<Scenario[]> {
  const resolved = overrides.app === undefined ? await resolveScenarios(target) : await appScenarios(target, overrides.app)
  checkOverrides(resolved, overrides)
  return resolved.map((scenario) => withOverrides(scenario, overrides))
}

/**
 * The matrix's races and faults an app can be raced in by name. pause-past-ttl is left out: it
 * pauses a lock holder past its lock's TTL, and an app's locks are its own.
 */
export const APP_RACES = ['two-writers', 'cold-refill', 'warm-read', 'cache-step-fails', 'crash-between']

/**
 * What `--app FILE` makes of a TARGET: a race by name (`cold-refill`, or `races` for all of
 * them) raced by the app, or scenario files whose strategy the app replaces.
 */
export async function appScenarios(target: string, file: string): Promise<Scenario[]> {
  const loaded = await loadApp(file)
  const ref: AppRef = {file: loaded.file, shown: loaded.shown}
  const name = loaded.app.name
  const race = target.endsWith(`.${name}`) ? target.slice(0, -name.length - 1) : target
  if (race === 'pause-past-ttl') {
    throw new BadInputError(`--app: pause-past-ttl pauses a lock holder past its lock's TTL, and an app's locks are its own; write a scenario file with a pause fault at your lock step (e.g. A:redis.SET=pause=300ms)`)
  }
  const every = race === 'races' || race === 'all'
  if (every || APP_RACES.includes(race)) {
    const wanted = every ? APP_RACES : [race]
    const templates = await loadMatrixScenarios()
    return wanted.map((r) => asApp(templates.find((s) => s.name === `${r}.update-then-delete`)!, ref, name, true))
  }
  const looksLikePath = /[/\\]|\.ya?ml$/.test(target)
  if (!looksLikePath && !(await exists(target))) {
    throw new BadInputError(`with --app, TARGET is a race (${APP_RACES.join(', ')}, or "all") or a scenario file; "${target}" is neither`)
  }
  return (await resolveScenarios(target)).map((scenario) => asApp(scenario, ref, name, false))
}

/** A scenario raced by an app: the race's actors and faults, the app's steps; what it expected was said of the strategy. */
function asApp(scenario: Scenario, app: AppRef, name: string, race: boolean): Scenario {
  const at = `scenario ${scenario.name}`
  for (const actor of scenario.actors) {
    const op = actor.ops.find((o) => o.kind === 'drain' || o.kind === 'sync')
    if (op) throw new BadInputError(`--app: ${at} has "op: ${op.kind}", which only ${op.kind === 'drain' ? 'write-behind' : 'binlog-invalidate'} has; an app reads and writes`)
  }
  if (scenario.replica) throw new BadInputError(`--app: ${at} reads from a replica, which an app's own connections cannot`)
  const {expect: _expect, order: _order, ...rest} = scenario
  // A built-in step's fault becomes the same fault at the app's matching class of step.
  const faults = scenario.faults.map((f) => ({...f, step: f.step.startsWith('cache.') ? 'redis.write' : f.step.startsWith('db.') && f.kind === 'crash' ? 'db.write' : f.step}))
  return {
    ...rest,
    name: race ? `${scenario.race ?? scenario.name}.${name}` : scenario.name,
    description: scenario.description.replaceAll(scenario.strategy, name),
    strategy: name,
    app,
    faults,
    builtIn: race,
    cliFlags: [...scenario.cliFlags, '--app', app.shown],
  }
}
