import path from 'node:path'

import {unloadedApp} from '../app/app-strategy.js'
import type {AppRef} from '../app/strategy-of.js'
import type {InjectedDelay} from './delays.js'
import type {Fault} from './faults.js'
import {type OrderToken, parseOrder} from './order.js'
import {describeSteps, findStrategy, hasOrderStep, hasStep, strategyNames} from '../strategies/index.js'
import type {Strategy} from '../strategies/types.js'
import type {Locate, YamlPath} from './load.js'
import type {ScenarioInput} from './schema.js'
import type {ActorSpec, Operation, Scenario} from './types.js'

export const DEFAULT_LOCK_TTL_MS = 5000
export const DEFAULT_DOUBLE_DELETE_DELAY_MS = 100
export const DEFAULT_LEASE_TTL_MS = 5000

/** Checks what the schema cannot (names that must refer to something) and builds the Scenario. */
export function toScenario(input: ScenarioInput, source: string, locate: Locate): Scenario {
  if (input.strategy !== undefined && input.app !== undefined) throw locate(['app'], 'give either "strategy:" or "app:", not both', 'app')
  if (input.strategy === undefined && input.app === undefined) {
    throw locate([], `"strategy" is required (one of ${strategyNames().join(', ')}), or "app:" with the path of your app module`)
  }
  // An app module's path is relative to the scenario file; the module itself is loaded by load.ts.
  const app: AppRef | undefined = input.app === undefined ? undefined : {file: path.resolve(path.dirname(source), input.app), shown: ''}
  if (app) app.shown = path.relative(process.cwd(), app.file) || app.file
  const strategy = app ? unloadedApp(app.shown) : findStrategy(input.strategy!)
  if (!strategy) {
    throw locate(['strategy'], `unknown strategy "${input.strategy}"; valid strategies: ${strategyNames().join(', ')}`)
  }
  if (input.lock !== undefined && !strategy.knobs?.includes('lock')) {
    throw locate(['lock'], strategy.usesLock ? `${strategy.name} always uses the Redis lock; remove "lock:"` : `strategy ${strategy.name} takes no lock; remove "lock:"`)
  }

  const names = Object.keys(input.actors)
  if (names.length === 0) throw locate(['actors'], 'a scenario needs at least one actor, e.g. A: { op: write, value: 100 }')
  const actors: ActorSpec[] = names.map((name) => {
    const spec = input.actors[name]!
    const at = ['actors', name]
    if (spec.ops !== undefined && (spec.op !== undefined || spec.value !== undefined || spec.count !== undefined)) {
      throw locate(at, `actor ${name}: give either "op" (with "value" or "count") or "ops", not both`)
    }
    if (spec.ops === undefined && spec.op === undefined) {
      throw locate(at, `actor ${name} needs "op: read" or "op: write" (with "value"), or a list in "ops"`)
    }
    const ops: Operation[] = spec.ops
      ? spec.ops.map((op, i) => toOperation(op, [...at, 'ops', i], strategy, locate))
      : [toOperation({op: spec.op!, value: spec.value, count: spec.count}, at, strategy, locate)]
    return {name, ops, startAfterMs: spec.startAfterMs ?? 0}
  })

  const actorAt = (at: (string | number)[], actor: string) => {
    if (!names.includes(actor)) throw locate([...at, 'actor'], `no actor named "${actor}"; actors: ${names.join(', ')}`)
  }
  const stepAt = (at: (string | number)[], step: string) => {
    if (!hasStep(strategy, step)) throw locate(at, `${strategy.name} has no step "${step}"; ${describeSteps(strategy)}`)
  }

  const delays: InjectedDelay[] = (input.delays ?? []).map((d, i) => {
    const at = ['delays', i]
    actorAt(at, d.actor)
    if ((d.before === undefined) === (d.after === undefined)) {
      throw locate(at, 'a delay needs exactly one of "before: <step>" or "after: <step>"')
    }
    const when = d.before === undefined ? 'after' : 'before'
    const step = (d.before ?? d.after)!
    stepAt([...at, when], step)
    const delay: InjectedDelay = {actor: d.actor, when, step, ms: d.ms}
    if (d.occurrence !== undefined) delay.occurrence = d.occurrence
    return delay
  })

  const faults: Fault[] = (input.faults ?? []).map((f, i) => {
    const at = ['faults', i]
    actorAt(at, f.actor)
    stepAt([...at, 'step'], f.step)
    const timed = f.kind === 'pause' || f.kind === 'latency'
    if (timed !== (f.ms !== undefined)) {
      throw locate(at, timed ? `a ${f.kind} fault needs "ms", e.g. { kind: ${f.kind}, ms: 300 }` : `a ${f.kind} fault takes no "ms"`)
    }
    const fault: Fault = {actor: f.actor, step: f.step, kind: f.kind}
    if (f.ms !== undefined) fault.ms = f.ms
    if (f.occurrence !== undefined) fault.occurrence = f.occurrence
    return fault
  })

  const scenario: Scenario = {
    name: input.name,
    description: input.description?.trim() ?? '',
    source,
    builtIn: false,
    cliFlags: [],
    strategy: strategy.name,
    ...(app ? {app} : {}),
    lock: strategy.lockKind ?? input.lock ?? 'local',
    lockTtlMs: input.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
    doubleDeleteDelayMs: input.doubleDeleteDelayMs ?? DEFAULT_DOUBLE_DELETE_DELAY_MS,
    leaseTtlMs: input.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
    initial: {db: input.initial.db, cache: input.initial.cache},
    actors,
    delays,
    faults,
  }
  if (input.cacheTtlMs !== undefined) scenario.cacheTtlMs = input.cacheTtlMs
  if (input.order !== undefined) scenario.order = checkOrderText(['order'], 'order', input.order, names, strategy, locate).map(formatToken)
  if (input.race !== undefined) scenario.race = input.race
  if (input.replica !== undefined) {
    input.replica.readers.forEach((reader, i) => {
      if (!names.includes(reader)) throw locate(['replica', 'readers', i], `no actor named "${reader}"; actors: ${names.join(', ')}`)
    })
    scenario.replica = {readers: input.replica.readers, lagMs: input.replica.lagMs ?? null}
  }
  if (input.expect !== undefined) {
    const {explore, ...run} = input.expect
    scenario.expect = stripUndefined(run)
    if (explore !== undefined) {
      if (explore.witness !== undefined) checkOrderText(['expect', 'explore', 'witness'], 'witness', explore.witness, names, strategy, locate)
      scenario.expect.explore = stripUndefined(explore)
    }
  }
  return scenario
}

