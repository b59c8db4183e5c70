import {stripVTControlCharacters} from 'node:util'

import {compactTable} from './table-style.js'

/** One cell: its plain text (lines may be given with \n) and how to colour each line of it. */
export interface FitCell {
  text: string
  paint?: (line: string) => string
}

/**
 * A compact table that fits `width` columns: when the cells' natural widths do not fit, the
 * columns with the most room to give are narrowed and their cells wrapped at spaces and after
 * hyphens (mid-word only for a word longer than the column). Nothing is cut.
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
  while (over()) {
    let pick = -1
    for (const [i, w] of widths.entries()) if (w > least[i]! && (pick === -1 || w > widths[pick]!)) pick = i
    if (pick === -1) break
    widths[pick]! -= 1
  }
  const table = compactTable(head.map((h, i) => wrap(h, widths[i]!).join('\n')))
  for (const row of rows) {
    table.push(row.map((cell, i) => wrap(cell.text, widths[i]!).map((line) => (cell.paint ? cell.paint(line) : line)).join('\n')))
  }
  return table.toString()
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
