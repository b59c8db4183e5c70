import chalk from 'chalk'
import {compactTable} from './table-style.js'

import type {MatrixCell, MatrixResult} from '../run/matrix.js'
import {replayCommand} from './history-lines.js'
import {plural} from '../util/plural.js'

/** Cell text: the verdict, with how many behaviours showed it, and a mark when it is not the literature's. */
function cellText(cell: MatrixCell | undefined, plain: boolean): string {
  if (!cell) return plain ? '–' : chalk.dim('–')
  const e = cell.explored
  const count = cell.verdict === '✗' ? ` ${e.divergentBehaviours}/${e.behaviours}` : cell.verdict === '~' ? ` ${e.staleBehaviours + e.dirtyBehaviours}/${e.behaviours}` : ''
  const flag = cell.matchesLiterature === false ? ' ≠' : ''
  const text = `${cell.verdict}${count}${flag}`
  if (plain) return text
  const colour = cell.verdict === '✗' ? chalk.red : cell.verdict === '~' ? chalk.yellow : cell.verdict === '⊘' ? chalk.dim : chalk.green
  return cell.matchesLiterature === false ? chalk.bgRed.white(text) : colour(text)
}

function find(result: MatrixResult, strategy: string, race: string): MatrixCell | undefined {
  return result.cells.find((c) => c.strategy === strategy && c.race === race)
}

export function renderMatrix(result: MatrixResult): string {
  const table = compactTable(['strategy', ...result.races])
  for (const strategy of result.strategies) table.push([strategy, ...result.races.map((race) => cellText(find(result, strategy, race), false))])
  const flagged = result.cells.filter((c) => c.matchesLiterature === false)
  const lines = [
    table.toString(),
    chalk.dim(`✓ consistent in every order · ✗ divergent in some orders (divergent/all behaviours) · ~ stale or dirty reads only · ⊘ no order completed · – not applicable · ≠ differs from the literature`),
    chalk.dim(`${plural(result.cells.length, 'cell')}, ${plural(result.cells.reduce((n, c) => n + c.explored.orders, 0), 'order')} explored (${plural(result.cells.reduce((n, c) => n + c.explored.behaviours, 0), 'behaviour')}) in ${(result.durationMs / 1000).toFixed(1)} s`),
  ]
  if (flagged.length > 0) {
    lines.push('', chalk.red.bold(`${plural(flagged.length, 'cell')} ${flagged.length === 1 ? 'differs' : 'differ'} from the outcome the literature gives:`))
    for (const cell of flagged) lines.push(chalk.red(`  ${cell.scenario}: ${cell.explored.mismatches.join('; ')}`))
  }
  const divergent = result.cells.filter((c) => c.explored.witnessRun)
  if (divergent.length > 0) {
    lines.push('', chalk.bold('Replay a divergent order of each ✗ cell:'))
    for (const cell of divergent) lines.push(`  ${chalk.dim(`${cell.scenario}:`)} ${replayCommand(cell.explored.witnessRun!)}`)
  }
  return lines.join('\n')
}

export function renderMatrixMarkdown(result: MatrixResult): string {
  const header = `| strategy | ${result.races.join(' | ')} |`
  const rule = `| --- | ${result.races.map(() => ':---:').join(' | ')} |`
  const rows = result.strategies.map((strategy) => `| \`${strategy}\` | ${result.races.map((race) => cellText(find(result, strategy, race), true)).join(' | ')} |`)
  return [header, rule, ...rows, '', '✓ consistent in every order · ✗ divergent in some orders (divergent/all behaviours) · ~ stale or dirty reads only, never divergent · ⊘ no order completed (every one impossible) · – not applicable', ''].join('\n')
}
