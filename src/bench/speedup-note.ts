import {formatCount, formatPercent, formatRatio, formatUs} from '../util/figures.js'
import {plural} from '../util/plural.js'
import type {Floors} from './floors.js'
import type {ModeResult} from './result.js'
import type {ReadBenchOptions} from './types.js'

/** Below this speedup, the report says where the time goes instead of letting the number speak. */
export const SMALL_SPEEDUP = 3
/**
 * A bare SELECT at least this many times a bare GET: more of a SELECT is work beyond a round trip
 * (MySQL's and its client's) than round trip, so that is what a hit saves.
 */
const BEYOND_ROUND_TRIP = 2
/** A measured speedup this far from the floors' estimate, either way, is explained. */
const FAR_FROM_ESTIMATE = 1.25

/**
 * Why the cache bought little (a speedup below SMALL_SPEEDUP), in figures the report shows; null
 * when the speedup is not small or there are no floors to explain it with.
 */
export function smallSpeedupNote(options: ReadBenchOptions, floors: Floors | null, plain: ModeResult, cacheAside: ModeResult, speedup: number): string | null {
  if (speedup >= SMALL_SPEEDUP) return null
  const pair = floorPair(plain, cacheAside, floors)
  return pair ? explainSpeedup(options, pair, plain, cacheAside, speedup) : null
}

/** The floors a note quotes: a bare SELECT's and a bare GET's medians, µs, and when they were timed. */
interface FloorPair {
  select: number
  get: number
  when: string
}

/** The floors the ratios use (timed alongside the modes); the earlier ones only if a mode has none. */
function floorPair(plain: ModeResult, cacheAside: ModeResult, floors: Floors | null): FloorPair | null {
  if (plain.floorUs && plain.floorUs.count > 0 && cacheAside.floorUs && cacheAside.floorUs.count > 0) {
    return {select: plain.floorUs.p50, get: cacheAside.floorUs.p50, when: 'timed alongside the modes'}
  }
  return floors ? {select: floors.dbRead.p50, get: floors.redisGet.p50, when: 'timed before the modes'} : null
}

/**
 * Why the cache bought little, from the figures shown: the floors say what a hit can save, the
 * hit ratio how often it saves it. The floors' estimate counts each read without cache as a bare
 * SELECT, each hit as a bare GET, each miss as both (its SET free), each write as long as without
 * cache. Medians are not means, and the modes ran at other moments than each other: the estimate
 * is "about", and when the measured speedup is far from it the note says which mode ran further
 * above its floors.
 */
function explainSpeedup(options: ReadBenchOptions, floor: FloorPair, plain: ModeResult, cacheAside: ModeResult, speedup: number): string {
  const {select, get} = floor
  // Thresholds are checked on the ratio as printed, so the words never disagree with it.
  const selectPerGet = Math.round((select / get) * 100) / 100
  const {reads, writes} = cacheAside
  const misses = cacheAside.misses ?? reads
  const writesUs = writes * (plain.writeLatencyUs?.p50 ?? 0)
  const plainFloorUs = reads * select + writesUs
  const cachedFloorUs = reads * get + misses * select + writesUs
  const estimate = plainFloorUs / cachedFloorUs
  const allHits = plainFloorUs / (reads * get + writesUs)
  const kind = options.query === 'point' ? 'SELECT by primary key' : 'heavy SELECT'
  const sentences = [
    speedup < 1 ? `Cache-aside is slower than no cache here (${formatRatio(speedup)}).` : `The cache buys only ${formatRatio(speedup)} here.`,
    `A bare ${kind} takes ${formatUs(select)} against ${formatUs(get)} for a bare GET, ${floor.when} (${formatRatio(selectPerGet)}): ` +
      (selectPerGet >= BEYOND_ROUND_TRIP
        ? `most of a SELECT is work beyond the round trip (MySQL's and its client's), and a hit saves it, about ${formatUs(select - get)} a read.`
        : `both reads are mostly round trip and client, so a hit saves ${select > get ? `only about ${formatUs(select - get)} a read` : 'nothing'}.`),
  ]
  const hits = formatPercent(cacheAside.hitRatio ?? 0)
  const atThisRatio = formatRatio(allHits) !== formatRatio(estimate) ? `; at ${hits} hits, about ${formatRatio(estimate)}` : ''
  if (allHits < SMALL_SPEEDUP) {
    sentences.push(`Even if every read hit, the floors would give about ${formatRatio(allHits)}${atThisRatio}.`)
    // Writes cost the same in both modes: many of them pull the best case well below the floors' ratio.
    if (writes > 0 && allHits * FAR_FROM_ESTIMATE < selectPerGet) {
      sentences.push(`The ${plural(writes, 'write')} (${formatPercent(writes / cacheAside.requests)} of requests) hold it down: they cost as much with the cache as without, or more (an UPDATE, then a DEL).`)
    }
    if (selectPerGet < SMALL_SPEEDUP) {
      sentences.push(`The seed's 15× (137 s against 9 s for 100,000 reads) came from a MySQL across a network, about 1.4 ms a read, against a local Redis, about 90 µs.`)
      if (options.query === 'point') sentences.push('Try --query heavy for a read that costs MySQL real work.')
    }
  } else if (estimate < SMALL_SPEEDUP) {
    sentences.push(
      `But only ${hits} of reads hit: cache-aside still sent ${plural(cacheAside.dbSelects, 'SELECT')} to no cache's ${formatCount(plain.dbSelects)}, and at this hit ratio the floors give about ${formatRatio(estimate)}.`,
    )
  } else {
    sentences.push(`At ${hits} hits the floors would give about ${formatRatio(estimate)}.`)
  }
  // Totals of clients at once are not sums of one-at-a-time floors: only the ratio above compares.
  if (options.concurrency === 1) {
    const aboveFloors = (totalMs: number, floorUs: number) => formatRatio((totalMs * 1000) / floorUs)
    const [cachedAbove, plainAbove] = [aboveFloors(cacheAside.totalMs, cachedFloorUs), aboveFloors(plain.totalMs, plainFloorUs)]
    if (speedup * FAR_FROM_ESTIMATE < estimate) {
      sentences.push(`Against the floors' ${formatRatio(estimate)}, cache-aside lost time beyond the bare round trips: it took ${cachedAbove} what its floors add up to, no cache ${plainAbove}.`)
    } else if (speedup > estimate * FAR_FROM_ESTIMATE) {
      sentences.push(`It is more than the floors' ${formatRatio(estimate)} because no cache ran further above its floors (${plainAbove} what they add up to) than cache-aside (${cachedAbove}).`)
    }
  }
  return sentences.join(' ')
}