/** An order written in the file (`order:`, a witness): its steps, each an actor's and a step its strategy takes. */
function checkOrderText(at: YamlPath, what: string, text: string, actors: readonly string[], strategy: Strategy, locate: Locate): OrderToken[] {
  let tokens
  try {
    tokens = parseOrder(text)
  } catch (error) {
    throw locate(at, (error as Error).message.replace('--order', what))
  }
  for (const token of tokens) {
    if (!actors.includes(token.actor)) throw locate(at, `${what}: no actor named "${token.actor}"; actors: ${actors.join(', ')}`)
    if (!hasOrderStep(strategy, token.step)) throw locate(at, `${what}: no step "${token.step}" in ${strategy.name}; ${describeSteps(strategy)}`)
  }
  return tokens
}

function formatToken(token: OrderToken): string {
  return `${token.actor}:${token.step}`
}

function toOperation(
  op: {op: Operation['kind']; value?: number | undefined; count?: number | undefined},
  at: (string | number)[],
  strategy: Strategy,
  locate: Locate,
): Operation {
  if (op.op !== 'write' && op.value !== undefined) throw locate([...at, 'value'], `"${op.op}" takes no "value"`)
  if (op.op !== 'drain' && op.op !== 'sync' && op.count !== undefined) throw locate([...at, 'count'], `"${op.op}" takes no "count"`)
  switch (op.op) {
    case 'read':
      return {kind: 'read'}
    case 'lose':
      return {kind: 'lose'}
    case 'drain':
      if (!strategy.drain) throw locate(at, `${strategy.name} has no queue to drain; "drain" is for write-behind`)
      return {kind: 'drain', count: op.count ?? 1}
    case 'sync':
      if (!strategy.sync) throw locate(at, `${strategy.name} reads no binlog; "sync" is for binlog-invalidate`)
      return {kind: 'sync', count: op.count ?? 1}
    case 'write':
      if (op.value === undefined) throw locate(at, 'a write needs "value", e.g. { op: write, value: 100 }')
      return {kind: 'write', value: op.value}
  }
}

/** Drops keys whose value is undefined, so that only what the file gives is checked. */
function stripUndefined<T extends object>(value: T): {[K in keyof T]: Exclude<T[K], undefined>} {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }
}
