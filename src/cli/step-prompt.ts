import type {Value} from '../history/types.js'
import {formatValue, sameValue} from '../history/value.js'
import {once} from 'node:events'
import {createInterface, type Interface} from 'node:readline'
import {stripVTControlCharacters} from 'node:util'

import chalk from 'chalk'

import {BadInputError} from '../errors/bad-input-error.js'
import {describeStep} from '../report/describe-step.js'
import type {StepHook} from '../run/run-scenarios.js'

/**
 * `--step`: before each step, shows what the step just taken returned and changed, what goes
 * next and both stores' values now, in at most 80 columns, and waits for Enter. Ctrl-C stops the run as anywhere else.
 */
export function createStepPrompt(signal: AbortSignal): {hook: StepHook; close: () => void} {
  if (!process.stdin.isTTY) {
    throw new BadInputError('--step waits for Enter before each step, so it needs a terminal (stdin is not one)')
  }
  let lines: Interface | null = null
  let before: {db: Value; cache: Value} | null = null
  const hook: StepHook = async (next, position, total, peek, lastStep) => {
    lines ??= createInterface({input: process.stdin, terminal: false})
    const now = await peek()
    const width = Math.min(80, process.stdout.columns ?? 80)
    const sends = next.sends === null ? '' : ` → ${show(next.sends, 24)}`
    // What the step just taken returned, and what it did to the stores.
    const changed = before === null ? '' : changes(before, now)
    before = now
    const last = lastStep?.() ?? null
    const lines2 = [
      ...(last ? [chalk.dim(`  ${last.actor} ${last.step}: ${describeStep(last) || 'ok'}`)] : []),
      `${chalk.dim(`step ${position + 1} of ${total}`)}  next: ${chalk.bold(`${next.actor} ${next.step}${sends}`)}`,
      `  now: MySQL ${show(now.db, 20)}, Redis ${show(now.cache, 20)}${changed}`,
      chalk.dim('  [Enter] go · Ctrl-C stop'),
    ]
    process.stdout.write(`${lines2.map((line) => fit(line, width)).join('\n')}\n`)
    await once(lines, 'line', {signal})
  }
  return {hook, close: () => lines?.close()}
}

function show(value: Value, max: number): string {
  return value === null ? '–' : formatValue(value, max)
}

/** "(MySQL 100 → 99)": what the last step changed, or nothing when it changed nothing. */
function changes(before: {db: Value; cache: Value}, now: {db: Value; cache: Value}): string {
  const parts: string[] = []
  if (!sameValue(before.db, now.db)) parts.push(`MySQL was ${show(before.db, 12)}`)
  if (!sameValue(before.cache, now.cache)) parts.push(`Redis was ${show(before.cache, 12)}`)
  return parts.length === 0 ? '' : `  (${parts.join(', ')})`
}

/** A line cut to the width, counting only what shows (not colour codes). */
function fit(line: string, width: number): string {
  return stripVTControlCharacters(line).length <= width ? line : `${stripVTControlCharacters(line).slice(0, width - 1)}…`
}
