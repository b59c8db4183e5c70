import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {exploreAllOrders, type OrderPlan, planSelector} from '../../src/schedule/explore.js'
import {dependent} from '../../src/history/independence.js'
import {alternativesAt, ordersOfClass} from '../../src/schedule/sleep-set.js'
import {SteppedSchedule} from '../../src/schedule/stepped.js'
import type {ScheduleOutcome} from '../../src/schedule/types.js'
import {seededRandom} from '../../src/util/random.js'
import {type FakeActor, fakeActors, type FakeStep} from '../helpers/fake-actors.js'

const signal = new AbortController().signal

/**
 * Two in-memory "servers", a db register and a cache register, and actors whose steps read or
 * write them: `db.*` steps touch only the db, `cache.*` only the cache, as the real stores do.
 * What an order leads to is the final registers and every value each actor read.
 */
interface World {
  db: number
  cache: number
  reads: string[]
}

type Op = {store: 'db' | 'cache'; kind: 'read' | 'write' | 'copy'}

function actorsOf(programs: readonly Op[][], world: World): FakeActor[] {
  return programs.map((ops, i) => {
    const name = String.fromCharCode(65 + i)
    let held = 0
    const steps: FakeStep[] = ops.map((op, k) => ({
      name: `${op.store}.${op.kind}`,
      run: () => {
        if (op.kind === 'read') {
          held = world[op.store]
          world.reads.push(`${name}${k}=${held}`)
        } else if (op.kind === 'write') world[op.store] = 10 * (i + 1) + k
        else world[op.store] = held // writes what the actor last read: the refill of cache-aside
      },
    }))
    return {name, steps}
  })
}

interface Outcome extends ScheduleOutcome {
  world: World
}

const runOrder = (programs: readonly Op[][]) => async (plan: OrderPlan): Promise<Outcome> => {
  const world: World = {db: 1, cache: 0, reads: []}
  const schedule = new SteppedSchedule({kind: 'explore', selector: planSelector(plan), stepTimeoutMs: 5000})
  const outcome = await schedule.run(fakeActors(schedule, actorsOf(programs, world), signal), signal)
  return {...outcome, world}
}

/** What an order led to: the registers, and each actor's reads in its own order. */
const outcomeOf = (run: Outcome) => JSON.stringify([run.world.db, run.world.cache, [...run.world.reads].sort()])

async function both(programs: readonly Op[][]) {
  const full = await exploreAllOrders(runOrder(programs), {signal, maxOrders: 100_000, parallel: 1})
  const reduced = await exploreAllOrders(runOrder(programs), {signal, maxOrders: 100_000, parallel: 1, reduce: true})
  return {full, reduced}
}

const op = (store: 'db' | 'cache', kind: Op['kind']): Op => ({store, kind})
const read = (store: 'db' | 'cache') => op(store, 'read')
const write = (store: 'db' | 'cache') => op(store, 'write')
const copy = (store: 'db' | 'cache') => op(store, 'copy')

