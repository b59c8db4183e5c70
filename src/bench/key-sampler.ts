import type {Distribution} from './types.js'

/**
 * Zipf's exponent, as YCSB uses it: a few keys take most of the requests (with 1,000 keys the
 * hottest gets about 13% of them, the top 10% about two thirds).
 */
export const ZIPF_EXPONENT = 0.99


/** Returns a function that picks a row id from 1 to `keys`; under zipf, id 1 is the hottest. */
export function keySampler(distribution: Distribution, keys: number, random: () => number): () => number {
  if (distribution === 'uniform') return () => 1 + Math.floor(random() * keys)
  const cumulative = zipfCumulative(keys)
  return () => 1 + firstAtLeast(cumulative, random() * cumulative[keys - 1]!)
}

function zipfCumulative(keys: number): Float64Array {
  const cumulative = new Float64Array(keys)
  let sum = 0
  for (let rank = 1; rank <= keys; rank++) {
    sum += 1 / rank ** ZIPF_EXPONENT
    cumulative[rank - 1] = sum
  }
  return cumulative
}

/** The first index whose value is ≥ target (binary search over an ascending array). */
function firstAtLeast(values: Float64Array, target: number): number {
  let low = 0
  let high = values.length - 1
  while (low < high) {
    const middle = (low + high) >>> 1
    if (values[middle]! < target) low = middle + 1
    else high = middle
  }
  return low
}
