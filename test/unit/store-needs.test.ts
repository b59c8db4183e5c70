import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Workbenches} from '../../src/run/workbenches.js'
import {loadBuiltInScenarios, loadMatrixScenarios} from '../../src/scenario/load.js'
import {storeNeedOf} from '../../src/scenario/store-need.js'
import type {Scenario} from '../../src/scenario/types.js'
import type {StoreNeed, StoreTargets, TargetsFor} from '../../src/stores/targets.js'

const builtIn = await loadBuiltInScenarios()
const named = (name: string) => builtIn.find((s) => s.name === name)!

/** Targets no server answers at: runnable() only finds them, it never connects. */
const nowhere: StoreTargets = {
  mysql: {display: 'mysql://nowhere', host: 'nowhere', port: 1, user: 'root', password: undefined, database: 'cachesim'},
  redis: {display: 'redis://nowhere', url: 'redis://nowhere:1'},
  prefix: 'cachesim:',
}

/** Targets for every need but those in `missing`, which fail as a server without a binlog would; the needs asked, in order. */
function targets(missing: readonly StoreNeed[]): {targetsFor: TargetsFor; asked: StoreNeed[]} {
  const asked: StoreNeed[] = []
  return {
    asked,
    async targetsFor(need) {
      asked.push(need)
      if (missing.includes(need)) throw new Error(`no ${need} here`)
      return nowhere
    },
  }
}

describe('what a scenario needs of the servers', () => {
  it('a replica through its replica:, a binlog through its strategy, else nothing more', () => {
    assert.equal(storeNeedOf(named('utd-replica-lag')), 'replica')
    for (const name of ['bi-normal-order', 'bi-stale-read-window', 'bi-stale-refill']) assert.equal(storeNeedOf(named(name)), 'binlog', name)
    for (const name of ['uu-two-writers', 'dcl-three-readers', 'wb-lost-stream', 'utd-normal-order']) assert.equal(storeNeedOf(named(name)), 'plain', name)
  })

  it('of the built-in and matrix scenarios, one needs a replica, those of binlog-invalidate a binlog, the rest nothing more', async () => {
    const needs = new Map<StoreNeed, Scenario[]>()
    for (const s of [...builtIn, ...(await loadMatrixScenarios())]) needs.set(storeNeedOf(s), [...(needs.get(storeNeedOf(s)) ?? []), s])
    assert.deepEqual(needs.get('replica')?.map((s) => s.name), ['utd-replica-lag'])
    assert.deepEqual(new Set(needs.get('binlog')?.map((s) => s.strategy)), new Set(['binlog-invalidate']))
    assert.equal(needs.get('binlog')?.length, 8, 'three built-in scenarios and five matrix cells')
    assert.ok(needs.get('plain')!.every((s) => s.strategy !== 'binlog-invalidate' && s.replica === undefined))
  })
})

describe('Workbenches.runnable', () => {
  const mixed: Scenario[] = [named('uu-two-writers'), named('bi-stale-refill'), named('utd-replica-lag')]

  it('finds the stores of each need the scenarios have, the replica first, and keeps every scenario when they are there', async () => {
    const {targetsFor, asked} = targets([])
    const left: string[] = []
    const kept = await new Workbenches(targetsFor).runnable(mixed, (scenarios) => left.push(...scenarios.map((s) => s.name)))
    assert.deepEqual(kept, mixed)
    assert.deepEqual(left, [])
    assert.deepEqual(asked, ['replica', 'binlog'], 'the plain stores are given; the replica comes first, as its primary serves the binlog too')
  })

  it('asks for nothing when every scenario runs on the plain stores', async () => {
    const {targetsFor, asked} = targets(['binlog', 'replica'])
    const plain = [named('uu-two-writers'), named('dcl-three-readers')]
    assert.deepEqual(await new Workbenches(targetsFor).runnable(plain, () => assert.fail('nothing is left out')), plain)
    assert.deepEqual(asked, [])
  })

  it('leaves out the scenarios of a need that cannot be met, saying which and why, while others remain', async () => {
    const {targetsFor} = targets(['binlog'])
    const left: [string[], string][] = []
    const kept = await new Workbenches(targetsFor).runnable(mixed, (scenarios, reason) => left.push([scenarios.map((s) => s.name), reason]))
    assert.deepEqual(kept.map((s) => s.name), ['uu-two-writers', 'utd-replica-lag'])
    assert.deepEqual(left, [[['bi-stale-refill'], 'no binlog here']])
  })

  it('when no scenario would remain, the reason is the error', async () => {
    const {targetsFor} = targets(['binlog'])
    await assert.rejects(new Workbenches(targetsFor).runnable([named('bi-stale-refill'), named('bi-normal-order')], () => {}), /^Error: no binlog here$/)
  })
})
