import {formatCount, formatPercent, formatRatio, formatUs} from '../util/figures.js'
import {plural} from '../util/plural.js'
import type {Floors} from './floors.js'
import type {LatencySummary} from './latency.js'
import type {ColdReads} from './request-plan.js'
import type {ModeResult} from './result.js'
import {smallSpeedupNote} from './speedup-note.js'
import type {ReadBenchOptions} from './types.js'

/** The issue's target for the harness: a cache hit within 1.2× a bare GET. */
export const HIT_FLOOR_TARGET = 1.2

/**
 * Plain-language readings of a read benchmark's figures, for the table and for --json alike.
 * Every figure a note quotes is one the table shows: the floors are those timed alongside the
 * modes (the ratios' floors), unless a mode has none, and then the note says they are the earlier ones.
 */
export function readNotes(
  options: ReadBenchOptions,
  floors: Floors | null,
  modes: readonly ModeResult[],
  speedup: number | null,
  cold: ColdReads | null,
): string[] {
  const notes: string[] = []
  const plain = modes.find((m) => m.mode === 'no-cache')
  const cacheAside = modes.find((m) => m.mode === 'cache-aside')
  // With clients at once a hit also waits for the others: the target speaks of one at a time.
  if (options.concurrency === 1 && cacheAside?.floorRatio != null && cacheAside.floorUs && cacheAside.hitLatencyUs) {
    const within = cacheAside.floorRatio <= HIT_FLOOR_TARGET ? 'within' : 'above'
    notes.push(
      `A cache hit's median is ${formatRatio(cacheAside.floorRatio)} a bare GET's timed alongside it (${formatUs(cacheAside.hitLatencyUs.p50)} against ${formatUs(cacheAside.floorUs.p50)}), ${within} the ${HIT_FLOOR_TARGET}× target for what the harness adds.`,
    )
  }
  const small = plain && cacheAside && speedup !== null ? smallSpeedupNote(options, floors, plain, cacheAside, speedup) : null
  if (small) notes.push(small)
  if (cacheAside?.hitRatio != null && cacheAside.hitRatio < 0.5 && cacheAside.misses !== null) {
    notes.push(lowHitRatioNote(options, cacheAside.hitRatio, cacheAside.misses, cold))
  }
  if (options.concurrency > 1) {
    notes.push(`The floors are one request at a time; with --concurrency ${options.concurrency} the modes' latencies include waiting for the servers, so their floor ratios measure that waiting as well as what the harness adds.`)
  }
  return notes
}

function lowHitRatioNote(options: ReadBenchOptions, hitRatio: number, misses: number, cold: ColdReads | null): string {
  const opening = `Only ${formatPercent(hitRatio)} of reads hit the cache`
  if (!cold) return `${opening}.`
  // At --concurrency above 1, reads overlap: the plan's order is only roughly the servers' order.
  const first = Math.min(cold.firstReads, misses)
  const afterWrites = Math.min(cold.afterWrites, misses - first)
  const others = misses - first - afterWrites
  const expired = `after the key expired (--ttl ${options.ttlSeconds} s)${options.concurrency > 1 ? ' or while another client was filling it' : ''}`
  const causes = [
    {count: first, one: 'the first read of its row', many: 'first reads of a row'},
    {count: afterWrites, one: 'the first read after a write deleted its key', many: 'first reads after a write deleted the key'},
    {count: others, one: `a read ${expired}`, many: `reads ${expired}`},
  ].filter((c) => c.count > 0)
  const said =
    causes.length === 1
      ? misses === 1 ? `its one miss was ${causes[0]!.one}` : `all ${plural(misses, 'miss', 'misses')} were ${causes[0]!.many}`
      : `of ${plural(misses, 'miss', 'misses')}, ${causes.map((c) => `${formatCount(c.count)} ${c.count === 1 ? `was ${c.one}` : `were ${c.many}`}`).join(', ')}`
  const largest = Math.max(first, afterWrites, others)
  const remedy =
    largest === first
      ? `Fewer --keys${options.distribution === 'uniform' ? ', more --requests or --distribution zipf raise' : ' or more --requests raise'} it.`
      : largest === afterWrites
        ? 'A lower --write-ratio raises it.'
        : 'A longer --ttl raises it.'
  return `${opening}: ${said}. ${remedy}`
}

/** Sets a mode's floor ratio: its median read (hits, for cache-aside) against the floor timed with it. */
export function withFloorRatio(mode: ModeResult, floor: LatencySummary | null): ModeResult {
  const p50 = mode.mode === 'cache-aside' ? mode.hitLatencyUs?.p50 : mode.latencyUs.p50
  const ok = floor !== null && floor.count > 0 && floor.p50 > 0 && p50 !== undefined && p50 > 0
  return {...mode, floorUs: floor, floorRatio: ok ? round2(p50 / floor.p50) : null}
}

/** No cache ÷ cache-aside, total time for the same requests; null unless both ran in full. */
export function speedupOf(modes: readonly ModeResult[], requests: number): number | null {
  const [plain, cached] = [modes.find((m) => m.mode === 'no-cache'), modes.find((m) => m.mode === 'cache-aside')]
  if (!plain || !cached || plain.requests !== requests || cached.requests !== requests || cached.totalMs <= 0) return null
  return round2(plain.totalMs / cached.totalMs)
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
