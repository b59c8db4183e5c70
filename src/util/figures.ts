/** How bench reports write numbers: latencies from µs, durations from ms, counts with separators. */

/**
 * Three significant digits, as the latency histogram keeps them: a ratio of two printed figures
 * then agrees with the ratio printed beside them (72 against 73 µs would not read as 1.00×).
 */
export function formatUs(us: number): string {
  if (us < 100) return `${us.toFixed(1)} µs`
  if (us < 1000) return `${Math.round(us)} µs`
  return formatMs(us / 1000)
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(2)} s`
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function formatRatio(x: number): string {
  return `${x.toFixed(2)}×`
}

export function formatPercent(x: number): string {
  return `${(x * 100).toFixed(1)}%`
}
