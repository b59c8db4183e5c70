import type {History} from '../history/history.js'
import type {OperationRecord, Value} from '../history/types.js'
import type {Operation} from '../scenario/types.js'
import {StepFailedError} from '../schedule/actor.js'
import type {Actor, Strategy} from '../strategies/types.js'

/**
 * One actor's program: its operations one after another. A failed operation is recorded and the
 * next goes on (as an application would serve its next request); a crash, or the run being
 * abandoned, ends the actor.
 */
export async function runOperations(
  actor: Actor & {operation: OperationRecord['op'] | null},
  strategy: Strategy,
  ops: readonly Operation[],
  history: History,
  operations: OperationRecord[],
  loseKeys: () => Promise<void>,
): Promise<void> {
  for (const op of ops) {
    const from = history.entries.length
    const startMs = history.now()
    let record: Omit<OperationRecord, 'startMs' | 'endMs'>
    let stop = false
    actor.operation = op.kind
    try {
      const value = await perform(actor, strategy, op, loseKeys)
      record = {actor: actor.name, op: op.kind, value, type: 'ok'}
    } catch (error) {
      const failed = error instanceof StepFailedError
      stop = !failed
      record = {
        actor: actor.name,
        op: op.kind,
        value: op.kind === 'write' ? (strategy.valueFor?.(op.value) ?? op.value) : null,
        type: failed ? error.outcome : 'info',
        error: error instanceof Error ? error.message : String(error),
      }
    }
    actor.operation = null
    // An operation spans its first step's invoke to its last step's completion.
    const own = history.entries.slice(from).filter((e) => e.actor === actor.name)
    operations.push({...record, startMs: own[0]?.time ?? startMs, endMs: own.at(-1)?.time ?? history.now()})
    if (stop) return
  }
}

async function perform(actor: Actor, strategy: Strategy, op: Operation, loseKeys: () => Promise<void>): Promise<Value> {
  switch (op.kind) {
    case 'read':
      return strategy.read(actor)
    case 'write':
      await strategy.write(actor, op.value)
      return strategy.valueFor?.(op.value) ?? op.value
    case 'drain':
      await strategy.drain!(actor, op.count)
      return null
    case 'sync':
      await strategy.sync!(actor, op.count)
      return null
    case 'lose':
      await actor.step('cache.lose', loseKeys, {effect: () => ({cache: null})})
      return null
  }
}
