import chalk from 'chalk'

import type {RunResult} from '../run/result.js'

/** The verdict column: consistent, DIVERGENT, stale reads n, dirty reads n, or stuck. */
export function verdictText(run: RunResult): string {
  const parts: string[] = []
  if (run.stuck) parts.push(chalk.red('STUCK'))
  if (run.divergent) parts.push(chalk.red.bold('DIVERGENT'))
  if (run.staleReads > 0) parts.push(chalk.yellow(`stale reads ${run.staleReads}`))
  if (run.dirtyReads > 0) parts.push(chalk.yellow(`dirty reads ${run.dirtyReads}`))
  if (run.lostWrites > 0) parts.push(chalk.red(`lost writes ${run.lostWrites}`))
  return parts.length > 0 ? parts.join(', ') : chalk.green('consistent')
}

export function expectedText(run: RunResult): string {
  if (run.matchesExpected === null) return chalk.dim('–')
  return run.matchesExpected ? chalk.green('✓') : chalk.red('✗')
}

/** A store's value as a person reads it: the number, or what its absence means. */
export function showValue(value: number | null, absent: string): string {
  return value === null ? chalk.dim(absent) : String(value)
}
