import chalk from 'chalk'

import {staleViews} from '../check/divergence.js'
import {formatValue} from '../history/value.js'
import type {RunResult} from '../run/result.js'
import {describeStep} from './describe-step.js'
import {showValue} from './verdict.js'

/** A few lines that tell how a run went: each step, when it landed, what it read or wrote. */
export function renderHistory(run: RunResult): string {
  const lines = [
    `${chalk.bold(run.scenario)}: MySQL ${showValue(run.db, 'no row')}, Redis ${showValue(run.cache, 'no key')}` +
      (run.divergent ? chalk.red(' (divergent)') : ''),
  ]
  const actorWidth = Math.max(...run.steps.map((s) => s.actor.length), 1)
  for (const step of run.steps) {
    const at = `${step.startMs.toFixed(1).padStart(7)} ms`
    const text = describeStep(step)
    lines.push(`  ${chalk.dim(at)}  ${step.actor.padEnd(actorWidth)}  ${step.step.padEnd(12)} ${step.type === 'ok' ? text : chalk.red(text)}`.trimEnd())
  }
  for (const read of run.reads) {
    lines.push(
      chalk.yellow(
        `  ${read.anomaly} read: ${read.actor} got ${showValue(read.value, 'nothing')} at ${read.startMs.toFixed(1)} ms; MySQL had committed ${showValue(read.latest, 'no row')}`,
      ),
    )
  }
  // What each write told its caller: a write that reported success while a step of it failed is the lesson.
  for (const op of run.operations.filter((o) => o.op === 'write')) {
    const failedStep = run.steps.some((s) => s.actor === op.actor && s.type !== 'ok' && s.startMs >= op.startMs && s.startMs <= op.endMs)
    if (op.type === 'ok' && failedStep) lines.push(chalk.yellow(`  ${op.actor}'s write of ${formatValue(op.value)} told its caller it succeeded, though a step of it failed`))
    else if (op.type !== 'ok') lines.push(chalk.dim(`  ${op.actor}'s write of ${formatValue(op.value)} failed: ${op.error ?? 'outcome unknown'}`))
  }
  for (const mismatch of run.mismatches) lines.push(chalk.red(`  not as expected: ${mismatch}`))
  const stale = new Set(staleViews(run).map(([actor]) => actor))
  for (const [actor, value] of Object.entries(run.views ?? {})) {
    lines.push((stale.has(actor) ? chalk.red : chalk.dim)(`  ${actor}'s in-process cache: ${formatValue(value)}${stale.has(actor) ? ' (not MySQL\'s: it serves the old value)' : ''}`))
  }
  if (run.stuck) {
    for (const b of run.stuck) lines.push(chalk.red(`  stuck: ${b.actor}'s ${b.step} ${b.reason}`))
  }
  lines.push(chalk.dim(`  replay: ${replayCommand(run)}`))
  return lines.join('\n')
}

/** The command that replays a run step by step (or, given, another order of its scenario). */
export function replayCommand(run: RunResult, order: readonly string[] = run.order): string {
  const flags = run.cliFlags.map((flag) => (flag.startsWith('--') ? flag : quote(flag))).join(' ')
  return `cachesim run ${quote(run.target)}${flags ? ` ${flags}` : ''} --order "${order.join(' ')}"`
}

/** When the delays did not produce the order the scenario says they are meant to: what happened, and what to do. */
export function orderNote(run: RunResult): string | null {
  if (run.orderAsIntended !== false || !run.intendedOrder) return null
  return (
    `${run.scenario}: the delays did not produce the intended order on this machine (a busy machine can stretch a step past a delay's margin), ` +
    `so this run is not held to expect:. Intended: ${run.intendedOrder.join(' ')}; got: ${run.order.join(' ')}. ` +
    `Replay the intended order with: ${replayCommand(run, run.intendedOrder)} (cachesim check does)`
  )
}

function quote(text: string): string {
  return /^[\w./:=#-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}
