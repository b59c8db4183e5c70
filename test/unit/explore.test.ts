import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {OrderError, parseOrder} from '../../src/scenario/order.js'
import {
  exploreAllOrders,
  NondeterminismError,
  type OrderPlan,
  planSelector,
  pctBound,
  pctSelector,
  prefixSelector,
  randomSelector,
  sampleOrders,
  switches,
} from '../../src/schedule/explore.js'
import {scriptSelector} from '../../src/schedule/script.js'
import {type Selector, SteppedSchedule} from '../../src/schedule/stepped.js'
import type {ScheduleOutcome} from '../../src/schedule/types.js'
import {seededRandom} from '../../src/util/random.js'
import {type FakeActor, fakeActors, FakeLock} from '../helpers/fake-actors.js'

const signal = new AbortController().signal

/** One run of fake actors under a stepped schedule; `actors` builds them afresh (fresh state per order). */
async function runWith(selector: Selector, actors: () => FakeActor[], log: string[] = []): Promise<ScheduleOutcome> {
  const schedule = new SteppedSchedule({kind: 'explore', selector, stepTimeoutMs: 5000})
  return schedule.run(fakeActors(schedule, actors(), signal, log), signal)
}

const runOrder = (actors: () => FakeActor[]) => (plan: OrderPlan) => runWith(planSelector(plan), actors)

const orders = (runs: readonly ScheduleOutcome[]) => runs.map((r) => r.order.join(' '))

/** n! / (k1! k2! …): the interleavings of actors with k1, k2, … steps that keep each actor's order. */
function interleavings(...steps: number[]): number {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1))
  return steps.reduce((n, k) => n / factorial(k), factorial(steps.reduce((a, b) => a + b, 0)))
}

const independent = (...counts: number[]) => () =>
  counts.map((count, i) => {
    const name = String.fromCharCode(65 + i)
    return {name, steps: ['do.one', 'do.two', 'do.three'].slice(0, count)}
  })

