import chalk from 'chalk'

import type {MatrixCell, MatrixResult} from '../run/matrix.js'
import {plural} from '../util/plural.js'
import {type FitCell, fitTable} from './fit-table.js'
import {replayCommand, wrapReplay} from './history-lines.js'
import {terminalWidth, wrapText} from './terminal-width.js'

/** Cell text: the verdict, with how many behaviours showed it, and a mark when it is not the literature's. */
function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return '–'
  const e = cell.explored
  const count = cell.verdict === '✗' ? ` ${e.divergentBehaviours}/${e.behaviours}` : cell.verdict === '~' ? ` ${e.staleBehaviours + e.dirtyBehaviours}/${e.behaviours}` : ''
  const flag = cell.matchesLiterature === false ? ' ≠' : ''
  return `${cell.verdict}${count}${flag}`
}

/** A cell for the terminal: its text in the verdict's colour, on red when it is not the literature's. */
function cellOf(cell: MatrixCell | undefined): FitCell {
  const text = cellText(cell)
  if (!cell) return {text, paint: chalk.dim}
  const colour = cell.verdict === '✗' ? chalk.red : cell.verdict === '~' ? chalk.yellow : cell.verdict === '⊘' ? chalk.dim : chalk.green
  return {text, paint: cell.matchesLiterature === false ? chalk.bgRed.white : colour}
}

function find(result: MatrixResult, strategy: string, race: string): MatrixCell | undefined {
  return result.cells.find((c) => c.strategy === strategy && c.race === race)
}

/** The matrix for a terminal: fits its width (or 80 columns), the races' names wrapped at their hyphens, nothing cut. */
export function renderMatrix(result: MatrixResult, options: {width?: number} = {}): string {
  const width = options.width ?? terminalWidth()
  const rows = result.strategies.map((strategy) => [{text: strategy}, ...result.races.map((race) => cellOf(find(result, strategy, race)))])
  const table = fitTable(['strategy', ...result.races], rows, width)
  const flagged = result.cells.filter((c) => c.matchesLiterature === false)
  const say = (text: string, paint: (line: string) => string, indent = '') => wrapText(text, width - indent.length - 2).map((line, i) => paint(`${indent}${i === 0 ? '' : '  '}${line}`))
  const lines = [
    table,
    ...say(`✓ consistent in every order · ✗ divergent in some orders (divergent/all behaviours) · ~ stale or dirty reads only · ⊘ no order completed · – not applicable · ≠ differs from the literature`, chalk.dim),
    ...say(`${plural(result.cells.length, 'cell')}, ${plural(result.cells.reduce((n, c) => n + c.explored.orders, 0), 'order')} explored (${plural(result.cells.reduce((n, c) => n + c.explored.behaviours, 0), 'behaviour')}) in ${(result.durationMs / 1000).toFixed(1)} s`, chalk.dim),
  ]
  if (flagged.length > 0) {
    lines.push('', ...say(`${plural(flagged.length, 'cell')} ${flagged.length === 1 ? 'differs' : 'differ'} from the outcome the literature gives:`, chalk.red.bold))
    for (const cell of flagged) lines.push(...say(`${cell.scenario}: ${cell.explored.mismatches.join('; ')}`, chalk.red, '  '))
  }
  const divergent = result.cells.filter((c) => c.explored.witnessRun)
  if (divergent.length > 0) {
    lines.push('', chalk.bold('Replay a divergent order of each ✗ cell:'))
    for (const cell of divergent) {
      const label = `${cell.scenario}:`
      lines.push(...wrapReplay(replayCommand(cell.explored.witnessRun!), width, label).map((line, i) => (i === 0 ? line.replace(label, chalk.dim(label)) : line)))
    }
  }
  return lines.join('\n')
}

export function renderMatrixMarkdown(result: MatrixResult): string {
  const header = `| strategy | ${result.races.join(' | ')} |`
  const rule = `| --- | ${result.races.map(() => ':---:').join(' | ')} |`
  const rows = result.strategies.map((strategy) => `| \`${strategy}\` | ${result.races.map((race) => cellText(find(result, strategy, race))).join(' | ')} |`)
  return [header, rule, ...rows, '', '✓ consistent in every order · ✗ divergent in some orders (divergent/all behaviours) · ~ stale or dirty reads only, never divergent · ⊘ no order completed (every one impossible) · – not applicable', ''].join('\n')
}
