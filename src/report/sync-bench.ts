import type {SyncBenchRound} from '../cdc/sync-bench.js'
import type {Percentiles} from '../util/percentiles.js'
import {plural} from '../util/plural.js'

const ms = (value: number) => `${value.toFixed(2)} ms`
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`

export function renderSyncBenchRound(round: SyncBenchRound, index: number): string {
  return [
    `round ${index + 1}: ${plural(round.backlog, 'change')} drained in ${Math.round(round.drainMs)} ms = ${perSecond(round.eventsPerSecond)} applied;`,
    `${plural(round.updates, 'update')} at ${perSecond(round.achievedRate)}: commit→Node p50 ${ms(round.commitToNodeMs.p50)} p99 ${ms(round.commitToNodeMs.p99)},`,
    `commit→cache p50 ${ms(round.commitToCacheMs.p50)} p99 ${ms(round.commitToCacheMs.p99)} max ${ms(round.commitToCacheMs.max)}`,
  ].join(' ')
}

/** The median of the rounds and their range, per figure. */
export function renderSyncBenchSummary(rounds: readonly SyncBenchRound[]): string {
  const spread = (values: number[], show: (v: number) => string) => {
    const sorted = [...values].sort((a, b) => a - b)
    return `${show(sorted[Math.floor(sorted.length / 2)]!)} (${show(sorted[0]!)} – ${show(sorted.at(-1)!)})`
  }
  const pick = (f: (r: SyncBenchRound) => Percentiles, k: keyof Percentiles) => rounds.map((r) => f(r)[k])
  return [
    `over ${plural(rounds.length, 'round')}, median (min – max):`,
    `  applied            ${spread(rounds.map((r) => r.eventsPerSecond), perSecond)}`,
    `  commit→Node   p50  ${spread(pick((r) => r.commitToNodeMs, 'p50'), ms)}   p99 ${spread(pick((r) => r.commitToNodeMs, 'p99'), ms)}`,
    `  commit→cache  p50  ${spread(pick((r) => r.commitToCacheMs, 'p50'), ms)}   p99 ${spread(pick((r) => r.commitToCacheMs, 'p99'), ms)}`,
  ].join('\n')
}
