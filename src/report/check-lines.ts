import chalk from 'chalk'

import type {CheckResult} from '../run/check-scenarios.js'
import {plural} from '../util/plural.js'

/** One line per scenario: ✓ or ✗ (or – when it pins nothing), its name, and what was seen or why it failed. */
export function renderCheckLine(result: CheckResult, nameWidth: number): string {
  const mark = result.status === 'pass' ? chalk.green('✓') : result.status === 'fail' ? chalk.red('✗') : chalk.dim('–')
  const detail = result.status === 'fail' ? chalk.red(result.reasons.join('; ')) : chalk.dim(result.summary)
  return `${mark} ${result.scenario.padEnd(nameWidth)}  ${detail}`
}

export function renderCheckSummary(results: readonly CheckResult[]): string {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length
  const failed = count('fail')
  const text = `${plural(results.length, 'scenario')}: ${count('pass')} passed, ${failed} failed, ${count('skip')} without expect:`
  return failed > 0 ? chalk.red(text) : chalk.green(text)
}
