import chalk from 'chalk'

import {countOf} from '../check/verdict.js'
import type {RunResult} from '../run/result.js'

/** The verdict column, read from the run's one verdict: consistent, DIVERGENT, stale reads n, … */
export function verdictText(run: RunResult): string {
  const {verdict} = run
  const parts: string[] = []
  if (countOf(verdict, 'completed') > 0) parts.push(chalk.red('STUCK'))
  if (countOf(verdict, 'divergence') > 0) parts.push(chalk.red.bold('DIVERGENT'))
  const stale = countOf(verdict, 'stale-reads')
  const dirty = countOf(verdict, 'dirty-reads')
  const lost = countOf(verdict, 'lost-writes')
  if (stale > 0) parts.push(chalk.yellow(`stale reads ${stale}`))
  if (dirty > 0) parts.push(chalk.yellow(`dirty reads ${dirty}`))
  if (lost > 0) parts.push(chalk.red(`lost writes ${lost}`))
  if (parts.length === 0 && verdict.valid === 'unknown') parts.push(chalk.yellow('unknown (a step\'s outcome is unknown)'))
  return parts.length > 0 ? parts.join(', ') : chalk.green('consistent')
}

export function expectedText(run: RunResult): string {
  if (run.matchesExpected === null) return chalk.dim('–')
  return run.matchesExpected ? chalk.green('✓') : chalk.red('✗')
}
