import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {runScenario, type ScheduleHooks} from '../../src/run/run-scenario.js'
import {loadBuiltInScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {parseOrder} from '../../src/scenario/order.js'
import {DelaySchedule} from '../../src/schedule/delays.js'
import {scriptSelector} from '../../src/schedule/script.js'
import {SteppedSchedule} from '../../src/schedule/stepped.js'
import {STRATEGIES} from '../../src/strategies/index.js'
import {testWorkbenches} from '../helpers/stores.js'

const scenarios = await loadBuiltInScenarios()
const {benches, signal} = testWorkbenches()

/**
 * The run its expect: speaks of: the order its delays are meant to produce, replayed one step at a
 * time (as `check` does), so that a busy machine cannot change the verdict; in real time when it
 * pins no order.
 */
async function run(scenario: Scenario) {
  const schedule = scenario.order
    ? (hooks: ScheduleHooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(parseOrder(scenario.order!.join(' '))), ...hooks})
    : () => new DelaySchedule(scenario.delays)
  return runScenario(scenario, await benches.for(scenario), {schedule, signal, judge: true})
}

function named(name: string): Scenario {
  const scenario = scenarios.find((s) => s.name === name)
  assert.ok(scenario, `no built-in scenario ${name}`)
  return scenario
}

describe('every built-in scenario gives the verdict the literature gives', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}`, async () => {
      assert.ok(scenario.expect, `${scenario.name} has no expect:`)
      const result = await run(scenario)
      assert.deepEqual(result.mismatches, [], `${scenario.name}: ${result.mismatches.join('; ')}`)
      assert.equal(result.matchesExpected, true)
    })
  }
})

describe('the seed tables, step by step', () => {
  it('update-then-update: A=100 delayed before its SET, B=80 → MySQL 80, Redis 100', async () => {
    const result = await run(named('uu-two-writers'))
    assert.deepEqual([result.db, result.cache, result.divergent], [80, 100, true])
    assert.deepEqual(result.order, ['A:db.update', 'B:db.update', 'B:cache.set', 'A:cache.set'])
  })

  it('cache-first: A=100 delayed before its UPDATE → MySQL 100, Redis 80', async () => {
    const result = await run(named('cf-two-writers'))
    assert.deepEqual([result.db, result.cache, result.divergent], [100, 80, true])
  })

  it('delete-then-update: the reader refills the old value inside the open transaction', async () => {
    const result = await run(named('dtu-reader-refills-old'))
    assert.deepEqual([result.db, result.cache, result.divergent], [99, 100, true])
    const select = result.steps.find((s) => s.actor === 'B' && s.step === 'db.select')
    assert.equal(select?.value, 100, 'B read the old committed value')
    const commit = result.steps.find((s) => s.step === 'db.commit')!
    assert.ok(select.endMs! < commit.startMs, 'B read while the transaction was open')
  })

  it('update-then-delete: one stale read in the window before the DEL, consistent at the end', async () => {
    const result = await run(named('utd-stale-read-window'))
    assert.deepEqual([result.staleReads, result.divergent, result.cache], [1, false, null])
    assert.deepEqual(result.reads.map((r) => [r.actor, r.value, r.latest]), [['B', 100, 99]])
  })

  it('double-check-lock: three readers on a cold cache, one SELECT, all three get the row', async () => {
    for (const name of ['dcl-three-readers', 'dcl-three-readers-redis-lock']) {
      const result = await run(named(name))
      assert.equal(result.steps.filter((s) => s.step === 'db.select').length, 1, name)
      assert.deepEqual(result.operations.map((op) => [op.actor, op.value, op.type]).sort(), [
        ['A', 100, 'ok'],
        ['B', 100, 'ok'],
        ['C', 100, 'ok'],
      ])
      // Each reader went through the lock: it missed first, then waited its turn.
      assert.equal(result.steps.filter((s) => s.step === 'lock.acquire' && s.type === 'ok').length, 3, name)
    }
  })

  it('every strategy has a scenario without delays that comes out consistent', async () => {
    for (const strategy of STRATEGIES) {
      const calm = scenarios.filter((s) => s.strategy === strategy.name && s.delays.length === 0 && s.faults.length === 0 && s.name.endsWith('-normal-order'))
      assert.ok(calm.length > 0, `${strategy.name} has no scenario without delays`)
      for (const scenario of calm) {
        const result = await run(scenario)
        assert.equal(result.divergent, false, scenario.name)
        assert.equal(result.staleReads + result.dirtyReads, 0, scenario.name)
      }
    }
  })
})
