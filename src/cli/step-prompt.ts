import type {Value} from '../history/types.js'
import {formatValue} from '../history/value.js'
import {once} from 'node:events'
import {createInterface, type Interface} from 'node:readline'

import chalk from 'chalk'

import {BadInputError} from '../errors/bad-input-error.js'
import type {StepHook} from '../run/run-scenarios.js'

/**
 * `--step`: before each step, shows what goes next and both stores' values now, and waits for
 * Enter. Ctrl-C stops the run as anywhere else.
 */
export function createStepPrompt(signal: AbortSignal): {hook: StepHook; close: () => void} {
  if (!process.stdin.isTTY) {
    throw new BadInputError('--step waits for Enter before each step, so it needs a terminal (stdin is not one)')
  }
  let lines: Interface | null = null
  const hook: StepHook = async (next, position, total, peek) => {
    lines ??= createInterface({input: process.stdin, terminal: false})
    const now = await peek()
    const sends = next.sends === null ? '' : ` → ${next.sends}`
    process.stdout.write(
      `${chalk.dim(`step ${position + 1} of ${total}`)}  next: ${chalk.bold(`${next.actor} ${next.step}${sends}`)}` +
        `   now: MySQL ${show(now.db)}, Redis ${show(now.cache)}   ${chalk.dim('[Enter] go · Ctrl-C stop')}\n`,
    )
    await once(lines, 'line', {signal})
  }
  return {hook, close: () => lines?.close()}
}

function show(value: Value): string {
  return value === null ? '–' : formatValue(value)
}
