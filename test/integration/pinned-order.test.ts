import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {checkScenarios} from '../../src/run/check-scenarios.js'
import {runScenario} from '../../src/run/run-scenario.js'
import {loadBuiltInScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {DelaySchedule} from '../../src/schedule/delays.js'
import {orderNote} from '../../src/report/history-lines.js'
import {toRunJson} from '../../src/report/json.js'
import {scenario} from '../helpers/scenarios.js'
import {testWorkbenches} from '../helpers/stores.js'

/**
 * A scenario's `order:` pins the order its delays are meant to produce. A machine too busy for
 * the delays' margins is played here by delays that produce another order: `run` must say so
 * rather than give another verdict, and `check` must judge the pinned order all the same.
 */
const {benches, signal} = testWorkbenches()

const INTENDED = 'B:cache.get B:db.select A:db.update A:cache.del B:cache.set'

/** utd-cold-cache-refill as written, but B starts 60 ms late: as if the machine had stalled B. */
const stalled = scenario(`name: cold-refill-stalled
strategy: update-then-delete
initial: { db: 100, cache: null }
actors:
  A: { op: write, value: 99 }
  B: { op: read, startAfterMs: 60 }
delays:
  - { actor: B, before: cache.set, ms: 100 }
order: "${INTENDED}"
expect: { divergent: true, db: 99, cache: 100 }
`)

async function runWithDelays(s: Scenario) {
  return runScenario(s, await benches.for(s), {schedule: (hooks) => new DelaySchedule(s.delays, hooks.inProcessWaitMs), signal})
}

describe('a scenario pins the order its delays are meant to produce', () => {
  it('run says the delays did not produce it, and how to replay it, instead of another verdict', async () => {
    const run = await runWithDelays(stalled)
    assert.notEqual(run.order.join(' '), INTENDED)
    assert.equal(run.orderAsIntended, false)
    assert.equal(run.matchesExpected, null, 'not held to expect:')
    assert.deepEqual(run.mismatches, [])
    assert.match(orderNote(run) ?? '', /the delays did not produce the intended order on this machine/)
    assert.ok(orderNote(run)?.includes(`--order "${INTENDED}"`), orderNote(run) ?? '')
    const json = toRunJson(run)
    assert.equal(json.intendedOrder, INTENDED)
    assert.equal(json.orderAsIntended, false)
  })

  it('check judges the run by replaying the pinned order, whatever the delays did', async () => {
    const [result] = await checkScenarios([stalled], {benches, signal})
    assert.equal(result!.status, 'pass', result!.reasons.join('; '))
    assert.equal(result!.run!.schedule, 'script')
    assert.equal(result!.run!.order.join(' '), INTENDED)
    assert.match(result!.summary, /replayed/)
  })

  it('check fails a scenario whose pinned order gives another outcome', async () => {
    const wrong = scenario(`name: cold-refill-wrong-order
strategy: update-then-delete
initial: { db: 100, cache: null }
actors:
  A: { op: write, value: 99 }
  B: { op: read }
order: "A:db.update A:cache.del B:cache.get B:db.select B:cache.set"
expect: { divergent: true }
`)
    const [result] = await checkScenarios([wrong], {benches, signal})
    assert.equal(result!.status, 'fail')
    assert.deepEqual(result!.reasons, ['run: divergent: expected true, got false'])
  })

  it('an order that does not fit the scenario fails its check with the reason, not a crash', async () => {
    const unfit = scenario(`name: cold-refill-unfit-order
strategy: update-then-delete
initial: { db: 100, cache: null }
actors:
  A: { op: write, value: 99 }
  B: { op: read }
order: "A:cache.del A:db.update"
expect: { divergent: false }
`)
    const [result] = await checkScenarios([unfit], {benches, signal})
    assert.equal(result!.status, 'fail')
    assert.match(result!.reasons[0]!, /^run: its order: cannot be replayed: step 1 of the order is A:cache\.del, but A's next step is db\.update/)
  })

  it('each built-in scenario\'s delays produce the order it pins (within 5 tries)', async () => {
    for (const s of (await loadBuiltInScenarios()).filter((b) => b.order)) {
      let got = ''
      for (let i = 0; i < 5 && got !== s.order!.join(' '); i++) got = (await runWithDelays(s)).order.join(' ')
      assert.equal(got, s.order!.join(' '), s.name)
    }
  })
})
