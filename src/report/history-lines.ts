import chalk from 'chalk'

import type {StepRecord} from '../history/types.js'
import type {RunResult} from '../run/result.js'
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
    lines.push(`  ${chalk.dim(at)}  ${step.actor.padEnd(actorWidth)}  ${step.step.padEnd(12)} ${describeStep(step)}`)
  }
  for (const read of run.reads) {
    lines.push(
      chalk.yellow(
        `  ${read.anomaly} read: ${read.actor} got ${showValue(read.value, 'nothing')} at ${read.startMs.toFixed(1)} ms; MySQL had committed ${showValue(read.latest, 'no row')}`,
      ),
    )
  }
  for (const mismatch of run.mismatches) lines.push(chalk.red(`  not as expected: ${mismatch}`))
  if (run.stuck) {
    for (const b of run.stuck) lines.push(chalk.red(`  stuck: ${b.actor}'s ${b.step} ${b.reason}`))
  }
  lines.push(chalk.dim(`  replay: cachesim run ${quote(run.source)} --order "${run.order.join(' ')}"`))
  return lines.join('\n')
}

function describeStep(step: StepRecord): string {
  if (step.type === 'fail' || step.type === 'info') {
    return chalk.red(`${step.type === 'fail' ? 'failed' : 'outcome unknown'}: ${step.error ?? ''}`)
  }
  if (step.type === 'pending') return chalk.red('did not finish')
  switch (step.step) {
    case 'cache.get':
      return step.value === null ? 'miss' : `hit ${step.value}`
    case 'db.select':
      return step.value === null ? 'no row' : `read ${step.value}`
    case 'db.update':
    case 'cache.set':
      return `→ ${step.value}`
    default:
      return step.value === null ? '' : String(step.value)
  }
}

function quote(text: string): string {
  return /^[\w./:-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}
