import chalk from 'chalk'

import type {RunResult} from '../run/result.js'
import {orderNote, renderHistory} from './history-lines.js'
import {compactTable} from './table-style.js'
import {renderTimeline} from './timeline.js'
import {expectedText, showValue, verdictText} from './verdict.js'

/**
 * The `run` report: one row per run, then, for every run that diverged, read stale data or
 * did not match its expectation, the history that shows how.
 */
export function renderRunTable(runs: readonly RunResult[], options: {timeline?: boolean} = {}): string {
  const table = compactTable(['scenario', 'strategy', 'MySQL', 'Redis', 'verdict', 'DB queries', 'expected?', 'duration'])
  for (const run of runs) {
    table.push([
      run.scenario,
      run.strategy,
      showValue(run.db, 'no row'),
      showValue(run.cache, 'no key'),
      verdictText(run),
      String(run.dbQueries),
      expectedText(run),
      `${Math.round(run.durationMs)} ms`,
    ])
  }
  const notes = runs.flatMap((r) => [
    ...r.unfired.map((what) => chalk.yellow(`note: ${r.scenario}: ${what} never fired (its actor never took that step)`)),
    ...[orderNote(r)].flatMap((note) => (note ? [chalk.yellow(`note: ${note}`)] : [])),
  ])
  const head = [table.toString(), ...notes].join('\n')
  if (options.timeline) return [head, ...runs.map(renderTimeline)].join('\n\n')
  const notable = runs.filter((r) => r.divergent || r.staleReads > 0 || r.dirtyReads > 0 || r.matchesExpected === false || r.stuck)
  return [head, ...notable.map(renderHistory)].join('\n\n')
}