describe('exploreAllOrders: every order, each once', () => {
  for (const counts of [[2, 2], [2, 1, 1], [2, 2, 2], [3, 1]]) {
    it(`actors with ${counts.join(', ')} independent steps: ${interleavings(...counts)} orders, none twice, each actor's steps in its own order`, async () => {
      const explored = await exploreAllOrders(runOrder(independent(...counts)), {signal, maxOrders: 1000, parallel: 1})
      assert.equal(explored.complete, true)
      assert.equal(explored.runs.length, interleavings(...counts))
      assert.equal(new Set(orders(explored.runs)).size, explored.runs.length)
      for (const run of explored.runs) {
        for (const actor of independent(...counts)()) {
          assert.deepEqual(run.order.filter((t) => t.startsWith(`${actor.name}:`)), actor.steps.map((s) => `${actor.name}:${s}`))
        }
      }
    })
  }

  it('goes depth first, first actor first: the first order runs each actor to its end in name order', async () => {
    const explored = await exploreAllOrders(runOrder(independent(2, 2)), {signal, maxOrders: 1000, parallel: 1})
    assert.equal(orders(explored.runs)[0], 'A:do.one A:do.two B:do.one B:do.two')
    assert.equal(orders(explored.runs).at(-1), 'B:do.one B:do.two A:do.one A:do.two')
    assert.deepEqual(explored.runs[0]!.decisions, [
      {position: 0, enabled: ['A', 'B'], steps: [{actor: 'A', step: 'do.one'}, {actor: 'B', step: 'do.one'}], chosen: 'A'},
      {position: 1, enabled: ['A', 'B'], steps: [{actor: 'A', step: 'do.two'}, {actor: 'B', step: 'do.one'}], chosen: 'A'},
    ])
  })

  it('in parallel slots, the same orders', async () => {
    const sequential = await exploreAllOrders(runOrder(independent(2, 2, 1)), {signal, maxOrders: 1000, parallel: 1})
    const parallel = await exploreAllOrders(runOrder(independent(2, 2, 1)), {signal, maxOrders: 1000, parallel: 3})
    assert.deepEqual(orders(parallel.runs).sort(), orders(sequential.runs).sort())
  })

  it('stops at maxOrders and says the search is incomplete', async () => {
    let seen = 0
    const explored = await exploreAllOrders(runOrder(independent(2, 2)), {signal, maxOrders: 4, parallel: 1, onRun: (n) => (seen = n)})
    assert.equal(explored.runs.length, 4)
    assert.equal(seen, 4)
    assert.equal(explored.complete, false)
  })

  it('a step that waits for a lock another actor holds: only the orders that can happen, and none gets stuck', async () => {
    const actors = () => {
      const lock = new FakeLock()
      return ['A', 'B'].map((name) => ({name, steps: [lock.acquire(name), 'do.work', lock.release(name)]}))
    }
    const explored = await exploreAllOrders(runOrder(actors), {signal, maxOrders: 1000, parallel: 1})
    assert.equal(explored.complete, true)
    // Of the 20 interleavings, the second taker's middle step must follow the first's release: 3 each way.
    assert.equal(explored.runs.length, 6)
    assert.ok(explored.runs.every((r) => r.stuck === null))
    for (const order of orders(explored.runs)) {
      const [first, second] = order.startsWith('A:') ? ['A', 'B'] : ['B', 'A']
      assert.ok(order.indexOf(`${second}:do.work`) > order.indexOf(`${first}:lock.release`), order)
    }
  })

  it('two locks taken in opposite orders: the deadlocked orders end stuck, with who waits for what, and the search goes on', async () => {
    const actors = () => {
      const [one, two] = [new FakeLock('one'), new FakeLock('two')]
      return [
        {name: 'A', steps: [one.acquire('A'), two.acquire('A'), two.release('A'), one.release('A')]},
        {name: 'B', steps: [two.acquire('B'), one.acquire('B'), one.release('B'), two.release('B')]},
      ]
    }
    const explored = await exploreAllOrders(runOrder(actors), {signal, maxOrders: 1000, parallel: 1})
    assert.equal(explored.complete, true)
    const stuck = explored.runs.filter((r) => r.stuck !== null)
    assert.ok(stuck.length > 0 && stuck.length < explored.runs.length)
    for (const run of stuck) {
      assert.deepEqual(
        run.stuck!.map((b) => `${b.actor} ${b.step}: ${b.reason}`),
        ['A two.acquire: waits for two, held by B', 'B one.acquire: waits for one, held by A'],
      )
    }
  })

  it('a run that does not repeat its prefix is an error, not a wrong count', async () => {
    let run = 0
    // After the first order, B has nothing left to do: something other than the schedule decided.
    const actors = () => (run++ === 0 ? independent(2, 1)() : [{name: 'A', steps: ['do.one', 'do.two', 'do.three']}, {name: 'B', steps: []}])
    await assert.rejects(exploreAllOrders(runOrder(actors), {signal, maxOrders: 1000, parallel: 1}), NondeterminismError)
  })
})

