import chalk from 'chalk'

/** What `cachesim list` shows, and prints with --json. */
export interface ListJson {
  strategies: {name: string; summary: string}[]
  scenarios: {name: string; strategy: string; description: string; source: string}[]
}

/** `cachesim list`: strategies, then scenarios, one line each, cut to the terminal's width. */
export function renderList(list: ListJson, width = process.stdout.isTTY ? process.stdout.columns : Infinity): string {
  const nameWidth = Math.max(...list.strategies.map((s) => s.name.length), ...list.scenarios.map((s) => s.name.length))
  const line = (name: string, text: string) => fit(`  ${name.padEnd(nameWidth)}  ${text}`, width, name.length + 2)
  return [
    chalk.bold('Strategies'),
    ...list.strategies.map((s) => line(s.name, s.summary)),
    '',
    chalk.bold('Built-in scenarios') + chalk.dim('  (cachesim run <name>)'),
    ...list.scenarios.map((s) => line(s.name, `${chalk.dim(`[${s.strategy}]`)} ${firstSentence(s.description)}`)),
  ].join('\n')
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const end = flat.search(/\.(\s|$)/)
  return end === -1 ? flat : flat.slice(0, end + 1)
}

function fit(text: string, width: number, keep: number): string {
  const visible = text.replace(/\u001B\[[0-9;]*m/g, '')
  if (visible.length <= width || width < keep + 10) return text
  // Cut on the plain text so that colour codes never break; the name stays whole.
  return visible.slice(0, width - 1) + '…'
}
