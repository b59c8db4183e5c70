import chalk from 'chalk'

import {switches} from '../schedule/explore.js'
import {MAX_FIRINGS_PER_STEP, MAX_TIMER_STEPS} from '../schedule/stepped.js'
import type {ExploreResult} from '../run/explore-scenario.js'
import {type FitCell, fitTable, naturalWidth, stackedCell} from './fit-table.js'
import {renderHistory} from './history-lines.js'
import {plural} from '../util/plural.js'
import {terminalWidth, wrapText} from './terminal-width.js'
import {renderTimeline} from './timeline.js'

const WIDE = ['scenario', 'strategy', 'orders', 'behaviours', 'impossible', 'divergent', 'w/ stale reads', 'w/ dirty reads', 'expected?', 'time']
const NARROW = ['scenario', 'orders', 'of which', 'behaviours', 'expected?']

/**
 * The `explore` report: one row per scenario, then each scenario's notes and witness: its
 * shortest divergent order (fewest steps, then fewest switches between actors). Fits the
 * terminal (or 80 columns): when the ten columns do not, a row takes two lines, the strategy
 * under the scenario, the time under the orders, and the orders that went wrong counted in one
 * column by kind ("10 divergent", "16 read stale"). Nothing is cut.
 */
export function renderExploreTable(results: readonly ExploreResult[], options: {timeline?: boolean; width?: number} = {}): string {
  const width = options.width ?? terminalWidth()
  const wide = results.map(wideCells)
  const table = naturalWidth(WIDE, wide) <= width ? fitTable(WIDE, wide, width) : fitTable(NARROW, results.map(narrowCells), width)
  const sections = [table]
  const reduction = reductionNote(results)
  if (reduction) sections.push(wrapText(reduction, width - 2).map((line, i) => chalk.dim(i === 0 ? line : `  ${line}`)).join('\n'))
  for (const r of results) {
    const lines = notes(r).flatMap(({text, paint}) => wrapText(text, width - 2).map((line, i) => paint(i === 0 ? line : `  ${line}`)))
    if (r.witnessRun) {
      const w = r.witnessRun
      lines.push(...heading(`witness for ${r.scenario}`, `(${plural(w.order.length, 'step')}, ${plural(switches(w.order), 'switch', 'switches')})`, width))
      lines.push(options.timeline ? renderTimeline(w, {width}) : renderHistory(w, {width}))
    } else if (r.exampleRun) {
      const e = r.exampleRun
      const what = e.staleReads > 0 ? 'stale reads' : 'dirty reads'
      lines.push(...heading(`no order of ${r.scenario} diverged; an order with ${what}`, `(${plural(e.order.length, 'step', 'steps')})`, width))
      lines.push(options.timeline ? renderTimeline(e, {width}) : renderHistory(e, {width}))
    }
    if (lines.length > 0) sections.push(lines.join('\n'))
  }
  return sections.join('\n\n')
}

/** The ten columns, one line a row, for a terminal wide enough. */
function wideCells(r: ExploreResult): FitCell[] {
  return [
    {text: r.scenario},
    {text: r.strategy},
    {text: ordersText(r)},
    behavioursCell(r),
    count(r.impossibleOrders, chalk.yellow),
    count(r.divergentOrders, chalk.red.bold),
    count(r.staleOrders, chalk.yellow),
    count(r.dirtyOrders, chalk.yellow),
    expectedCell(r),
    {text: duration(r)},
  ]
}

/** Five columns, two lines a row, for 80 columns: the figures of the wide table, none dropped. */
function narrowCells(r: ExploreResult): FitCell[] {
  const time = duration(r)
  return [
    stackedCell(r.scenario, r.strategy),
    {text: `${ordersText(r)}\n${time}`, paint: (line) => (line === time ? chalk.dim(line) : line)},
    {text: outcomes(r).join('\n'), paint: paintOutcome},
    behavioursCell(r),
    expectedCell(r),
  ]
}

