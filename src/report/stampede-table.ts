import chalk from 'chalk'

import type {StampedeResult, StampedeRound} from '../bench/result.js'
import {formatCount, formatMs, formatUs} from '../util/figures.js'
import {plural} from '../util/plural.js'
import {compactTable} from './table-style.js'

const PROTECTION: Record<StampedeRound['lock'], string> = {
  none: 'none',
  local: 'double-checked, in-process mutex',
  redis: 'Redis lock with waiters',
}

/** The `bench stampede` report: one row per protection, then what the rows mean. */
export function renderStampede(result: StampedeResult): string {
  const o = result.options
  const lines = [
    chalk.bold('cachesim bench stampede') +
      `: ${plural(o.readers, 'reader')} in ${plural(o.processes, 'process', 'processes')}, ` +
      (o.readers === 1 ? 'with its own MySQL and Redis connection, asks' : 'each with its own MySQL and Redis connection, ask') +
      ` for ${result.key} (${o.query} read) the instant it is gone` +
      (result.startSkewUs === null || o.processes === 1 ? '' : `; processes released within ${formatUs(result.startSkewUs)}`),
    '',
  ]
  if (result.rounds.length > 0) {
    const table = compactTable(['protection', 'DB queries', 'server saw', 'per process', 'missed', 'p50', 'p99', 'max', 'total', 'Redis cmds'], {alignRightFrom: 1})
    for (const r of result.rounds) {
      table.push([
        PROTECTION[r.lock],
        formatCount(r.dbQueries),
        r.serverSelects === null ? '?' : formatCount(r.serverSelects),
        r.dbQueriesPerProcess.join(' + '),
        `${r.missed}/${o.readers}`,
        formatUs(r.latencyUs.p50),
        formatUs(r.latencyUs.p99),
        formatUs(r.latencyUs.max),
        formatMs(r.totalMs),
        formatCount(r.redisCommands),
      ])
    }
    lines.push(table.toString())
  }
  if (result.interrupted) lines.push(chalk.yellow(`interrupted: ${result.rounds.length} of ${plural(o.locks.length, 'round')} measured`))
  if (result.notes.length > 0) lines.push('', ...result.notes.map((n) => `· ${n}`))
  return lines.join('\n')
}
