import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {committedVersions} from '../../src/check/commits.js'
import {isDivergent} from '../../src/check/divergence.js'
import {checkReads} from '../../src/check/reads.js'
import type {HistoryEntry, OperationRecord, StepEffect} from '../../src/history/types.js'

/** Builds a history from compact lines: [time, type, actor, step, value, effect?]. */
function history(lines: [number, HistoryEntry['type'], string, string, number | null, StepEffect?][]): HistoryEntry[] {
  return lines.map(([time, type, actor, step, value, effect], index) => ({index, time, type, actor, step, value, ...(effect ? {effect} : {})}))
}

function read(actor: string, value: number | null, startMs: number, endMs: number): OperationRecord {
  return {actor, op: 'read', value, type: 'ok', startMs, endMs}
}

describe('committed versions', () => {
  it('a step whose effect is a committed row commits within its own step', () => {
    const versions = committedVersions(history([[1, 'invoke', 'A', 'db.update', 99], [2, 'ok', 'A', 'db.update', null, {db: 99}]]), 100)
    assert.deepEqual(versions.map((v) => [v.value, v.start, v.end]), [[100, -Infinity, -Infinity], [99, 1, 2]])
  })

  it('only steps whose effect says so commit: the COMMIT of a transaction, not its UPDATE, and nothing after a rollback', () => {
    const entries = history([
      [1, 'invoke', 'A', 'db.begin', null], [2, 'ok', 'A', 'db.begin', null],
      [3, 'invoke', 'A', 'db.update', 99], [4, 'ok', 'A', 'db.update', null],
      [10, 'invoke', 'A', 'db.commit', null], [11, 'ok', 'A', 'db.commit', null, {db: 99}],
      [12, 'invoke', 'B', 'db.begin', null], [13, 'ok', 'B', 'db.begin', null],
      [14, 'invoke', 'B', 'db.update', 7], [15, 'ok', 'B', 'db.update', null],
      [16, 'invoke', 'B', 'db.rollback', null], [17, 'ok', 'B', 'db.rollback', null],
    ])
    assert.deepEqual(committedVersions(entries, 100).map((v) => [v.value, v.start, v.end]), [[100, -Infinity, -Infinity], [99, 10, 11]])
  })

  it('a commit whose outcome is unknown may have happened at any time after it was sent', () => {
    const entries = history([
      [1, 'invoke', 'A', 'db.update', 99], [2, 'info', 'A', 'db.update', null, {db: 99}],
    ])
    assert.deepEqual(committedVersions(entries, 100).at(-1), {value: 99, actor: 'A', start: 1, end: Infinity})
  })

  it('a failed update commits nothing', () => {
    const entries = history([[1, 'invoke', 'A', 'db.update', 99], [2, 'fail', 'A', 'db.update', null]])
    assert.equal(committedVersions(entries, 100).length, 1)
  })
})

describe('stale and dirty reads', () => {
  const commit99at10 = committedVersions(history([[9, 'invoke', 'A', 'db.update', 99], [10, 'ok', 'A', 'db.update', null, {db: 99}]]), 100)

  it('a read that starts after a commit and returns the older value is stale', () => {
    const findings = checkReads([read('B', 100, 20, 21)], commit99at10)
    assert.deepEqual(findings.map((f) => [f.anomaly, f.value, f.latest]), [['stale', 100, 99]])
  })

  it('a read that overlaps the commit may return either value', () => {
    assert.deepEqual(checkReads([read('B', 100, 9.5, 12), read('C', 99, 9.5, 12)], commit99at10), [])
  })

  it('a read before the commit returning the old value is fine', () => {
    assert.deepEqual(checkReads([read('B', 100, 1, 2)], commit99at10), [])
  })

  it('a value never committed is a dirty read', () => {
    assert.deepEqual(checkReads([read('B', 42, 20, 21)], commit99at10).map((f) => f.anomaly), ['dirty'])
  })

  it('a value committed only after the read returned is a dirty read (seen before MySQL had it)', () => {
    assert.deepEqual(checkReads([read('B', 99, 1, 2)], commit99at10).map((f) => f.anomaly), ['dirty'])
  })

  it('failed reads and writes are not judged', () => {
    const failed: OperationRecord = {actor: 'B', op: 'read', value: 5, type: 'fail', startMs: 20, endMs: 21}
    assert.deepEqual(checkReads([failed], commit99at10), [])
  })
})

describe('divergence', () => {
  it('a cached value other than MySQL is divergent; a missing key is a miss, not a divergence', () => {
    assert.equal(isDivergent({db: 80, cache: 100}), true)
    assert.equal(isDivergent({db: 80, cache: 80}), false)
    assert.equal(isDivergent({db: 80, cache: null}), false)
    assert.equal(isDivergent({db: null, cache: 3}), true)
  })

  it('JSON values compare structurally: the order of an object\'s fields does not matter', () => {
    assert.equal(isDivergent({db: {name: 'ann', age: 3}, cache: {age: 3, name: 'ann'}}), false)
    assert.equal(isDivergent({db: {name: 'ann'}, cache: {name: 'bob'}}), true)
    assert.equal(isDivergent({db: '7', cache: 7}), true)
  })
})
