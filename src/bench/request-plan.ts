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

/** Reads of a plan that no cache could answer, whatever its TTL. */
export interface ColdReads {
  /** A row's first read. */
  firstReads: number
  /** A row's first read after a write to it (cache-aside's write deleted the key). */
  afterWrites: number
}

/** The cold reads among the plan's first `count` requests, in plan order. */
export function coldReads(plan: RequestPlan, count: number): ColdReads {
  // Per row: 0 never read, 1 read since its last write, 2 written since its last read.
  const state = new Uint8Array(plan.ids.reduce((max, id) => Math.max(max, id), 0) + 1)
  const cold: ColdReads = {firstReads: 0, afterWrites: 0}
  for (let i = 0; i < Math.min(count, plan.ids.length); i++) {
    const id = plan.ids[i]!
    if (plan.writes[i] === 1) {
      if (state[id] === 1) state[id] = 2
      continue
    }
    if (state[id] === 0) cold.firstReads += 1
    else if (state[id] === 2) cold.afterWrites += 1
    state[id] = 1
  }
  return cold
}
