import chalk from 'chalk'
import {compactTable} from './table-style.js'

import {switches} from '../schedule/explore.js'
import type {ExploreResult} from '../run/explore-scenario.js'
import {renderHistory} from './history-lines.js'
import {plural} from '../util/plural.js'
import {renderTimeline} from './timeline.js'

/**
 * The `explore` report: one row per scenario, then each scenario's witness: its shortest
 * divergent order (fewest steps, then fewest switches between actors).
 */
export function renderExploreTable(results: readonly ExploreResult[], options: {timeline?: boolean} = {}): string {
  const table = compactTable(['scenario', 'strategy', 'orders', 'behaviours', 'impossible', 'divergent', 'w/ stale reads', 'w/ dirty reads', 'expected?', 'time'])
  for (const r of results) {
    table.push([
      r.scenario,
      r.strategy,
      r.mode === 'random' ? `${r.orders} sampled${coverage(r)}` : `${r.orders}${r.complete ? '' : '+'}`,
      r.divergentBehaviours > 0 ? `${r.behaviours} (${chalk.red.bold(`${r.divergentBehaviours} divergent`)})` : String(r.behaviours),
      count(r.impossibleOrders, chalk.yellow),
      count(r.divergentOrders, chalk.red.bold),
      count(r.staleOrders, chalk.yellow),
      count(r.dirtyOrders, chalk.yellow),
      r.matchesExpected === null ? chalk.dim('–') : r.matchesExpected ? chalk.green('✓') : chalk.red('✗'),
      r.durationMs < 1000 ? `${Math.round(r.durationMs)} ms` : `${(r.durationMs / 1000).toFixed(1)} s`,
    ])
  }
  const sections = [table.toString()]
  const reduction = reductionNote(results)
  if (reduction) sections.push(chalk.dim(reduction))
  for (const r of results) {
    const notes: string[] = []
    if (!r.complete) {
      notes.push(chalk.yellow(`${r.scenario}: stopped after ${plural(r.orders, 'order')} (--max-orders); there are more: raise --max-orders or sample with --random N --seed S`))
    }
    for (const mismatch of r.mismatches) notes.push(chalk.red(`${r.scenario}: not as expected: ${mismatch}`))
    if (r.mode === 'random' && r.expected === null && r.distinctOrders > 0) {
      notes.push(chalk.dim(`${r.scenario}: counts are of ${plural(r.orders, 'sampled order')}, none twice; expect: explore: is held only to a full search`))
    }
    const pct = r.sampled?.pct
    if (pct) {
      const all = 1 - (1 - pct.bound) ** r.orders
      notes.push(
        chalk.dim(
          `${r.scenario}: PCT depth ${pct.depth} (${pct.actors} actors, ${pct.steps} steps): one run finds a given bug of depth ${pct.depth} with probability ≥ ${formatChance(pct.bound)}; ${plural(r.orders, 'distinct run')}: ≥ ${formatChance(all)}`,
        ),
      )
    }
    if (r.sampled && !r.sampled.filled && pct) {
      notes.push(chalk.yellow(`${r.scenario}: PCT gave ${plural(r.orders, 'distinct order')} in ${plural(r.sampled.draws, 'draw')}: depth ${pct.depth} has few distinct schedules; raise --depth for more, or drop --depth for uniform sampling`))
    } else if (r.sampled && !r.sampled.filled) {
      notes.push(chalk.yellow(`${r.scenario}: only ${plural(r.orders, 'distinct order')} in ${plural(r.sampled.draws, 'draw')}: the space likely holds no more; explore without --random visits every order`))
    }
    for (const what of r.unfired) notes.push(chalk.yellow(`note: ${r.scenario}: ${what} fired in no order (its actor never took that step)`))
    for (const run of r.stuckRuns) {
      const why = run.stuck!.map((b) => `${b.actor}'s ${b.step} ${b.reason}`).join('; ')
      notes.push(chalk.yellow(`impossible: ${run.order.join(' ')} … then ${why}`))
    }
    const more = r.impossibleOrders - r.stuckRuns.length
    if (more > 0) notes.push(chalk.yellow(`… and ${plural(more, 'more impossible order')} (--json lists them all)`))
    if (r.witnessRun) {
      const w = r.witnessRun
      notes.push(chalk.bold(`witness for ${r.scenario}`) + chalk.dim(` (${plural(w.order.length, 'step')}, ${plural(switches(w.order), "switch", "switches")})`))
      notes.push(options.timeline ? renderTimeline(w) : renderHistory(w))
    } else if (r.exampleRun) {
      const e = r.exampleRun
      const what = e.staleReads > 0 ? 'stale reads' : 'dirty reads'
      notes.push(chalk.bold(`no order of ${r.scenario} diverged; an order with ${what}`) + chalk.dim(` (${plural(e.order.length, 'step', 'steps')})`))
      notes.push(options.timeline ? renderTimeline(e) : renderHistory(e))
    }
    if (notes.length > 0) sections.push(notes.join('\n'))
  }
  return sections.join('\n\n')
}

/** One line under the table: what the orders column counts when the search was reduced. */
function reductionNote(results: readonly ExploreResult[]): string | null {
  const reduced = results.filter((r) => r.reduced)
  if (reduced.length === 0) return null
  const classes = reduced.reduce((n, r) => n + r.orders, 0)
  const represented = reduced.every((r) => r.ordersRepresented !== null) ? reduced.reduce((n, r) => n + r.ordersRepresented!, 0) : null
  const full = results.filter((r) => r.notReduced === 'pinned').map((r) => r.scenario)
  const which = reduced.length === results.length ? '' : ` (${reduced.length} of ${results.length} scenarios)`
  const standing = represented === null ? '' : `, standing for ${plural(represented, 'order')}`
  const pinned = full.length === 0 ? '' : `; searched in full because their expect: pins order counts: ${full.join(', ')}`
  return `orders${which}: one per class of orders that differ only by swapping steps that commute, ${plural(classes, 'class', 'classes')}${standing}; --no-reduce runs every order${pinned}`
}

function formatChance(p: number): string {
  return p >= 0.01 ? `${Math.round(p * 100)}%` : p.toPrecision(2)
}

/** What share of the orders a sample covers, against the estimate from its first run's steps. */
function coverage(r: ExploreResult): string {
  const estimate = r.sampled?.spaceEstimate
  if (!estimate) return ''
  const share = Math.min(100, (100 * r.orders) / estimate)
  return ` of ≈${estimate} (${share < 1 ? share.toPrecision(1) : Math.round(share)}%)`
}

function count(n: number, colour: (text: string) => string): string {
  return n === 0 ? chalk.dim('0') : colour(String(n))
}
