import {stripVTControlCharacters} from 'node:util'

import chalk from 'chalk'

import {compactTable} from './table-style.js'

/** One cell: its plain text (lines may be given with \n) and how to colour each line of it. */
export interface FitCell {
  text: string
  paint?: (line: string) => string
}

/**
 * A compact table that fits `width` columns: when the cells' natural widths do not fit, the
 * columns that can give room at the least cost in lines are narrowed and their cells wrapped at
 * spaces and after hyphens (mid-word only for a word longer than the column). Nothing is cut.
 */
export function fitTable(head: readonly string[], rows: readonly FitCell[][], width: number): string {
  const cells = (column: number) => [{text: head[column]!}, ...rows.map((row) => row[column]!)]
  const lines = (cell: FitCell) => cell.text.split('\n')
  const natural = head.map((_, i) => Math.max(...cells(i).flatMap(lines).map((l) => l.length)))
  const least = head.map((_, i) => Math.max(3, ...cells(i).flatMap(lines).flatMap(tokens).map((t) => Math.min(t.length, 14))))
  const widths = [...natural]
  const overhead = head.length + 1 + 2 * head.length
  const over = () => widths.reduce((a, b) => a + b, 0) + overhead > width
  // First the columns only their heading makes wide: a heading wraps at little cost.
  for (const [i, h] of head.entries()) {
    const cellsWidth = Math.max(0, ...rows.map((row) => Math.max(...lines(row[i]!).map((l) => l.length))))
    const headWord = Math.max(...h.split(' ').map((w) => w.length))
    while (over() && widths[i]! > Math.max(cellsWidth, headWord, 3)) widths[i]! -= 1
  }
  // Then, a column at a time, the one whose narrowing adds the fewest lines to the table (a
  // cell wrapping in a row that is already that tall costs none); the widest of those.
  const table = [head.map((text) => ({text})), ...rows]
  const height = (row: readonly FitCell[], narrowed: number) => Math.max(...row.map((cell, i) => wrap(cell.text, widths[i]! - (i === narrowed ? 1 : 0)).length))
  // Words are broken only when nothing else fits: first down to each column's longest word (up
  // to 14 characters), then, if the table is still too wide, down to 3.
  for (const floor of [(i: number) => least[i]!, () => 3]) {
    while (over()) {
      let pick = -1
      let pickCost = Infinity
      for (const [i, w] of widths.entries()) {
        if (w <= floor(i)) continue
        const cost = table.reduce((sum, row) => sum + height(row, i) - height(row, -1), 0)
        if (cost < pickCost || (cost === pickCost && w > widths[pick]!)) [pick, pickCost] = [i, cost]
      }
      if (pick === -1) break
      widths[pick]! -= 1
    }
  }
  const out = compactTable(head.map((h, i) => wrap(h, widths[i]!).join('\n')))
  for (const row of rows) {
    out.push(row.map((cell, i) => wrap(cell.text, widths[i]!).map((line) => (cell.paint ? cell.paint(line) : line)).join('\n')))
  }
  return out.toString()
}

/** The width a compact table of these cells takes when nothing wraps: their widest lines, padding and rules. */
export function naturalWidth(head: readonly string[], rows: readonly FitCell[][]): number {
  const widest = (texts: string[]) => Math.max(...texts.flatMap((t) => t.split('\n')).map((l) => l.length))
  return head.map((h, i) => widest([h, ...rows.map((row) => row[i]!.text)])).reduce((a, b) => a + b, 0) + 3 * head.length + 1
}

/** A name with a second thing under it, dimmed, in brackets: a scenario over its strategy, a column saved. */
export function stackedCell(top: string, under: string): FitCell {
  const below = `(${under})`
  return {text: `${top}\n${below}`, paint: (line) => (below.includes(line) && !top.includes(line) ? chalk.dim(line) : line)}
}

/** A cell's text wrapped to `width`: at spaces, after hyphens, mid-word only when a word is wider. */
function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => {
    if (line.length <= width) return [line]
    const lines: string[] = []
    let current = ''
    // Pieces end after a hyphen or before a space (the space starts the next piece).
    for (const piece of line.split(/(?<=-)|(?= )/)) {
      if ((current + piece).length <= width) {
        current += piece
        continue
      }
      if (current !== '') lines.push(current)
      current = piece.trimStart()
      while (current.length > width) {
        lines.push(current.slice(0, width))
        current = current.slice(width)
      }
    }
    if (current !== '') lines.push(current)
    return lines
  })
}

function tokens(line: string): string[] {
  return line.split(/ |(?<=-)/)
}

/** The plain text of a coloured string. */
export function plainText(text: string): string {
  return stripVTControlCharacters(text)
}
