/**
 * The width terminal output fits: COLUMNS when set (POSIX's "preferred width", and how a script
 * or a pipe asks for one), else the terminal's when stdout is one that says, else 80 columns.
 */
export function terminalWidth(): number {
  const given = Number(process.env.COLUMNS)
  if (Number.isInteger(given) && given >= 40) return given
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined
  return columns !== undefined && columns >= 40 ? columns : 80
}

/**
 * Breaks text into lines of at most `width` characters, at spaces where it can, mid-word where a
 * word is longer than a line (a JSON value): nothing is cut.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    let rest = word
    while (rest.length > 0) {
      const room = line === '' ? width : width - line.length - 1
      if (rest.length <= room) {
        line = line === '' ? rest : `${line} ${rest}`
        rest = ''
      } else if (line !== '' && rest.length <= width) {
        lines.push(line)
        line = ''
      } else {
        const take = Math.max(1, room)
        line = line === '' ? rest.slice(0, take) : `${line} ${rest.slice(0, take)}`
        rest = rest.slice(take)
        lines.push(line)
        line = ''
      }
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line)
  return lines
}
