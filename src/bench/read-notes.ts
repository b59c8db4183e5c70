import type {Floors} from './floors.js'
import type {LatencySummary} from './latency.js'
import type {ModeResult} from './result.js'
import type {ReadBenchOptions} from './types.js'

/** Below this speedup, the report says where the time goes instead of letting the number speak. */
const SMALL_SPEEDUP = 3
/** The target for the harness: a cache hit within 1.2× a bare GET. */
export const HIT_FLOOR_TARGET = 1.2

/** Plain-language readings of a read benchmark's figures, for the table and for --json alike. */
export function readNotes(
  options: ReadBenchOptions,
  floors: Floors | null,
  modes: readonly ModeResult[],
  speedup: number | null,
): string[] {
  const notes: string[] = []
  const cacheAside = modes.find((m) => m.mode === 'cache-aside')
  // With clients at once a hit also waits for the others: the target speaks of one at a time.
  if (options.concurrency === 1 && cacheAside?.floorRatio != null && cacheAside.floorUs && cacheAside.hitLatencyUs) {
    const within = cacheAside.floorRatio <= HIT_FLOOR_TARGET ? 'within' : 'above'
    notes.push(
      `A cache hit's median is ${ratio(cacheAside.floorRatio)} a bare GET's timed alongside it (${us(cacheAside.hitLatencyUs.p50)} against ${us(cacheAside.floorUs.p50)}), ${within} the ${HIT_FLOOR_TARGET}× target for what the harness adds.`,
    )
  }
  if (floors && speedup !== null && speedup < SMALL_SPEEDUP) {
    notes.push(
      `The cache buys only ${ratio(speedup)} here: a bare ${options.query === 'point' ? 'SELECT by primary key' : 'heavy SELECT'} takes ${us(floors.dbRead.p50)} against ${us(floors.redisGet.p50)} for a GET, so both reads are mostly round trip and client. The seed's 15× (137 s against 9 s for 100,000 reads) came from a MySQL across a network, about 1.4 ms a read, against a local Redis, about 90 µs.${options.query === 'point' ? ' Try --query heavy for a read that costs MySQL real work.' : ''}`,
    )
  }
  if (cacheAside?.hitRatio != null && cacheAside.hitRatio < 0.5) {
    notes.push(
      `Only ${Math.round(cacheAside.hitRatio * 100)}% of reads hit the cache: most were a key's first read (or came after a write deleted it). Fewer --keys, more --requests or --distribution zipf raise it.`,
    )
  }
  if (options.concurrency > 1) {
    notes.push(`The floors are one request at a time; with --concurrency ${options.concurrency} the modes' latencies include waiting for the servers, so their floor ratios are more than the harness's overhead.`)
  }
  return notes
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

function ratio(x: number): string {
  return `${x.toFixed(2)}×`
}

function us(x: number): string {
  return `${x.toFixed(0)} µs`
}
