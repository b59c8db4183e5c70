/**
 * The rows of a compact table (cachesim's look: no rules between rows) as a person reads them:
 * each row's cells with their wrapped lines joined again (a line that broke after a hyphen joins
 * without a space). `startsRow` says which lines begin a row; the lines before the first are the heading.
 */
export function tableRows(text: string, startsRow: (cells: string[]) => boolean): string[][] {
  const rows: string[][][] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('│')) continue
    const cells = line.split('│').slice(1, -1).map((cell) => cell.trim())
    if (startsRow(cells)) rows.push(cells.map((cell) => [cell]))
    else if (rows.length > 0) for (const [i, cell] of cells.entries()) if (cell !== '') rows.at(-1)![i]!.push(cell)
  }
  return rows.map((row) => row.map((parts) => parts.reduce((joined, part) => (joined === '' ? part : joined.endsWith('-') ? joined + part : `${joined} ${part}`), '')))
}

/** Terminal text with the commands that were broken over lines (a backslash, then an indent) joined again, as a shell reads them. */
export function joinContinuations(text: string): string {
  return text.replaceAll(/ \\\n +/g, ' ')
}
