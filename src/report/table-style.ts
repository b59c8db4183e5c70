import chalk from 'chalk'
import Table from 'cli-table3'

/** cachesim's table look: bold head, no rules between rows, colour only where chalk allows it. */
export function compactTable(head: readonly string[], options: {alignRightFrom?: number} = {}): Table.Table {
  const from = options.alignRightFrom ?? head.length
  return new Table({
    head: head.map((h) => chalk.bold(h)),
    style: {head: [], border: []},
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    colAligns: head.map((_, i) => (i >= from ? 'right' : 'left')),
  })
}
