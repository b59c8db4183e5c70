import chalk from 'chalk'

import type {Value} from '../history/types.js'
import {formatValue, sameValue} from '../history/value.js'
import {divergedAt, inEffectOrder, stateAfterEachStep} from './store-model.js'
import type {RunResult} from '../run/result.js'
import {describeStep} from './describe-step.js'
import {replayCommand} from './history-lines.js'
import {showValue} from './verdict.js'

const WIDTH = 80

/**
 * A terminal swimlane: one column per actor, one row per step in the order the servers saw them,
 * with what each step read or wrote, the stores' values after it, and the step after which they
 * diverged for good. Fits 80 columns.
 */
export function renderTimeline(run: RunResult): string {
  const {initial} = run
  const actors = [...new Set(run.steps.map((s) => s.actor))].sort()
  const states = stateAfterEachStep(run)
  const diverged = divergedAt(states, run.steps)
  const fixed = 2 + 4 + 7 + 7 + 11
  const lane = Math.max(10, Math.floor((WIDTH - fixed) / Math.max(1, actors.length)))
  const cell = (text: string) => fit(text, lane - 1).padEnd(lane)
  // Values too wide for a store column (an app's JSON) get short names, spelled out below.
  const names = shortNames([initial.db, initial.cache, ...run.steps.flatMap((s) => [states[s.index]!.db, states[s.index]!.cache])])
  const showPlain = (value: Value) => names.get(formatValue(value, Infinity)) ?? plain(value)

  const lines = [
    `${chalk.bold(run.scenario)} ${chalk.dim(`(${run.strategy})`)}: MySQL ${showValue(run.db, 'no row')}, Redis ${showValue(run.cache, 'no key')}` +
      (run.divergent ? chalk.red(' — divergent') : ''),
    chalk.bold(`  ${'#'.padStart(3)} ${actors.map(cell).join('')}${'MySQL'.padEnd(7)}${'Redis'.padEnd(7)}`),
    chalk.dim(`  ${''.padStart(3)} ${actors.map(() => cell('')).join('')}${showPlain(initial.db).padEnd(7)}${showPlain(initial.cache).padEnd(7)}start`),
  ]
  // Rows in the order the steps took effect, so that each row's store values follow from the rows above.
  const rows = inEffectOrder(run.steps)
  for (const [row, step] of rows.entries()) {
    const waited = run.steps.some((other) => other.startMs > step.startMs && step.endMs !== null && other.startMs < step.endMs && other.actor !== step.actor)
    const text = `${step.step} ${describeStep(step)}${waited ? ' (waited)' : ''}`.trim()
    const lanes = actors.map((actor) => (actor === step.actor ? paint(cell(text), step.type) : cell(''))).join('')
    const state = states[step.index]!
    const disagree = state.cache !== null && !sameValue(state.cache, state.db)
    const marker = step.index === diverged ? chalk.red.bold('◀ diverged') : disagree ? chalk.yellow('≠') : ''
    lines.push(`  ${String(row + 1).padStart(3)} ${lanes}${showPlain(state.db).padEnd(7)}${showPlain(state.cache).padEnd(7)}${marker}`.trimEnd())
  }
  lines.push(chalk.dim('  rows: in the order the steps took effect · ≠ the stores disagree'))
  for (const [text, name] of names) lines.push(chalk.dim(fit(`  ${name} = ${text}`, WIDTH)))
  for (const read of run.reads) {
    lines.push(chalk.yellow(fit(`  ${read.anomaly} read: ${read.actor} got ${showPlain(read.value)}; MySQL had committed ${showPlain(read.latest)}`, WIDTH)))
  }
  lines.push(chalk.dim(fit(`  replay: ${replayCommand(run)}`, Infinity)))
  return lines.join('\n')
}

function paint(text: string, type: string): string {
  return type === 'ok' ? text : chalk.red(text)
}

function plain(value: Value): string {
  return value === null ? '–' : formatValue(value, Infinity)
}

/** v1, v2, … for each distinct value wider than a store column, in the order met; empty when all fit. */
function shortNames(values: readonly Value[]): Map<string, string> {
  const texts = values.map((v) => plain(v))
  const names = new Map<string, string>()
  if (texts.every((t) => t.length <= 6)) return names
  for (const text of texts) if (text !== '–' && !names.has(text)) names.set(text, `v${names.size + 1}`)
  return names
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`
}
