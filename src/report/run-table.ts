import chalk from 'chalk'

import {formatValue} from '../history/value.js'
import type {Value} from '../history/types.js'
import type {RunResult} from '../run/result.js'
import {type FitCell, fitTable, plainText} from './fit-table.js'
import {orderNote, renderHistory} from './history-lines.js'
import {terminalWidth, wrapText} from './terminal-width.js'
import {renderTimeline} from './timeline.js'
import {expectedText, verdictText} from './verdict.js'

/**
 * The `run` report: one row per run, then, for every run that diverged, read stale data or
 * did not match its expectation, the history that shows how. The table fits the terminal (or 80
 * columns): cells wrap, values are never cut.
 */
export function renderRunTable(runs: readonly RunResult[], options: {timeline?: boolean; width?: number} = {}): string {
  const width = options.width ?? terminalWidth()
  const cells = (run: RunResult, stacked: boolean): FitCell[] => [
    // Narrow: the strategy goes under the scenario's name, a column fewer.
    stacked ? {text: `${run.scenario}\n(${run.strategy})`, paint: (line) => (line.startsWith('(') || !line.includes(run.scenario.slice(0, 3)) ? chalk.dim(line) : line)} : {text: run.scenario},
    ...(stacked ? [] : [{text: run.strategy}]),
    store(run.db, 'no row'),
    store(run.cache, 'no key'),
    {text: plainText(verdictText(run)), paint: paintVerdict},
    {text: String(run.dbQueries)},
    {text: plainText(expectedText(run)), paint: run.matchesExpected === null ? chalk.dim : run.matchesExpected ? chalk.green : chalk.red},
    {text: `${Math.round(run.durationMs)} ms`},
  ]
  const wide = ['scenario', 'strategy', 'MySQL', 'Redis', 'verdict', 'DB queries', 'expected?', 'time']
  const natural = wide.map((h, i) => Math.max(h.length, ...runs.map((run) => cells(run, false)[i]!.text.length))).reduce((a, b) => a + b, 0) + 3 * wide.length + 1
  const stacked = natural > width
  const head = stacked ? wide.filter((h) => h !== 'strategy') : wide
  const table = fitTable(head, runs.map((run) => cells(run, stacked)), width)
  const notes = runs.flatMap((r) => [
    ...wrapText(`note: ${r.scenario}: ${r.unfired.join(', ')} never fired (its actor never took that step)`, width).filter(() => r.unfired.length > 0),
    ...[orderNote(r)].flatMap((note) => (note ? wrapText(`note: ${note}`, width) : [])),
  ]).map((l) => chalk.yellow(l))
  const top = [table, ...notes].join('\n')
  if (options.timeline) return [top, ...runs.map((run) => renderTimeline(run, {width}))].join('\n\n')
  const notable = runs.filter((r) => r.divergent || r.staleReads > 0 || r.dirtyReads > 0 || r.matchesExpected === false || r.stuck)
  return [top, ...notable.map(renderHistory)].join('\n\n')
}

function store(value: Value, absent: string): FitCell {
  return value === null ? {text: absent, paint: chalk.dim} : {text: formatValue(value, Infinity)}
}

/** The verdict's colours, line by line once wrapped. */
function paintVerdict(line: string): string {
  if (/DIVERGENT|STUCK|lost/.test(line)) return chalk.red(line)
  if (/stale|dirty|unknown/.test(line)) return chalk.yellow(line)
  return /consistent/.test(line) ? chalk.green(line) : line
}
