import {type Percentiles, percentiles} from '../util/percentiles.js'
import type {BinlogPosition, RowEvent} from './row-event.js'

/** Keeps the last this many lags for percentiles: enough for p99, bounded in memory. */
const WINDOW = 10_000

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
  private recent: {at: number; events: number}[] = []

  record(batch: readonly RowEvent[], written: number, appliedAt: number): void {
    this.events += batch.length
    this.written += written
    for (const event of batch) {
      this.lags[this.next] = appliedAt - event.receivedAt
      this.next = (this.next + 1) % WINDOW
    }
    this.recent.push({at: appliedAt, events: this.events})
    this.recent = this.recent.filter((r) => appliedAt - r.at <= 2000)
  }

  /** Changes per second over the last two seconds. */
  get eventsPerSecond(): number {
    const first = this.recent[0]
    const last = this.recent.at(-1)
    if (!first || !last) return 0
    const ms = Math.max(performance.now() - first.at, last.at - first.at)
    return ms <= 0 ? 0 : ((last.events - first.events) * 1000) / ms
  }

  /** Lag percentiles (ms) over the last changes (NaN before the first). */
  lag(): Percentiles {
    return percentiles(this.lags)
  }
}