/** How many orders went wrong, by kind, only the kinds that happened; "all consistent" when none did. */
function outcomes(r: ExploreResult): string[] {
  const kinds: [number, string][] = [
    [r.divergentOrders, 'divergent'],
    [r.staleOrders, 'read stale'],
    [r.dirtyOrders, 'read dirty'],
    [r.impossibleOrders, 'impossible'],
  ]
  const found = kinds.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`)
  if (found.length > 0) return found
  return [r.orders > 0 && r.consistentOrders === r.orders ? 'all consistent' : `${r.consistentOrders} consistent`]
}

function paintOutcome(line: string): string {
  if (/divergent/.test(line)) return chalk.red.bold(line)
  return /consistent/.test(line) ? chalk.green(line) : chalk.yellow(line)
}

/**
 * Lines under a scenario's row, before its witness: how the search went (stopped early, sampled),
 * what was not as expected, and the orders that could not finish. A further figure of a
 * scenario's search is one more line in `searchNotes`.
 */
function notes(r: ExploreResult): {text: string; paint: (line: string) => string}[] {
  const notes = searchNotes(r)
  for (const mismatch of r.mismatches) notes.push({text: `${r.scenario}: not as expected: ${mismatch}`, paint: chalk.red})
  for (const what of r.unfired) notes.push({text: `note: ${r.scenario}: ${what} fired in no order (its actor never took that step)`, paint: chalk.yellow})
  for (const run of r.stuckRuns) {
    const why = run.stuck!.map((b) => `${b.actor}'s ${b.step} ${b.reason}`).join('; ')
    notes.push({text: `impossible: ${shortOrder(run.order)} … then ${why}`, paint: chalk.yellow})
  }
  const more = r.impossibleOrders - r.stuckRuns.length
  if (more > 0) notes.push({text: `… and ${plural(more, 'more impossible order')} (--json lists them all)`, paint: chalk.yellow})
  return notes
}

/** What a reader must know about how the orders were searched to read the counts right. */
function searchNotes(r: ExploreResult): {text: string; paint: (line: string) => string}[] {
  const notes: {text: string; paint: (line: string) => string}[] = []
  if (!r.complete) {
    notes.push({text: `${r.scenario}: stopped after ${plural(r.orders, 'order')} (--max-orders); there are more: raise --max-orders or sample with --random N --seed S`, paint: chalk.yellow})
  }
  if (r.timersCutOrders > 0) {
    notes.push({
      text: `${r.scenario}: in ${plural(r.timersCutOrders, 'order')} a sleeper's timer steps were cut (${MAX_TIMER_STEPS} a run, or ${MAX_FIRINGS_PER_STEP} timers fired in one); its later timers fired only when nothing else could go, so orders past that were not tried`,
      paint: chalk.yellow,
    })
  }
  if (r.mode === 'random' && r.expected === null && r.distinctOrders > 0) {
    notes.push({text: `${r.scenario}: counts are of ${plural(r.orders, 'sampled order')}, none twice; expect: explore: is held only to a full search`, paint: chalk.dim})
  }
  const pct = r.sampled?.pct
  if (pct) {
    const all = 1 - (1 - pct.bound) ** r.orders
    notes.push({
      text: `${r.scenario}: PCT depth ${pct.depth} (${pct.actors} actors, ${pct.steps} steps): one run finds a given bug of depth ${pct.depth} with probability ≥ ${formatChance(pct.bound)}; ${plural(r.orders, 'distinct run')}: ≥ ${formatChance(all)}`,
      paint: chalk.dim,
    })
  }
  if (r.sampled && !r.sampled.filled && pct) {
    notes.push({text: `${r.scenario}: PCT gave ${plural(r.orders, 'distinct order')} in ${plural(r.sampled.draws, 'draw')}: depth ${pct.depth} has few distinct schedules; raise --depth for more, or drop --depth for uniform sampling`, paint: chalk.yellow})
  } else if (r.sampled && !r.sampled.filled) {
    notes.push({text: `${r.scenario}: only ${plural(r.orders, 'distinct order')} in ${plural(r.sampled.draws, 'draw')}: the space likely holds no more; explore without --random visits every order`, paint: chalk.yellow})
  }
  return notes
}

