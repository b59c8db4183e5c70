import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Redis} from 'ioredis'

import {exploreScenario} from '../../src/run/explore-scenario.js'
import {runScenario} from '../../src/run/run-scenario.js'
import {loadBuiltInScenarios, loadMatrixScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {DelaySchedule} from '../../src/schedule/delays.js'
import {lockKey} from '../../src/stores/keys.js'
import {scenario} from '../helpers/scenarios.js'
import {testPrefix, testRedisUrl, testWorkbenches} from '../helpers/stores.js'

const builtIn = [...(await loadBuiltInScenarios()), ...(await loadMatrixScenarios())]
const {benches, signal} = testWorkbenches()
const named = (name: string) => builtIn.find((s) => s.name === name)!
const run = async (s: Scenario) => runScenario(s, await benches.for(s), {schedule: () => new DelaySchedule(s.delays), signal})
const explore = async (s: Scenario, options: {random?: {count: number; seed: number}} = {}) =>
  exploreScenario(s, await benches.for(s), {signal, keep: 'runs', ...options})

describe('faults at an exact step', () => {
  it('fail: the call errors, the strategy sees it, and the write is left half done (seed: stock 100 → 99)', async () => {
    const result = await run(named('uu-cache-set-fails'))
    const set = result.steps.find((s) => s.step === 'cache.set')!
    assert.equal(set.type, 'fail')
    assert.match(set.error!, /injected fault/)
    assert.deepEqual(result.operations.map((op) => [op.op, op.type]), [['write', 'fail']])
    assert.deepEqual([result.db, result.cache, result.divergent], [99, 100, true])
  })

  it('crash: the actor takes no step after it, not even the release in its finally block', async () => {
    const s = named('crash-between.write-lock')
    const result = await run(s)
    assert.deepEqual(result.steps.map((step) => `${step.actor}:${step.step}`), ['A:lock.acquire', 'A:db.update'])
    const redis = new Redis(testRedisUrl)
    try {
      assert.ok(await redis.exists(lockKey({prefix: testPrefix}, 1)), 'the crashed writer still holds its lock')
    } finally {
      await redis.quit()
    }
  })

  it('pause: a step of its own, in which a lock expires and, explored, the other actor may go first', async () => {
    const result = await run(named('wl-pause-past-ttl'))
    assert.ok(result.divergent)
    const pause = result.steps.find((s) => s.step === 'pause')!
    const writer = result.steps.find((s) => s.actor === 'A' && s.step === 'db.update')!
    assert.ok(writer.startMs > pause.startMs && writer.startMs < pause.endMs!, 'the writer went while the reader was paused')
    assert.match(result.steps.find((s) => s.actor === 'B' && s.step === 'lock.release')!.note!, /not ours any more/)
  })

  it('latency: the call is applied at once but its answer comes back late', async () => {
    const result = await run(
      scenario(`name: slow-answer
strategy: update-then-delete
initial: { db: 1, cache: 1 }
actors:
  A: { op: write, value: 2 }
faults:
  - { actor: A, step: db.update, kind: latency, ms: 120 }
`),
    )
    const update = result.steps.find((s) => s.step === 'db.update')!
    assert.ok(update.endMs! - update.startMs >= 120)
    assert.deepEqual([result.db, result.cache], [2, null])
  })

  it('faults hold under explore too: every order of the crashed write diverges', async () => {
    const result = await explore(named('crash-between.update-then-delete'))
    assert.equal(result.orders, result.divergentOrders)
  })
})

describe('the strategies that fix the races', () => {
  it('lease: three readers on a miss, one DB read per lease, in every order tried', async () => {
    const result = await explore(named('lease-three-readers'))
    assert.ok(result.orders > 10)
    for (const r of result.runs) {
      assert.equal(r.steps.filter((s) => s.step === 'db.select').length, 1, r.order.join(' '))
      assert.deepEqual(r.operations.map((op) => op.value), [100, 100, 100])
    }
  })

  it('lease, versioned-cas, write-lock: no order of the cold-cache refill race diverges; a bare DEL brings it back', async () => {
    for (const name of ['cold-refill.lease', 'cold-refill.versioned-cas', 'cold-refill.write-lock']) {
      const result = await explore(named(name))
      assert.equal(result.divergentOrders, 0, name)
    }
    assert.ok((await explore(named('cold-refill.versioned-cas-bare-del'))).divergentOrders > 0)
  })

  it('delayed-double-delete: consistent when the stale SET lands inside the wait, divergent after; every DEL costs a miss', async () => {
    const inside = await run(named('ddd-stale-set-inside-delay'))
    assert.deepEqual([inside.divergent, inside.cacheMisses], [false, 2])
    assert.equal((await run(named('ddd-stale-set-after-delay'))).divergent, true)
  })

  it('ttl-only: divergent when the writes end, converged within the TTL, and the time is measured', async () => {
    const result = await run(named('ttl-two-writers'))
    assert.equal(result.divergent, true)
    assert.ok(result.convergedAfterMs !== null && result.convergedAfterMs <= 300 + 50, `converged after ${result.convergedAfterMs} ms`)
  })

  it('ttl-only: the initial cached value expires too, so a failed cache step still converges within the TTL', async () => {
    const s = named('cache-step-fails.ttl-only')
    const result = await run(s)
    assert.equal(result.divergent, true)
    assert.ok(result.convergedAfterMs !== null && result.convergedAfterMs <= 1000 + 100, `converged after ${result.convergedAfterMs} ms`)
    // Seeded the way the strategy writes: with its TTL, never a key that lives for ever.
    const redis = new Redis(testRedisUrl)
    try {
      await runScenario({...s, faults: [], actors: []}, await benches.for(s), {schedule: () => new DelaySchedule([]), signal})
      const ttl = await redis.pttl(`${testPrefix}item:1`)
      assert.ok(ttl > 0 && ttl <= 1000, `PTTL ${ttl}`)
    } finally {
      await redis.quit()
    }
  })

  it('write-behind: a dirty read until the drain, and a write lost with the stream', async () => {
    const window = await run(named('wb-drain-window'))
    assert.deepEqual([window.dirtyReads, window.lostWrites, window.db], [1, 0, 100])
    const lost = await run(named('wb-lost-stream'))
    assert.deepEqual([lost.lostWrites, lost.db, lost.divergent], [1, 50, false])
  })

  it('binlog-invalidate: the binlog DEL closes the stale window; a stale SET after it stays', async () => {
    const window = await run(named('bi-stale-read-window'))
    assert.deepEqual([window.staleReads, window.cache], [1, null])
    assert.equal((await run(named('bi-stale-refill'))).divergent, true)
  })

  it('replica reads: the reader refills the cache from the lagging replica', async () => {
    const result = await run(named('utd-replica-lag'))
    assert.match(result.steps.find((s) => s.step === 'db.select')!.note!, /replica/)
    assert.deepEqual([result.db, result.cache, result.divergent], [99, 100, true])
  })
})
