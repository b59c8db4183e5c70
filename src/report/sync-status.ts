import type {SyncStats} from '../cdc/sync-stats.js'
import {plural} from '../util/plural.js'

const count = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0})

/** One status line: how many changes, how fast, how far behind, where in the binlog. */
export function renderSyncStatus(stats: SyncStats): string {
  const lag = stats.lag()
  const lagText = stats.events === 0 ? 'lag -' : `lag p50 ${lag.p50.toFixed(2)} ms p99 ${lag.p99.toFixed(2)} ms`
  return `${plural(stats.events, 'change')} (${count.format(stats.written)} written)  ${count.format(stats.eventsPerSecond)}/s  ${lagText}  at ${stats.position.file}:${stats.position.pos}`
}