describe('selectors', () => {
  const pending = (...actors: string[]) => actors.map((actor) => ({actor, step: 'do.one', sends: null, reading: false, readOnly: false}))
  const context = (position: number) => ({position, blocked: [], finished: []})

  it('a prefix is followed, then the first actor that can go', () => {
    const selector = prefixSelector(['B', 'A'])
    assert.equal(selector.choose(pending('A', 'B'), context(0)), 'B')
    assert.equal(selector.choose(pending('A', 'B'), context(1)), 'A')
    assert.equal(selector.choose(pending('B', 'C'), context(2)), 'B')
    assert.throws(() => selector.choose(pending('A'), context(0)), /at step 1 B could go before, now only A can/)
  })

  it('a random selector picks by its generator; a seeded plan picks the same way every time', async () => {
    assert.equal(randomSelector(() => 0.99).choose(pending('A', 'B', 'C'), context(0)), 'C')
    assert.equal(randomSelector(() => 0).choose(pending('A', 'B', 'C'), context(0)), 'A')
    const plan: OrderPlan = {kind: 'random', seed: 42}
    const once = await runOrder(independent(3, 3))(plan)
    const again = await runOrder(independent(3, 3))(plan)
    assert.deepEqual(again.order, once.order)
  })

  it('sampleOrders: the same seed gives the same orders, however many run at once', async () => {
    const sample = (parallel: number) => sampleOrders(runOrder(independent(3, 3)), {signal, parallel, count: 12, seed: 7})
    const [one, three] = [await sample(1), await sample(3)]
    assert.equal(one.runs.length, 12)
    assert.deepEqual(orders(three.runs).sort(), orders(one.runs).sort())
    assert.ok(new Set(orders(one.runs)).size > 1)
  })

  it('shards: disjoint, together every order, the first run counted once', async () => {
    const all = orders((await exploreAllOrders(runOrder(independent(2, 2, 1)), {signal, maxOrders: 1000, parallel: 1})).runs)
    for (const count of [1, 2, 3, 7]) {
      const shards = []
      for (let index = 0; index < count; index++) {
        shards.push(orders((await exploreAllOrders(runOrder(independent(2, 2, 1)), {signal, maxOrders: 1000, parallel: 2, shard: {index, count}})).runs))
      }
      assert.equal(shards.flat().length, all.length, `${count} shards`)
      assert.deepEqual(shards.flat().sort(), [...all].sort(), `${count} shards`)
    }
  })

  it('sampleOrders draws no order twice, and a space smaller than the sample ends it early, said so', async () => {
    const sampled = await sampleOrders(runOrder(independent(3, 3)), {signal, parallel: 1, count: 15, seed: 3})
    assert.equal(sampled.runs.length, 15)
    assert.equal(new Set(orders(sampled.runs)).size, 15)
    assert.equal(sampled.filled, true)
    assert.ok(sampled.draws >= 15)
    // Two actors with two steps each: 6 orders, not 10.
    const small = await sampleOrders(runOrder(independent(2, 2)), {signal, parallel: 2, count: 10, seed: 3})
    assert.equal(new Set(orders(small.runs)).size, small.runs.length)
    assert.equal(small.runs.length, 6)
    assert.equal(small.filled, false)
    const accepted: string[] = []
    const again = await sampleOrders(runOrder(independent(3, 3)), {signal, parallel: 3, count: 15, seed: 3, accept: (run) => accepted.push(run.order.join(' '))})
    assert.deepEqual(orders(again.runs), orders(sampled.runs))
    assert.deepEqual(accepted, orders(sampled.runs))
  })

  it('a script replays its order and says where an order does not fit', async () => {
    const script = (text: string) => runWith(scriptSelector(parseOrder(text)), independent(2, 1))
    assert.deepEqual((await script('B:do.one A:do.one A:do.two')).order, ['B:do.one', 'A:do.one', 'A:do.two'])
    const fails = (text: string, message: RegExp) => assert.rejects(script(text), (e: unknown) => e instanceof OrderError && message.test(e.message))
    await fails('A:do.two A:do.one B:do.one', /step 1 of the order is A:do\.two, but A's next step is do\.one/)
    await fails('A:do.one A:do.two', /the order ends after 2 steps, but B:do\.one is still waiting to go/)
    await fails('A:do.one A:do.two B:do.one B:do.two', /every actor finished after 3 steps; the order has 1 more: B:do\.two/)
    await fails('A:do.one A:do.two A:do.three', /step 3 of the order is A:do\.three, but A has already finished/)
  })

  it('PCT at depth 1 runs each actor to its end, highest priority first; at depth 2 it finds a depth-2 bug at least as often as its bound says', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const run = await runWith(pctSelector(seededRandom(seed), 1, 6), independent(3, 3))
      assert.equal(switches(run.order), 1, run.order.join(' '))
    }
    // A's two steps with B's between them needs two things in order: depth 2, over 3 steps.
    let found = 0
    const runs = 300
    for (let seed = 1; seed <= runs; seed++) {
      const run = await runWith(pctSelector(seededRandom(seed), 2, 3), independent(2, 1))
      if (run.order.join(' ') === 'A:do.one B:do.one A:do.two') found += 1
    }
    assert.ok(found / runs >= pctBound(2, 3, 2), `${found} of ${runs}, bound ${pctBound(2, 3, 2)}`)
    const sampled = await sampleOrders(runOrder(independent(3, 3)), {signal, parallel: 1, count: 10, seed: 5, plan: (seed) => ({kind: 'pct', seed, depth: 2, steps: 6})})
    assert.ok(sampled.runs.every((r) => switches(r.order) <= 3), orders(sampled.runs).join('\n'))
  })

  it('switches counts the changes of actor along an order', () => {
    assert.equal(switches(['A:x', 'A:y', 'B:x', 'A:z']), 2)
    assert.equal(switches([]), 0)
  })
})
