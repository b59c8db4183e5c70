import type {Floors} from './floors.js'
import type {LatencySummary} from './latency.js'
import type {ReadBenchOptions, StampedeLock, StampedeOptions} from './types.js'

/**
 * The results of `cachesim bench` and `cachesim bench stampede`. They are also the `--json`
 * output: field names are an interface (add, never rename). Latencies are in microseconds.
 */

export type ModeName = 'no-cache' | 'cache-aside'

export interface ModeResult {
  mode: ModeName
  /** Requests finished: fewer than planned when the run was interrupted. */
  requests: number
  reads: number
  writes: number
  totalMs: number
  opsPerSecond: number
  /** Every read. */
  latencyUs: LatencySummary
  /** Cache-aside only: reads the cache answered, and reads that went to MySQL. */
  hitLatencyUs: LatencySummary | null
  missLatencyUs: LatencySummary | null
  writeLatencyUs: LatencySummary | null
  hits: number | null
  misses: number | null
  hitRatio: number | null
  /** Statements this mode sent to MySQL (SELECTs and UPDATEs), by cachesim's own count. */
  dbQueries: number
  dbSelects: number
  dbUpdates: number
  /**
   * The same, as the server counted them on these connections (Com_select, Com_update), less
   * the floor's own SELECTs on the first client's connection; null if unknown.
   */
  serverSelects: number | null
  serverUpdates: number | null
  redisCommands: number
  /**
   * The bare round trip this mode is compared with (SELECT for no cache, GET for cache-aside),
   * timed between the mode's chunks of requests, so at the same moments of the machine.
   */
  floorUs: LatencySummary | null
  /** Median read (hits, for cache-aside) ÷ the median of `floorUs`. */
  floorRatio: number | null
}

export interface ReadBenchResult {
  options: ReadBenchOptions
  table: string
  /** True when Ctrl-C stopped the run: what was measured so far. */
  interrupted: boolean
  /** The bare round trips, timed before the modes. */
  floors: Floors | null
  modes: ModeResult[]
  /** Total time without cache ÷ with cache-aside; null until both modes ran. */
  speedup: number | null
  /** Plain-language readings of the figures (a small speedup, a low hit ratio, …). */
  notes: string[]
}

export interface StampedeRound {
  lock: StampedeLock
  /** Runs it took for every reader to miss at once (at most 3); earlier runs are not counted. */
  attempts: number
  /** Readers whose first GET missed: all of them, when "at once" really was at once. */
  missed: number
  /** SELECTs the readers sent, by cachesim's count, and by the server's (Com_select); null if unknown. */
  dbQueries: number
  serverSelects: number | null
  redisCommands: number
  /** SELECTs per worker process. */
  dbQueriesPerProcess: number[]
  latencyUs: LatencySummary
  /** From the release of the barrier to the last reader's answer. */
  totalMs: number
  /** Readers that got no row (or gave up waiting): should be 0. */
  failedReaders: number
}

export interface StampedeResult {
  options: StampedeOptions
  key: string
  interrupted: boolean
  /** How far apart the worker processes released their readers in the rounds reported, in microseconds. */
  startSkewUs: number | null
  rounds: StampedeRound[]
  notes: string[]
}
