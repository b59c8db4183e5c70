import type {InjectedDelay} from '../schedule/delays.js'
import {parseOrder} from '../schedule/script.js'
import {findStrategy, strategyNames} from '../strategies/index.js'
import type {Locate} from './load.js'
import type {ScenarioInput} from './schema.js'
import type {ActorSpec, Operation, Scenario} from './types.js'

export const DEFAULT_LOCK_TTL_MS = 5000

/** Checks what the schema cannot (names that must refer to something) and builds the Scenario. */
export function toScenario(input: ScenarioInput, source: string, locate: Locate): Scenario {
  const strategy = findStrategy(input.strategy)
  if (!strategy) {
    throw locate(['strategy'], `unknown strategy "${input.strategy}"; valid strategies: ${strategyNames().join(', ')}`)
  }
  if (input.lock !== undefined && !strategy.usesLock) {
    throw locate(['lock'], `strategy ${strategy.name} takes no lock; remove "lock:"`)
  }

  const names = Object.keys(input.actors)
  if (names.length === 0) throw locate(['actors'], 'a scenario needs at least one actor, e.g. A: { op: write, value: 100 }')
  const actors: ActorSpec[] = names.map((name) => {
    const spec = input.actors[name]!
    const at = ['actors', name]
    if (spec.ops !== undefined && (spec.op !== undefined || spec.value !== undefined)) {
      throw locate(at, `actor ${name}: give either "op" (and "value") or "ops", not both`)
    }
    if (spec.ops === undefined && spec.op === undefined) {
      throw locate(at, `actor ${name} needs "op: read" or "op: write" (with "value"), or a list in "ops"`)
    }
    const ops: Operation[] = spec.ops
      ? spec.ops.map((op, i) => toOperation(op, [...at, 'ops', i], locate))
      : [toOperation({op: spec.op!, value: spec.value}, at, locate)]
    return {name, ops, startAfterMs: spec.startAfterMs ?? 0}
  })

  const delays: InjectedDelay[] = (input.delays ?? []).map((d, i) => {
    const at = ['delays', i]
    if (!names.includes(d.actor)) {
      throw locate([...at, 'actor'], `no actor named "${d.actor}"; actors: ${names.join(', ')}`)
    }
    if ((d.before === undefined) === (d.after === undefined)) {
      throw locate(at, 'a delay needs exactly one of "before: <step>" or "after: <step>"')
    }
    const when = d.before === undefined ? 'after' : 'before'
    const step = (d.before ?? d.after)!
    if (!strategy.steps.includes(step)) {
      throw locate([...at, when], `${strategy.name} has no step "${step}"; its steps: ${strategy.steps.join(', ')}`)
    }
    const delay: InjectedDelay = {actor: d.actor, when, step, ms: d.ms}
    if (d.occurrence !== undefined) delay.occurrence = d.occurrence
    return delay
  })

  const scenario: Scenario = {
    name: input.name,
    description: input.description?.trim() ?? '',
    source,
    builtIn: false,
    strategy: strategy.name,
    lock: input.lock ?? 'local',
    lockTtlMs: input.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
    initial: {db: input.initial.db, cache: input.initial.cache},
    actors,
    delays,
  }
  if (input.cacheTtlMs !== undefined) scenario.cacheTtlMs = input.cacheTtlMs
  if (input.expect !== undefined) {
    const {explore, ...run} = input.expect
    scenario.expect = stripUndefined(run)
    if (explore !== undefined) {
      if (explore.witness !== undefined) checkWitness(explore.witness, names, strategy.steps, locate)
      scenario.expect.explore = stripUndefined(explore)
    }
  }
  return scenario
}

function checkWitness(witness: string, actors: readonly string[], steps: readonly string[], locate: Locate): void {
  const at = ['expect', 'explore', 'witness']
  let tokens
  try {
    tokens = parseOrder(witness)
  } catch (error) {
    throw locate(at, (error as Error).message.replace('--order', 'witness'))
  }
  for (const token of tokens) {
    if (!actors.includes(token.actor)) throw locate(at, `witness: no actor named "${token.actor}"; actors: ${actors.join(', ')}`)
    if (!steps.includes(token.step)) throw locate(at, `witness: no step "${token.step}" in this strategy; its steps: ${steps.join(', ')}`)
  }
}

function toOperation(op: {op: 'read' | 'write'; value?: number | undefined}, at: (string | number)[], locate: Locate): Operation {
  if (op.op === 'read') {
    if (op.value !== undefined) throw locate([...at, 'value'], 'a read takes no "value"')
    return {kind: 'read'}
  }
  if (op.value === undefined) throw locate(at, 'a write needs "value", e.g. { op: write, value: 100 }')
  return {kind: 'write', value: op.value}
}

/** Drops keys whose value is undefined, so that only what the file gives is checked. */
function stripUndefined<T extends object>(value: T): {[K in keyof T]: Exclude<T[K], undefined>} {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }
}
