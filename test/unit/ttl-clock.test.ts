import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {STEPPED_TTL_MS, TtlClock} from '../../src/schedule/ttl-clock.js'

describe('the run\'s clock for TTLs', () => {
  it('under real time, a TTL is sent as it is and nothing is kept', () => {
    const clock = new TtlClock(false)
    assert.equal(clock.px(40), 40)
    clock.started('lock', 't1', 40)
    assert.deepEqual(clock.pass(1000), [])
    assert.deepEqual(clock.left(), [])
  })

  it('one step at a time, a key lives until a pause passes its deadline', () => {
    const clock = new TtlClock(true)
    assert.equal(clock.px(40), STEPPED_TTL_MS)
    clock.started('lock', 't1', 40)
    clock.started('item', '100', 1000)
    assert.deepEqual(clock.pass(39), [])
    assert.deepEqual(clock.pass(1), [{key: 'lock', value: 't1', deadlineMs: 40}])
    // Expired once: it is not handed out again.
    assert.deepEqual(clock.pass(100), [])
    assert.deepEqual(clock.left(), [{key: 'item', value: '100', ms: 860}])
  })

  it('a later SET with a TTL restarts the key\'s time', () => {
    const clock = new TtlClock(true)
    clock.started('item', '100', 100)
    clock.pass(80)
    clock.started('item', '99', 100)
    assert.deepEqual(clock.pass(50), [])
    assert.deepEqual(clock.pass(50), [{key: 'item', value: '99', deadlineMs: 180}])
  })
})
