import chalk from 'chalk'

import {formatValue} from '../history/value.js'
import type {Value} from '../history/types.js'
import type {RunResult} from '../run/result.js'
import {type FitCell, fitTable, naturalWidth, plainText, stackedCell} from './fit-table.js'
import {orderNote, renderHistory} from './history-lines.js'
import {shortNames} from './race-story.js'
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
  const cells = (run: RunResult, stacked: boolean, names: Map<string, string> = new Map()): FitCell[] => [
    // Narrow: the strategy goes under the scenario's name, a column fewer.
    stacked ? stackedCell(run.scenario, run.strategy) : {text: run.scenario},
    ...(stacked ? [] : [{text: run.strategy}]),
    store(run.db, 'no row', names),
    store(run.cache, 'no key', names),
    {text: plainText(verdictText(run)), paint: paintVerdict},
    {text: String(run.dbQueries)},
    {text: plainText(expectedText(run)), paint: run.matchesExpected === null ? chalk.dim : run.matchesExpected ? chalk.green : chalk.red},
    {text: `${Math.round(run.durationMs)} ms`},
  ]
  const wide = ['scenario', 'strategy', 'MySQL', 'Redis', 'verdict', 'DB queries', 'expected?', 'time']
  const stacked = naturalWidth(wide, runs.map((run) => cells(run, false))) > width
  const head = stacked ? wide.filter((h) => h !== 'strategy') : wide
  // Too narrow for an app's JSON values in the table: v1, v2 in their cells, spelled out in full under it.
  const names = stacked ? shortNames(runs.flatMap((run) => [run.db, run.cache]), VALUE_WIDTH) : new Map<string, string>()
  const table = fitTable(head, runs.map((run) => cells(run, stacked, names)), width)
  const legend = [...names].flatMap(([text, name]) => wrapText(`${name} = ${text}`, width - 4).map((line, i) => chalk.dim(i === 0 ? `  ${line}` : `    ${line}`)))
  const notes = runs.flatMap((r) => [
    ...wrapText(`note: ${r.scenario}: ${r.unfired.join(', ')} never fired (its actor never took that step)`, width).filter(() => r.unfired.length > 0),
    ...[orderNote(r)].flatMap((note) => (note ? wrapText(`note: ${note}`, width) : [])),
  ]).map((l) => chalk.yellow(l))
  const top = [table, ...legend, ...notes].join('\n')
  if (options.timeline) return [top, ...runs.map((run) => renderTimeline(run, {width}))].join('\n\n')
  const notable = runs.filter((r) => r.divergent || r.staleReads > 0 || r.dirtyReads > 0 || r.matchesExpected === false || r.stuck)
  return [top, ...notable.map((run) => renderHistory(run, {width}))].join('\n\n')
}

/** The widest value a narrow table shows in its cell; wider ones make every value get a short name. */
const VALUE_WIDTH = 16

function store(value: Value, absent: string, names: Map<string, string>): FitCell {
  if (value === null) return {text: absent, paint: chalk.dim}
  const text = formatValue(value, Infinity)
  return {text: names.get(text) ?? text}
}

/** The verdict's colours, line by line once wrapped. */
function paintVerdict(line: string): string {
  if (/DIVERGENT|STUCK|lost/.test(line)) return chalk.red(line)
  if (/stale|dirty|unknown/.test(line)) return chalk.yellow(line)
  return /consistent/.test(line) ? chalk.green(line) : line
}
