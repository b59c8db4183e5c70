import type {Hook} from '@oclif/core'

import {ExitCode} from '../errors/exit-codes.js'

/** `cachesim explor`: one line that names the nearest command, exit 2. */
const hook: Hook<'command_not_found'> = async function (options) {
  const typed = options.id.replaceAll(':', ' ')
  const commands = options.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '))
  const nearest = commands
    .map((name) => ({name, distance: distance(typed, name)}))
    .sort((a, b) => a.distance - b.distance)[0]
  const hint = nearest && nearest.distance <= Math.max(2, Math.floor(typed.length / 3)) ? `; did you mean "${nearest.name}"?` : '.'
  process.stderr.write(`Error: unknown command "${typed}"${hint} Commands: ${commands.join(', ')} (cachesim --help)\n`)
  process.exit(ExitCode.badInput)
}

/** Levenshtein distance: edits between two words. */
function distance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

export default hook
