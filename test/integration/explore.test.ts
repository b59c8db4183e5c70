import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Redis} from 'ioredis'

import {type ExploreResult, exploreScenario} from '../../src/run/explore-scenario.js'
import type {RunResult} from '../../src/run/result.js'
import {runScenario} from '../../src/run/run-scenario.js'
import type {Workbench} from '../../src/run/workbench.js'
import {loadBuiltInScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {OrderError, parseOrder} from '../../src/scenario/order.js'
import {scriptSelector} from '../../src/schedule/script.js'
import {SteppedSchedule} from '../../src/schedule/stepped.js'
import {STRATEGIES} from '../../src/strategies/index.js'
import {scenario} from '../helpers/scenarios.js'
import {keysMatching, testPrefix, testRedisUrl, testWorkbenches} from '../helpers/stores.js'

const builtIn = await loadBuiltInScenarios()
const {benches, signal} = testWorkbenches()
const bench = (s: Scenario): Promise<Workbench> => benches.for(s)

const named = (name: string) => builtIn.find((s) => s.name === name)!
const explore = async (s: Scenario, options: Partial<Parameters<typeof exploreScenario>[2]> = {}) =>
  exploreScenario(s, await bench(s), {signal, keep: 'runs', ...options})
const replay = async (s: Scenario, order: string) =>
  runScenario(s, await bench(s), {schedule: (hooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(parseOrder(order)), ...hooks}), signal})

/** Where each step of an order sits, e.g. at(run, 'B:db.select'). */
const at = (run: RunResult, token: string) => run.order.indexOf(token)

describe('explore visits every order exactly once', () => {
  it('two writers with two steps each: the 6 interleavings, each once', async () => {
    const result = await explore(named('uu-two-writers'))
    assert.equal(result.orders, 6)
    assert.equal(result.distinctOrders, 6)
    assert.equal(result.complete, true)
    // Every interleaving keeps each actor's own order of steps.
    for (const run of result.runs) {
      assert.ok(at(run, 'A:db.update') < at(run, 'A:cache.set'))
      assert.ok(at(run, 'B:db.update') < at(run, 'B:cache.set'))
    }
  })

  it('paths that branch on data: a reader that hits does not SELECT (delete-then-update: 21 orders)', async () => {
    const result = await explore(named('dtu-reader-refills-old'))
    assert.equal(result.orders, 21)
    assert.equal(result.distinctOrders, 21)
    const hits = result.runs.filter((r) => at(r, 'B:cache.get') < at(r, 'A:cache.del'))
    assert.equal(hits.length, 1)
    assert.equal(at(hits[0]!, 'B:db.select'), -1)
  })

  it('a random sample only finds orders the enumeration found, and the same seed finds the same ones', async () => {
    const s = named('dcl-writer-beats-lock')
    const all = new Set((await explore(s)).runs.map((r) => r.order.join(' ')))
    const first = await explore(s, {random: {count: 10, seed: 7}})
    const again = await explore(s, {random: {count: 10, seed: 7}})
    const other = await explore(s, {random: {count: 10, seed: 8}})
    const orders = (r: ExploreResult) => r.runs.map((run) => run.order.join(' ')).sort()
    for (const order of orders(first)) assert.ok(all.has(order), order)
    assert.equal(new Set(orders(first)).size, 10, 'no order twice')
    assert.equal(first.sampled?.filled, true)
    assert.deepEqual(orders(first), orders(again))
    assert.notDeepEqual(orders(first), orders(other))
  })

  it("keep: 'counts' lets every run go once counted: the same counts, behaviours, witness and impossible orders as keeping them all", async () => {
    for (const name of ['dtu-reader-refills-old', 'wl-reader-writer', 'dcl-three-readers']) {
      const full = await explore(named(name))
      const counted = await explore(named(name), {keep: 'counts'})
      const summary = (r: ExploreResult) => ({
        orders: r.orders,
        impossible: r.impossibleOrders,
        divergent: r.divergentOrders,
        stale: r.staleOrders,
        dirty: r.dirtyOrders,
        behaviours: [r.behaviours, r.divergentBehaviours, r.staleBehaviours, r.dirtyBehaviours],
        witness: r.witness,
        example: r.exampleRun?.order.join(' ') ?? null,
        stuck: r.stuckRuns.map((run) => run.order.join(' ')),
        worst: r.worst,
        samples: r.samples.map((run) => run.verdict.word),
      })
      assert.deepEqual(summary(counted), summary(full), name)
      assert.equal(counted.runs.length, 0)
      assert.equal(counted.orderRuns.length, 0)
      assert.equal(full.runs.length, full.orders)
      assert.deepEqual(full.stuckRuns.map((run) => run.order.join(' ')), full.runs.filter((run) => run.stuck).slice(0, 3).map((run) => run.order.join(' ')))
    }
  })

  it('--max-orders stops the search and says it is incomplete', async () => {
    const result = await explore(named('dtu-reader-refills-old'), {maxOrders: 5})
    assert.equal(result.orders, 5)
    assert.equal(result.complete, false)
  })
})

