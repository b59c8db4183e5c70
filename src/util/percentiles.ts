export interface Percentiles {
  p50: number
  p99: number
  max: number
}

/** Median, 99th percentile and maximum (NaN for no values): nearest rank, no interpolation. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return {p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN}
}
