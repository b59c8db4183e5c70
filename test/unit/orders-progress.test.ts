import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {OrdersProgress} from '../../src/cli/orders-progress.js'
import type {Progress} from '../../src/cli/progress.js'

/** A Progress that remembers what it was told. */
function recorder() {
  const calls: {done: number; total: number | undefined; note: string | undefined}[] = []
  const progress: Progress = {
    phase() {},
    update(done, more = {}) {
      calls.push({done, total: more.total, note: more.note})
    },
    stop() {},
  }
  return {progress, calls}
}

describe('progress over many explored scenarios', () => {
  it('counts orders done over all scenarios, estimates the total from the ones done, and says the rate and the scenario', () => {
    const {progress, calls} = recorder()
    const tracker = new OrdersProgress(progress, 'explore', 3)
    tracker.onRun(1, 10)
    assert.deepEqual([calls.at(-1)!.done, calls.at(-1)!.total], [1, 10 + 2 * 10])
    tracker.onRun(10, 10)
    tracker.scenarioDone(10)
    // One scenario of 10 done, two to come: about 10 each.
    assert.deepEqual([calls.at(-1)!.done, calls.at(-1)!.total], [10, 30])
    tracker.onRun(4, 6)
    assert.deepEqual([calls.at(-1)!.done, calls.at(-1)!.total], [14, 10 + 6 + 10])
    assert.match(calls.at(-1)!.note!, /orders\/s · scenario 2\/3$/)
    tracker.scenarioDone(6)
    tracker.onRun(2, 2)
    tracker.scenarioDone(2)
    assert.deepEqual([calls.at(-1)!.done, calls.at(-1)!.total], [18, 18])
  })
})
