import chalk from 'chalk'

import type {ModeResult, ReadBenchResult} from '../bench/result.js'
import {formatCount, formatMs, formatPercent, formatRatio, formatUs} from '../util/figures.js'
import {compactTable} from './table-style.js'
import {plural} from '../util/plural.js'

const MODE_LABEL: Record<ModeResult['mode'], string> = {'no-cache': 'no cache', 'cache-aside': 'cache-aside'}

/** The `bench` report: what was run, the floors, one row per mode, the speedup, the notes. */
export function renderReadBench(result: ReadBenchResult): string {
  const o = result.options
  const lines = [
    chalk.bold('cachesim bench') +
      `: ${plural(o.requests, 'request')} a mode on ${plural(o.keys, 'row')} of ${result.table} (${o.distribution}), ${o.query} reads, ` +
      `concurrency ${o.concurrency}, TTL ${o.ttlSeconds} s${o.writeRatio > 0 ? `, ${formatPercent(o.writeRatio)} writes` : ''}`,
  ]
  if (result.floors) {
    const f = result.floors
    lines.push(
      `floors before the modes, bare round trips from this process one at a time (${plural(f.redisGet.count, 'GET')}, ${plural(f.dbRead.count, 'SELECT')}): ` +
        `Redis GET p50 ${formatUs(f.redisGet.p50)}, p99 ${formatUs(f.redisGet.p99)} · MySQL ${o.query} SELECT p50 ${formatUs(f.dbRead.p50)}, p99 ${formatUs(f.dbRead.p99)}`,
      // The ratios and the notes use the floors timed between each mode's requests, not these.
      chalk.dim('(the last column and the notes use the floors timed alongside each mode, between its requests)'),
    )
  }
  if (result.modes.length > 0) lines.push('', modeTable(result.modes).toString())
  for (const m of result.modes) {
    if (m.hitLatencyUs && m.missLatencyUs) {
      lines.push(`${MODE_LABEL[m.mode]}: hits p50 ${formatUs(m.hitLatencyUs.p50)} (${formatCount(m.hitLatencyUs.count)}), misses p50 ${formatUs(m.missLatencyUs.p50)} (${formatCount(m.missLatencyUs.count)})`)
    }
    if (m.writeLatencyUs) lines.push(`${MODE_LABEL[m.mode]}: ${plural(m.writes, 'write')}, p50 ${formatUs(m.writeLatencyUs.p50)}, p99 ${formatUs(m.writeLatencyUs.p99)}`)
  }
  const server = serverAgreement(result.modes)
  if (server) lines.push(server)
  if (result.speedup !== null) lines.push(chalk.bold(`speedup of cache-aside over no cache: ${formatRatio(result.speedup)}`) + ' (total time, same requests)')
  if (result.interrupted) {
    const done = result.modes.map((m) => `${MODE_LABEL[m.mode]} ${formatCount(m.requests)} of ${formatCount(o.requests)}`).join(', ')
    lines.push(chalk.yellow(`interrupted: measured so far${done ? `: ${done}` : ' (no mode ran)'}`))
  }
  if (result.notes.length > 0) lines.push('', ...result.notes.map((n) => `· ${n}`))
  return lines.join('\n')
}

function modeTable(modes: readonly ModeResult[]) {
  const table = compactTable(
    ['mode', 'total', 'ops/s', 'p50', 'p90', 'p99', 'p99.9', 'max', 'hit ratio', 'DB queries', 'Redis cmds', 'p50 ÷ floor alongside'],
    {alignRightFrom: 1},
  )
  for (const m of modes) {
    const l = m.latencyUs
    table.push([
      MODE_LABEL[m.mode],
      formatMs(m.totalMs),
      formatCount(m.opsPerSecond),
      formatUs(l.p50),
      formatUs(l.p90),
      formatUs(l.p99),
      formatUs(l.p999),
      formatUs(l.max),
      m.hitRatio === null ? '—' : formatPercent(m.hitRatio),
      formatCount(m.dbQueries),
      formatCount(m.redisCommands),
      m.floorRatio === null || !m.floorUs ? '—' : `${formatRatio(m.floorRatio)} ${m.mode === 'cache-aside' ? 'GET' : 'SELECT'} ${formatUs(m.floorUs.p50)}${m.mode === 'cache-aside' ? ' (hits)' : ''}`,
    ])
  }
  return table
}

/** MySQL's own count of what our sessions sent, against ours: they should agree. */
function serverAgreement(modes: readonly ModeResult[]): string | null {
  const known = modes.filter((m) => m.serverSelects !== null && m.serverUpdates !== null)
  if (known.length === 0) return null
  const agree = known.every((m) => m.serverSelects === m.dbSelects && m.serverUpdates === m.dbUpdates)
  const counts = known.map((m) => `${MODE_LABEL[m.mode]} ${plural(m.serverSelects!, 'SELECT')}${m.serverUpdates ? ` + ${plural(m.serverUpdates, 'UPDATE')}` : ''}`).join(', ')
  return agree
    ? `MySQL's own count on these connections agrees: ${counts}`
    : chalk.yellow(`MySQL's own count on these connections differs from cachesim's: ${counts}`)
}
