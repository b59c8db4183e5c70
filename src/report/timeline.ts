import chalk from 'chalk'

import type {RunResult} from '../run/result.js'
import {replayCommand, wrapReplay} from './history-lines.js'
import {readWords, tellRace} from './race-story.js'
import {terminalWidth, wrapText} from './terminal-width.js'

const STORE = 7

/**
 * A terminal swimlane: one column per actor (A2 before A10), one row per step in the order the
 * steps took effect, with what each step read or wrote (wrapped, never cut), the stores' values
 * after it, the step that made them disagree for good and why, and the stale or dirty reads on
 * the step that returned them. Fits the terminal's width, or 80 columns.
 */
export function renderTimeline(run: RunResult, options: {width?: number} = {}): string {
  const width = options.width ?? terminalWidth()
  // Values too wide for a store column (an app's JSON) get short names, spelled out below.
  const story = tellRace(run, {width: STORE - 1})
  const {actors} = story
  const marks = story.rows.map((row) => (row.divergedWhy !== null ? '◀ diverged' : row.reads.length > 0 ? `◀ ${row.reads[0]!.anomaly} read` : row.disagree ? '≠' : ''))
  const markWidth = Math.max('start'.length, ...marks.map((m) => m.length))
  const fixed = 2 + 4 + 2 * STORE + markWidth
  // Too many actors for a lane each: one column of steps, each with its actor's name.
  const lanes = Math.floor((width - fixed) / Math.max(1, actors.length)) >= 8
  const actorWidth = Math.max(...actors.map((a) => a.length)) + 1
  const lane = lanes ? Math.floor((width - fixed) / Math.max(1, actors.length)) : Math.max(10, width - fixed - actorWidth)
  const store = (text: string) => text.padEnd(STORE)
  const numberOf = new Map(story.rows.map((row, i) => [row.step.index, i + 1]))

  const lines = [
    ...wrapText(`${run.scenario} (${run.strategy}): MySQL ${run.db === null ? 'no row' : story.show(run.db)}, Redis ${run.cache === null ? 'no key' : story.show(run.cache)}${run.divergent ? ' — divergent' : ''}`, width).map((line, i) =>
      i === 0 ? line.replace(run.scenario, chalk.bold(run.scenario)).replace(' — divergent', chalk.red(' — divergent')) : line,
    ),
    chalk.bold(`  ${'#'.padStart(3)} ${lanes ? actors.map((a) => a.padEnd(lane)).join('') : `${''.padEnd(actorWidth)}${'step'.padEnd(lane)}`}${store('MySQL')}${store('Redis')}`.trimEnd()),
    chalk.dim(`  ${''.padStart(3)} ${''.padEnd(lanes ? lane * actors.length : actorWidth + lane)}${store(story.show(story.initial.db))}${store(story.show(story.initial.cache))}start`),
  ]
  for (const [i, row] of story.rows.entries()) {
    const {step} = row
    const sent = row.sentAs === null ? '' : ` (sent #${row.sentAs})`
    const text = `${step.step} ${row.text}${sent}`.trim()
    const wrapped = wrapText(text, lane - 1)
    const mark = marks[i]!
    const painted = row.divergedWhy !== null ? chalk.red.bold(mark) : chalk.yellow(mark)
    for (const [n, part] of wrapped.entries()) {
      const cell = step.type === 'ok' ? part.padEnd(lane) : chalk.red(part.padEnd(lane))
      const body = lanes ? actors.map((actor) => (actor === step.actor ? cell : ''.padEnd(lane))).join('') : `${(n === 0 ? step.actor : '').padEnd(actorWidth)}${cell}`
      const head = n === 0 ? String(i + 1).padStart(3) : ''.padStart(3)
      const tail = n === 0 ? `${store(story.show(row.state.db))}${store(story.show(row.state.cache))}${painted}` : ''
      lines.push(`  ${head} ${body}${tail}`.trimEnd())
    }
  }
  const note = (text: string, paint: (s: string) => string) => {
    for (const [n, part] of wrapText(text, width - 4).entries()) lines.push(paint(`${n === 0 ? '  ' : '    '}${part}`))
  }
  note('rows: in the order the steps took effect · ≠ the stores disagree', chalk.dim)
  for (const [text, name] of story.names) note(`${name} = ${text}`, chalk.dim)
  for (const row of story.rows) {
    if (row.divergedWhy !== null) note(`◀ diverged for good at ${numberOf.get(row.step.index)}: ${row.divergedWhy}`, chalk.red)
    for (const read of row.reads) note(`◀ ${numberOf.get(row.step.index)}: ${readWords(read, story.show)}`, chalk.yellow)
  }
  for (const line of wrapReplay(replayCommand(run), width)) lines.push(chalk.dim(line))
  return lines.join('\n')
}
