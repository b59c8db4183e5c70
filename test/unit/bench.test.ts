import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {keySampler} from '../../src/bench/key-sampler.js'
import {seededRandom} from '../../src/util/random.js'
import {LatencyRecorder} from '../../src/bench/latency.js'
import {Mutex} from '../../src/bench/mutex.js'
import {planRequests} from '../../src/bench/request-plan.js'
import {parseNumber} from '../../src/cli/number-flag.js'
import {BadInputError} from '../../src/errors/bad-input-error.js'

describe('request plans', () => {
  it('the same seed gives the same requests; another seed, others', () => {
    const options = {requests: 1000, keys: 100, distribution: 'uniform', writeRatio: 0.1, seed: 7} as const
    assert.deepEqual(planRequests(options), planRequests(options))
    assert.notDeepEqual(planRequests(options).ids, planRequests({...options, seed: 8}).ids)
  })

  it('adding writes keeps the rows the reads ask for', () => {
    const base = {requests: 500, keys: 50, distribution: 'zipf', seed: 1} as const
    assert.deepEqual(planRequests({...base, writeRatio: 0}).ids, planRequests({...base, writeRatio: 0.5}).ids)
  })

  it('uniform stays within 1..keys; zipf makes row 1 the hottest', () => {
    const uniform = keySampler('uniform', 10, seededRandom(1))
    const zipf = keySampler('zipf', 1000, seededRandom(1))
    const counts = new Map<number, number>()
    for (let i = 0; i < 20_000; i++) {
      const id = uniform()
      assert.ok(Number.isInteger(id) && id >= 1 && id <= 10)
      const hot = zipf()
      counts.set(hot, (counts.get(hot) ?? 0) + 1)
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1])
    assert.equal(ranked[0]![0], 1)
    assert.ok(ranked[0]![1] > 20_000 * 0.1, 'the hottest of 1,000 rows gets over a tenth of the requests')
  })
})

describe('latency recorder', () => {
  it('percentiles in µs from an HDR histogram', () => {
    const recorder = new LatencyRecorder()
    for (let us = 1; us <= 1000; us++) recorder.record(us / 1000)
    const s = recorder.summary()
    assert.equal(s.count, 1000)
    assert.ok(Math.abs(s.p50 - 500) <= 1 && Math.abs(s.p99 - 990) <= 1 && Math.abs(s.max - 1000) <= 1, JSON.stringify(s))
  })
})

describe('the in-process mutex', () => {
  it('hands itself to waiters in the order they asked, one at a time', async () => {
    const mutex = new Mutex()
    const order: number[] = []
    let inside = 0
    await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        await mutex.lock()
        inside += 1
        assert.equal(inside, 1)
        await new Promise((resolve) => setTimeout(resolve, 2))
        order.push(n)
        inside -= 1
        mutex.unlock()
      }),
    )
    assert.deepEqual(order, [1, 2, 3, 4])
  })
})

describe('numeric flags', () => {
  const range = {min: 0, max: 1, integer: false, what: 'the share of requests that are writes'}
  it('accepts numbers in range, decimals where allowed', () => {
    assert.equal(parseNumber('--write-ratio', '0.25', range), 0.25)
    assert.equal(parseNumber('--requests', '1e3', {min: 1, max: 10_000}), 1000)
  })

  it('says what is wrong in one line', () => {
    assert.throws(() => parseNumber('--write-ratio', '2', range), new BadInputError('--write-ratio 2 is out of range: expected the share of requests that are writes, from 0 to 1'))
    assert.throws(() => parseNumber('--keys', '2.5', {min: 1, max: 10}), /--keys 2\.5 is not a whole number: expected a whole number from 1 to 10/)
    assert.throws(() => parseNumber('--keys', '', {min: 1, max: 10}), /--keys "" is not a number/)
    assert.throws(() => parseNumber('--keys', '0x10', {min: 1, max: 100}), /is not a number/)
  })
})