describe('the reduced search (sleep sets)', () => {
  it('steps on different servers commute: two actors each on their own server are one class, not six orders', async () => {
    const {full, reduced} = await both([
      [write('db'), read('db')],
      [write('cache'), read('cache')],
    ])
    assert.equal(full.runs.length, 6)
    assert.equal(reduced.runs.length, 1)
    assert.equal(reduced.complete, true)
  })

  it('steps on one server do not: update-then-delete against a refill keeps every outcome', async () => {
    // A writes the db then deletes (writes) the cache; B reads the cache, the db, and fills the cache.
    const programs = [
      [write('db'), write('cache')],
      [read('cache'), read('db'), copy('cache')],
    ]
    const {full, reduced} = await both(programs)
    assert.equal(full.runs.length, 10)
    assert.ok(reduced.runs.length < full.runs.length, `${reduced.runs.length} classes`)
    assert.deepEqual(new Set(reduced.runs.map(outcomeOf)), new Set(full.runs.map(outcomeOf)))
  })

  it('no two classes explored are the same class, and their orders add up to every order', async () => {
    const programs = [
      [write('db'), write('cache')],
      [read('cache'), read('db'), copy('cache')],
      [read('cache'), read('db'), copy('cache')],
    ]
    const {full, reduced} = await both(programs)
    const sizes = reduced.runs.map((run) => ordersOfClass(run.order.map((token) => ({actor: token.split(':')[0]!, step: token.split(':')[1]!}))))
    assert.equal(sizes.reduce<number>((a, b) => a + b!, 0), full.runs.length)
  })

  it('randomly made programs: the same outcomes as every order, in parallel and in shards too', async () => {
    const random = seededRandom(12345)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
    for (let trial = 0; trial < 40; trial++) {
      const actors = 2 + Math.floor(random() * 2)
      const programs = Array.from({length: actors}, () =>
        Array.from({length: 1 + Math.floor(random() * (actors === 2 ? 4 : 3))}, () => op(pick(['db', 'cache'] as const), pick(['read', 'write', 'copy'] as const))),
      )
      const {full, reduced} = await both(programs)
      const label = JSON.stringify(programs.map((ops) => ops.map((o) => `${o.store}.${o.kind}`)))
      assert.deepEqual(new Set(reduced.runs.map(outcomeOf)), new Set(full.runs.map(outcomeOf)), label)
      const sizes = reduced.runs.map((run) => ordersOfClass(run.order.map((token) => ({actor: token.split(':')[0]!, step: token.split(':')[1]!}))))
      assert.equal(sizes.reduce<number>((a, b) => a + b!, 0), full.runs.length, label)
      const parallel = await exploreAllOrders(runOrder(programs), {signal, maxOrders: 100_000, parallel: 3, reduce: true})
      assert.deepEqual(parallel.runs.map((r) => r.order.join(' ')).sort(), reduced.runs.map((r) => r.order.join(' ')).sort(), label)
      const shards = []
      for (let index = 0; index < 3; index++) {
        const shard = await exploreAllOrders(runOrder(programs), {signal, maxOrders: 100_000, parallel: 1, reduce: true, shard: {index, count: 3}})
        shards.push(...shard.runs.map((r) => r.order.join(' ')))
      }
      assert.deepEqual(shards.sort(), reduced.runs.map((r) => r.order.join(' ')).sort(), label)
    }
  })

  it('an alternative sleeps on the steps explored before it at its point, as far as they commute with it', () => {
    const a = {actor: 'A', step: 'db.update'}
    const b = {actor: 'B', step: 'cache.get'}
    const c = {actor: 'C', step: 'db.select'}
    assert.deepEqual(alternativesAt([], a, [b, c]), [
      {step: b, sleeping: [a]},
      {step: c, sleeping: [b]},
    ])
    // A lock step commutes with nothing: nothing sleeps past it.
    assert.deepEqual(alternativesAt([b], a, [{actor: 'C', step: 'lock.acquire'}]), [{step: {actor: 'C', step: 'lock.acquire'}, sleeping: []}])
  })

  it('ordersOfClass counts the orders that keep dependent steps in place', () => {
    assert.equal(ordersOfClass([]), 1)
    // A's two steps in order, B's one step on another server: 3 places for it.
    assert.equal(ordersOfClass([{actor: 'A', step: 'db.update'}, {actor: 'A', step: 'db.select'}, {actor: 'B', step: 'cache.get'}]), 3)
    // All on one server: one order.
    assert.equal(ordersOfClass([{actor: 'A', step: 'db.update'}, {actor: 'B', step: 'db.select'}]), 1)
  })

  it('a PUBLISH, or a batch with one in it, depends on every step; a batch without one only on its server', () => {
    const update = {actor: 'B', step: 'db.update'}
    assert.equal(dependent({actor: 'A', step: 'redis.PUBLISH'}, update), true)
    assert.equal(dependent({actor: 'A', step: 'redis.MULTI', publishes: true}, update), true)
    assert.equal(dependent({actor: 'A', step: 'redis.MULTI'}, update), false)
    assert.equal(dependent({actor: 'A', step: 'redis.MULTI'}, {actor: 'B', step: 'redis.GET', readOnly: true}), true)
  })
})

