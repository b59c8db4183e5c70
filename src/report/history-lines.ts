import chalk from 'chalk'

import {staleViews} from '../check/divergence.js'
import {formatValue} from '../history/value.js'
import type {Value} from '../history/types.js'
import type {RunResult} from '../run/result.js'
import {describeStep} from './describe-step.js'
import {plainText} from './fit-table.js'
import {terminalWidth, wrapText} from './terminal-width.js'

/**
 * A few lines that tell how a run went: each step, when it landed, what it read or wrote. Fits
 * the terminal's width (or 80 columns): long values (an app's JSON) wrap under their step, never cut.
 */
export function renderHistory(run: RunResult, options: {width?: number} = {}): string {
  const width = options.width ?? terminalWidth()
  const value = (v: Value, absent: string) => (v === null ? absent : formatValue(v, Infinity))
  const show = (v: Value) => formatValue(v, Infinity)
  const lines = wrapText(`${run.scenario}: MySQL ${value(run.db, 'no row')}, Redis ${value(run.cache, 'no key')}${run.divergent ? ' (divergent)' : ''}`, width).map((line, i) =>
    (i === 0 ? line.replace(run.scenario, chalk.bold(run.scenario)) : line).replace(' (divergent)', chalk.red(' (divergent)')),
  )
  /** Text under a hanging indent: the first line after `head`, the rest under its first character. */
  const hang = (head: string, text: string, paint: (line: string) => string) => {
    const indent = width - plainText(head).length >= 24 ? plainText(head).length : 6
    for (const [n, part] of wrapText(text, width - indent).entries()) lines.push(n === 0 ? `${head}${paint(part)}`.trimEnd() : ' '.repeat(indent) + paint(part))
  }
  const note = (text: string, paint: (line: string) => string) => {
    for (const [n, part] of wrapText(text, width - 4).entries()) lines.push(paint(`${n === 0 ? '  ' : '    '}${part}`))
  }
  const actorWidth = Math.max(...run.steps.map((s) => s.actor.length), 1)
  for (const step of run.steps) {
    const at = `${step.startMs.toFixed(1).padStart(7)} ms`
    hang(`  ${chalk.dim(at)}  ${step.actor.padEnd(actorWidth)}  ${step.step.padEnd(12)} `, describeStep(step, show), step.type === 'ok' ? (l) => l : chalk.red)
  }
  for (const read of run.reads) {
    note(`${read.anomaly} read: ${read.actor} got ${value(read.value, 'nothing')} at ${read.startMs.toFixed(1)} ms; MySQL had committed ${value(read.latest, 'no row')}`, chalk.yellow)
  }
  // What each write told its caller: a write that reported success while a step of it failed is the lesson.
  for (const op of run.operations.filter((o) => o.op === 'write')) {
    const failedStep = run.steps.some((s) => s.actor === op.actor && s.type !== 'ok' && s.startMs >= op.startMs && s.startMs <= op.endMs)
    if (op.type === 'ok' && failedStep) note(`${op.actor}'s write of ${show(op.value)} told its caller it succeeded, though a step of it failed`, chalk.yellow)
    else if (op.type !== 'ok') note(`${op.actor}'s write of ${show(op.value)} failed: ${op.error ?? 'outcome unknown'}`, chalk.dim)
  }
  for (const mismatch of run.mismatches) note(`not as expected: ${mismatch}`, chalk.red)
  const stale = new Set(staleViews(run).map(([actor]) => actor))
  for (const [actor, view] of Object.entries(run.views ?? {})) {
    note(`${actor}'s in-process cache: ${show(view)}${stale.has(actor) ? ' (not MySQL\'s: it serves the old value)' : ''}`, stale.has(actor) ? chalk.red : chalk.dim)
  }
  if (run.stuck) {
    for (const b of run.stuck) note(`stuck: ${b.actor}'s ${b.step} ${b.reason}`, chalk.red)
  }
  for (const line of wrapReplay(replayCommand(run), width)) lines.push(chalk.dim(line))
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

/**
 * The replay command after its label, broken at spaces with a backslash when it is wider than the
 * terminal: a shell joins the lines again (inside the quotes too), and --order reads any spacing.
 */
export function wrapReplay(command: string, width: number, label = 'replay:'): string[] {
  const text = `  ${label} ${command}`
  if (text.length <= width) return [text]
  const lines: string[] = []
  let line = ''
  for (const word of text.trimStart().split(' ')) {
    const indent = lines.length === 0 ? '  ' : '      '
    if (line !== '' && indent.length + line.length + 1 + word.length + 2 > width) {
      lines.push(`${indent}${line} \\`)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  lines.push(`${lines.length === 0 ? '  ' : '      '}${line}`)
  return lines
}