/** One line under the table: what the orders column counts when the search was reduced. */
function reductionNote(results: readonly ExploreResult[]): string | null {
  const reduced = results.filter((r) => r.reduced)
  const apps = results.filter((r) => r.notReduced === 'app').map((r) => r.scenario)
  if (reduced.length === 0) {
    return apps.length === 0 ? null : "every order was explored: an app's actors may share in-process state cachesim cannot see; give --reduce when each actor's state is its own"
  }
  const classes = reduced.reduce((n, r) => n + r.orders, 0)
  const represented = reduced.every((r) => r.ordersRepresented !== null) ? reduced.reduce((n, r) => n + r.ordersRepresented!, 0) : null
  const full = results.filter((r) => r.notReduced === 'pinned').map((r) => r.scenario)
  const which = reduced.length === results.length ? '' : ` (${reduced.length} of ${results.length} scenarios)`
  const standing = represented === null ? '' : `, standing for ${plural(represented, 'order')}`
  const pinned = full.length === 0 ? '' : `; searched in full because their expect: pins order counts: ${full.join(', ')}`
  const appNote = apps.length === 0 ? '' : `; every order of the apps (${apps.join(', ')}): give --reduce when each actor's state is its own`
  return `orders${which}: one per class of orders that differ only by swapping steps that commute, ${plural(classes, 'class', 'classes')}${standing}; --no-reduce runs every order${pinned}${appNote}`
}

function formatChance(p: number): string {
  return p >= 0.01 ? `${Math.round(p * 100)}%` : p.toPrecision(2)
}

/** A witness's heading: bold, then a dim aside, wrapped to the width. */
function heading(title: string, aside: string, width: number): string[] {
  return wrapText(`${title} ${aside}`, width - 2).map((line, i) => (i === 0 ? line.replace(title, chalk.bold(title)).replace(aside, chalk.dim(aside)) : `  ${line}`))
}

function ordersText(r: ExploreResult): string {
  return r.mode === 'random' ? `${r.orders} sampled${coverage(r)}` : `${r.orders}${r.complete ? '' : '+'}`
}

function behavioursCell(r: ExploreResult): FitCell {
  if (r.divergentBehaviours === 0) return {text: String(r.behaviours)}
  return {text: `${r.behaviours} (${r.divergentBehaviours} divergent)`, paint: (line) => line.replace(/(\d+ )?divergent/, (m) => chalk.red.bold(m))}
}

function expectedCell(r: ExploreResult): FitCell {
  if (r.matchesExpected === null) return {text: '–', paint: chalk.dim}
  return r.matchesExpected ? {text: '✓', paint: chalk.green} : {text: '✗', paint: chalk.red}
}

function duration(r: ExploreResult): string {
  return r.durationMs < 1000 ? `${Math.round(r.durationMs)} ms` : `${(r.durationMs / 1000).toFixed(1)} s`
}

/** What share of the orders a sample covers, against the estimate from its first run's steps. */
function coverage(r: ExploreResult): string {
  const estimate = r.sampled?.spaceEstimate
  if (!estimate) return ''
  const share = Math.min(100, (100 * r.orders) / estimate)
  return ` of ≈${estimate} (${share < 1 ? share.toPrecision(1) : Math.round(share)}%)`
}

function count(n: number, colour: (text: string) => string): FitCell {
  return {text: String(n), paint: n === 0 ? chalk.dim : colour}
}

/** An order short enough to read in a note: a long one (a poll that went on and on) keeps its start and end. */
function shortOrder(order: readonly string[]): string {
  if (order.length <= 24) return order.join(' ')
  return `${order.slice(0, 12).join(' ')} … (${order.length - 18} more steps) … ${order.slice(-6).join(' ')}`
}
