import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Redis} from 'ioredis'

import {exploreScenario} from '../../src/run/explore-scenario.js'
import type {RunResult} from '../../src/run/result.js'
import {runScenario} from '../../src/run/run-scenario.js'
import {loadMatrixScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {prefixSelector} from '../../src/schedule/explore.js'
import {SteppedSchedule} from '../../src/schedule/stepped.js'
import {itemKey} from '../../src/stores/keys.js'
import {delay} from '../../src/util/delay.js'
import {scenario} from '../helpers/scenarios.js'
import {testPrefix, testRedisUrl, testWorkbenches} from '../helpers/stores.js'

/**
 * One step at a time only the order counts: a TTL runs out where the scenario pauses, never
 * between two ordinary steps because the machine was slow. A slow machine is played here by a
 * schedule that waits before it releases each step (as `--step` waits for Enter).
 */
const {benches, signal} = testWorkbenches()
const pausePastTtl = (await loadMatrixScenarios()).find((s) => s.name === 'pause-past-ttl.write-lock')!

/** Runs `s` once, following `prefix` and then the first actor that can go; each step released `slowMs` late. */
async function stepped(s: Scenario, prefix: string[], slowMs = 0): Promise<RunResult> {
  return runScenario(s, await benches.for(s), {
    schedule: (hooks) =>
      new SteppedSchedule({kind: 'explore', selector: prefixSelector(prefix), ...hooks, ...(slowMs > 0 ? {beforeRelease: () => delay(slowMs)} : {})}),
    signal,
  })
}

describe('a TTL runs out only where the scenario pauses', () => {
  it('a slow machine takes the same order as a fast one: the 40 ms lock does not expire between steps', async () => {
    // B takes the lock, then A asks for it: A must wait, however long the machine takes.
    for (const prefix of [['B', 'B', 'A'], ['B', 'B', 'B', 'A'], ['B', 'B', 'B', 'B', 'A']]) {
      const fast = await stepped(pausePastTtl, prefix)
      const slow = await stepped(pausePastTtl, prefix, 60)
      assert.deepEqual(slow.order, fast.order, prefix.join(' '))
      assert.deepEqual([slow.db, slow.cache, slow.divergent], [fast.db, fast.cache, fast.divergent], prefix.join(' '))
      // A waits for B's lock until B's pause lets it expire.
      assert.ok(fast.order.indexOf('B:pause') < fast.order.lastIndexOf('A:db.update'), fast.order.join(' '))
    }
  })

  it('the pause expires the lock at its own step, and says so', async () => {
    const run = await stepped(pausePastTtl, ['B', 'B', 'B', 'B', 'B', 'A'])
    assert.equal(run.divergent, true)
    const pause = run.entries.find((e) => e.step === 'pause' && e.type === 'ok')!
    assert.match(pause.note ?? '', /120 ms before cache\.set \(injected\); then the lock \(lock:item:1\) expired/)
  })

  it('a pause shorter than the TTL expires nothing: no order diverges', async () => {
    const longLock = scenario(`name: pause-within-ttl
strategy: write-lock
lockTtlMs: 200
initial: { db: 100, cache: null }
actors:
  A: { op: write, value: 99 }
  B: { op: read }
faults:
  - { actor: B, step: cache.set, kind: pause, ms: 120 }
`)
    const explored = await exploreScenario(longLock, await benches.for(longLock), {signal})
    assert.equal(explored.divergentOrders, 0)
    assert.equal(explored.impossibleOrders, 0)
  })

  it('a cached value with a TTL lives through a slow run and keeps the time it had left', async () => {
    const shortTtl = scenario(`name: short-cache-ttl
strategy: ttl-only
cacheTtlMs: 100
initial: { db: 100, cache: 100 }
actors:
  B: { op: read }
`)
    // 150 ms before B's GET: past the key's 100 ms in real time, none on the run's clock.
    const run = await stepped(shortTtl, [], 150)
    assert.deepEqual(run.order, ['B:cache.get'])
    assert.equal(run.cacheMisses, 0)
    const redis = new Redis(testRedisUrl)
    try {
      const ttl = await redis.pttl(itemKey({prefix: testPrefix}, 1))
      assert.ok(ttl > 0 && ttl <= 100, `PTTL ${ttl}`)
    } finally {
      redis.disconnect()
    }
  })
})