describe('the literature\'s outcomes, over every order', () => {
  it('two writers, update-then-update and cache-first: some orders diverge', async () => {
    for (const name of ['uu-two-writers', 'cf-two-writers']) {
      const result = await explore(named(name))
      assert.ok(result.divergentOrders > 0, name)
      assert.ok(result.divergentOrders < result.orders, name)
    }
  })

  it('update-then-delete, cold cache: divergent exactly when the reader SELECTs before the commit and SETs after the DEL', async () => {
    const result = await explore(named('utd-cold-cache-refill'))
    assert.equal(result.orders, 10)
    for (const run of result.runs) {
      const expected = at(run, 'B:db.select') !== -1 && at(run, 'B:db.select') < at(run, 'A:db.update') && at(run, 'B:cache.set') > at(run, 'A:cache.del')
      assert.equal(run.divergent, expected, run.order.join(' '))
    }
    assert.equal(result.divergentOrders, 1)
    assert.equal(result.witness, 'B:cache.get B:db.select A:db.update A:cache.del B:cache.set')
  })

  it('delete-then-update: divergent when the reader misses and SELECTs before the commit, including inside the open transaction', async () => {
    const result = await explore(named('dtu-reader-refills-old'))
    for (const run of result.runs) {
      const select = at(run, 'B:db.select')
      const expected = select !== -1 && select < at(run, 'A:db.commit')
      assert.equal(run.divergent, expected, run.order.join(' '))
    }
    const insideTransaction = result.runs.filter((r) => r.divergent && at(r, 'A:db.begin') < at(r, 'B:db.select') && at(r, 'B:db.select') < at(r, 'A:db.commit'))
    assert.ok(insideTransaction.length > 0)
    // The reader read the old committed value while the writer's update was not yet committed.
    const run = insideTransaction.find((r) => at(r, 'A:db.update') < at(r, 'B:db.select'))!
    assert.equal(run.steps.find((s) => s.actor === 'B' && s.step === 'db.select')?.value, 100)
  })

  it('no order of a single actor diverges, whatever the strategy', async () => {
    for (const strategy of STRATEGIES) {
      // A write-behind write reaches MySQL when it is drained, a binlog-invalidate write reaches the
      // cache when it is synced: the lone actor runs its own worker after each write.
      const drain = strategy.drain ? '{ op: drain, count: 1 }, ' : strategy.sync ? '{ op: sync, count: 1 }, ' : ''
      const result = await explore(
        scenario(`name: alone
strategy: ${strategy.name}
initial: { db: 1, cache: 1 }
actors:
  A: { ops: [ { op: read }, { op: write, value: 2 }, ${drain}{ op: read }, { op: write, value: 3 }, ${drain}{ op: read } ] }
`),
      )
      assert.equal(result.orders, 1, strategy.name)
      assert.equal(result.divergentOrders + result.staleOrders + result.dirtyOrders, 0, strategy.name)
    }
  })

  it('three actors: with the double-checked lock, every order of three readers SELECTs exactly once', async () => {
    const result = await explore(named('dcl-three-readers'), {random: {count: 150, seed: 3}})
    assert.equal(result.orders, 150)
    for (const run of result.runs) {
      assert.equal(run.steps.filter((s) => s.step === 'db.select').length, 1, run.order.join(' '))
      assert.deepEqual(run.operations.map((op) => op.value), [100, 100, 100])
    }
    // The lock really was contended: some readers waited for it.
    assert.ok(result.runs.some((r) => r.steps.some((s) => s.step === 'lock.acquire' && r.steps.some((o) => o.actor !== s.actor && o.startMs > s.startMs && o.startMs < (s.endMs ?? 0)))))
  })
})

