import {seededRandom} from '../util/random.js'
import {keySampler} from './key-sampler.js'
import type {ReadBenchOptions} from './types.js'

/**
 * Every request of one mode, drawn once: both modes replay the same rows in the same order, so
 * the difference between them is the cache and nothing else.
 */
export interface RequestPlan {
  /** The row each request asks for. */
  ids: Int32Array
  /** 1 where the request is a write. */
  writes: Uint8Array
}

export function planRequests(options: Pick<ReadBenchOptions, 'requests' | 'keys' | 'distribution' | 'writeRatio' | 'seed'>): RequestPlan {
  const random = seededRandom(options.seed)
  const nextId = keySampler(options.distribution, options.keys, random)
  const ids = new Int32Array(options.requests)
  const writes = new Uint8Array(options.requests)
  for (let i = 0; i < options.requests; i++) {
    ids[i] = nextId()
    // Draw even when writeRatio is 0, so that a rerun with writes keeps the same rows.
    writes[i] = random() < options.writeRatio ? 1 : 0
  }
  return {ids, writes}
}
