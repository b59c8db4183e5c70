import {type Percentiles, percentiles} from '../util/percentiles.js'
import type {BinlogPosition, RowEvent} from './row-event.js'

/** Keeps the last this many lags for percentiles: enough for p99, bounded in memory. */
const WINDOW = 10_000
const RATE_WINDOW_MS = 2000

/**
 * A running sync's figures: changes read and written, rate, and lag from the moment a change
 * reached this process to the moment Redis confirmed its write (the binlog's own time has whole
 * seconds only, too coarse for a lag in ms).
 */
export class SyncStats {
  events = 0
  written = 0
  position: BinlogPosition = {file: '', pos: 0}
  readonly startedAt = performance.now()
  private readonly lags: number[] = []
  private next = 0
  /** The batches of the last RATE_WINDOW_MS: when, and how many changes. */
  private recent: {at: number; events: number}[] = []

  record(batch: readonly RowEvent[], written: number, appliedAt: number): void {
    this.events += batch.length
    this.written += written
    for (const event of batch) {
      this.lags[this.next] = appliedAt - event.receivedAt
      this.next = (this.next + 1) % WINDOW
    }
    this.recent.push({at: appliedAt, events: batch.length})
  }

  /** Changes per second over the last two seconds (0 when idle that long). */
  get eventsPerSecond(): number {
    const now = performance.now()
    this.recent = this.recent.filter((r) => now - r.at <= RATE_WINDOW_MS)
    const ms = Math.min(RATE_WINDOW_MS, now - this.startedAt)
    return ms <= 0 ? 0 : (this.recent.reduce((sum, r) => sum + r.events, 0) * 1000) / ms
  }

  /** Lag percentiles (ms) over the last changes (NaN before the first). */
  lag(): Percentiles {
    return percentiles(this.lags)
  }
}