describe('blocking', () => {
  const twoWriters = scenario(`name: dtu-two-writers
strategy: delete-then-update
initial: { db: 100, cache: 100 }
actors:
  A: { op: write, value: 99 }
  B: { op: write, value: 98 }
`)

  it('a writer blocked on the other\'s row lock lets the other go on; exploration finishes without a hang', async () => {
    const started = performance.now()
    const result = await explore(twoWriters)
    assert.equal(result.impossibleOrders, 0)
    assert.equal(result.divergentOrders, 0)
    // Orders where B's UPDATE was released while A's transaction held the row: B waited, A committed first.
    const blocked = result.runs.filter((r) => at(r, 'A:db.update') < at(r, 'B:db.update') && at(r, 'B:db.update') < at(r, 'A:db.commit'))
    assert.ok(blocked.length > 0)
    for (const run of blocked) {
      const update = run.steps.find((s) => s.actor === 'B' && s.step === 'db.update')!
      const commit = run.steps.find((s) => s.actor === 'A' && s.step === 'db.commit')!
      assert.ok(update.endMs! > commit.startMs, 'B finished its update only once A committed')
      assert.equal(run.db, 98)
    }
    assert.ok(performance.now() - started < 20_000, 'blocked steps cost little, not a timeout each')
  })

  it('replaying an order that needs a blocked actor to move is impossible, not a hang', async () => {
    await assert.rejects(
      replay(twoWriters, 'A:cache.del A:db.begin A:db.update B:cache.del B:db.begin B:db.update B:db.commit A:db.commit'),
      (error: unknown) => error instanceof OrderError && /step 7 of the order \(B:db\.commit\) is impossible: B is blocked in db\.update/.test(error.message),
    )
    // And the stores are usable at once afterwards: the next run is not stuck behind a lock.
    const next = await replay(twoWriters, 'A:cache.del A:db.begin A:db.update A:db.commit B:cache.del B:db.begin B:db.update B:db.commit')
    assert.equal(next.db, 98)
  })
})

describe('replay', () => {
  it('replaying an order 200 times gives 200 identical verdicts', async () => {
    const s = named('utd-cold-cache-refill')
    const order = 'B:cache.get B:db.select A:db.update A:cache.del B:cache.set'
    const verdicts = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const run = await replay(s, order)
      verdicts.add(JSON.stringify([run.order.join(' '), run.db, run.cache, run.divergent, run.staleReads, run.dirtyReads, run.dbQueries]))
    }
    assert.deepEqual([...verdicts], [JSON.stringify([order, 99, 100, true, 0, 0, 2])])
  })
})

describe('--parallel', () => {
  it('runs orders at once on disjoint rows and gives the same verdict for every order', async () => {
    const s = named('dcl-writer-beats-lock')
    const verdicts = (r: ExploreResult) => r.runs.map((run) => [run.order.join(' '), run.db, run.cache, run.divergent, run.staleReads, run.dirtyReads])
    const sequential = await explore(s)
    const parallel = await explore(s, {parallel: 4})
    assert.deepEqual(verdicts(parallel), verdicts(sequential))
  })

  it('leaves no row or key of the extra slots behind, only row 1\'s last state', async () => {
    const s = named('wb-drain-window')
    await explore(s, {parallel: 4})
    const redis = new Redis(testRedisUrl)
    try {
      const left = await keysMatching(redis, `${testPrefix}*`)
      // The namespace lock is this test's own workbench's, held until it closes.
      assert.deepEqual(left.filter((k) => !/:item:1$|:lock:namespace$/.test(k)), [], left.join(', '))
      assert.ok(left.includes(`${testPrefix}stream:item:1`), 'row 1 keeps its last state to look at')
    } finally {
      await redis.quit()
    }
    const {mysql} = (await bench(s)).observer
    for (const id of [2, 3, 4]) assert.equal(await mysql.snapshot(id), null, `row ${id}`)
  })
})
