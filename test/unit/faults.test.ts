import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {BadInputError} from '../../src/errors/bad-input-error.js'
import {formatFault, parseFault} from '../../src/scenario/faults.js'
import {faultAt} from '../../src/schedule/faults.js'

describe('--fault', () => {
  it('reads the four kinds, with durations and occurrences', () => {
    assert.deepEqual(parseFault('A:cache.set=fail'), {actor: 'A', step: 'cache.set', kind: 'fail'})
    assert.deepEqual(parseFault('A:db.update=crash'), {actor: 'A', step: 'db.update', kind: 'crash'})
    assert.deepEqual(parseFault('B:cache.set=pause=300ms'), {actor: 'B', step: 'cache.set', kind: 'pause', ms: 300})
    assert.deepEqual(parseFault('A:cache.del#2=latency=1.5s'), {actor: 'A', step: 'cache.del', kind: 'latency', ms: 1500, occurrence: 2})
  })

  it('prints a fault back in the form it reads', () => {
    for (const text of ['A:cache.set=fail', 'B:cache.set=pause=300ms', 'A:cache.del#2=latency=50ms']) assert.equal(formatFault(parseFault(text)), text)
  })

  it('refuses a kind it does not know, a pause without a duration, a fail with one', () => {
    for (const text of ['A:cache.set=explode', 'B:cache.set=pause', 'A:cache.set=fail=10ms', 'cache.set=fail']) {
      assert.throws(() => parseFault(text), BadInputError, text)
    }
  })

  it('a pause or latency past 600 s is refused in one line, as a scenario file\'s ms: and --delay are', () => {
    assert.deepEqual(parseFault('A:cache.set=pause=600s'), {actor: 'A', step: 'cache.set', kind: 'pause', ms: 600_000})
    for (const text of ['A:cache.set=pause=700000', 'A:cache.set=latency=601s']) {
      assert.throws(() => parseFault(text), (error: Error) => error instanceof BadInputError && error.message === `--fault "${text}": at most 600 s`, text)
    }
  })

  it('a fault hits only its actor, its step, and its occurrence (the first by default)', () => {
    const faults = [parseFault('A:cache.del#2=fail'), parseFault('B:db.update=crash')]
    assert.equal(faultAt(faults, 'A', 'cache.del', 1), undefined)
    assert.equal(faultAt(faults, 'A', 'cache.del', 2)?.kind, 'fail')
    assert.equal(faultAt(faults, 'B', 'db.update', 1)?.kind, 'crash')
    assert.equal(faultAt(faults, 'B', 'db.update', 2), undefined)
    assert.equal(faultAt(faults, 'A', 'db.update', 1), undefined)
  })
})
