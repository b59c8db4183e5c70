import * as hdr from 'hdr-histogram-js'

/** Latency percentiles in microseconds, as every bench report and its JSON show them. */
export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
}

/**
 * Records latencies in an HDR histogram (3 significant digits, nanosecond unit), so that
 * percentiles are exact to 0.1% at any scale without keeping every sample.
 */
export class LatencyRecorder {
  private readonly histogram = hdr.build({lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, bitBucketSize: 64})

  /** Records one latency given in milliseconds (performance.now() differences). */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1e6)))
  }

  get count(): number {
    return this.histogram.totalCount
  }

  summary(): LatencySummary {
    const h = this.histogram
    const us = (ns: number) => Math.round(ns / 100) / 10
    return {
      count: h.totalCount,
      p50: us(h.getValueAtPercentile(50)),
      p90: us(h.getValueAtPercentile(90)),
      p99: us(h.getValueAtPercentile(99)),
      p999: us(h.getValueAtPercentile(99.9)),
      max: us(h.maxValue),
    }
  }
}

/** Summarizes latencies measured elsewhere (another process), in milliseconds. */
export function summarize(latenciesMs: Iterable<number>): LatencySummary {
  const recorder = new LatencyRecorder()
  for (const ms of latenciesMs) recorder.record(ms)
  return recorder.summary()
}
