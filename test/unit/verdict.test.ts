import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {divergedAt, stateAfterEachStep} from '../../src/report/store-model.js'
import type {Observation} from '../../src/check/types.js'
import {judge, worstWord} from '../../src/check/verdict.js'
import {pairSteps} from '../../src/history/history.js'
import type {HistoryEntry, OperationRecord, StepEffect} from '../../src/history/types.js'

function entries(lines: [number, HistoryEntry['type'], string, string, number | null, StepEffect?][]): HistoryEntry[] {
  return lines.map(([time, type, actor, step, value, effect], index) => ({index, time, type, actor, step, value, ...(effect ? {effect} : {})}))
}

const read = (actor: string, value: number | null, startMs: number, endMs: number): OperationRecord => ({actor, op: 'read', value, type: 'ok', startMs, endMs})

// The seed's cold refill: B reads 100 from MySQL, A commits 99 and deletes, B's SET of 100 lands last.
const coldRefill = entries([
  [1, 'invoke', 'B', 'cache.get', null], [2, 'ok', 'B', 'cache.get', null],
  [3, 'invoke', 'B', 'db.select', null], [4, 'ok', 'B', 'db.select', 100],
  [5, 'invoke', 'A', 'db.update', 99], [6, 'ok', 'A', 'db.update', null, {db: 99}],
  [7, 'invoke', 'A', 'cache.del', null], [8, 'ok', 'A', 'cache.del', null, {cache: null}],
  [9, 'invoke', 'B', 'cache.set', 100], [10, 'ok', 'B', 'cache.set', null, {cache: 100}],
])

function observation(overrides: Partial<Observation>): Observation {
  return {entries: coldRefill, operations: [read('B', 100, 1, 10)], initial: {db: 100, cache: null}, final: {db: 99, cache: 100}, stuck: false, ...overrides}
}

describe('one verdict', () => {
  it('a divergent run is invalid, and its word is divergent', () => {
    const verdict = judge(observation({}))
    assert.equal(verdict.valid, false)
    assert.equal(verdict.word, 'divergent')
    assert.deepEqual(verdict.checks.filter((c) => c.valid !== true).map((c) => c.check), ['divergence'])
  })

  it('false beats unknown beats true', () => {
    const unknownStep = entries([[1, 'invoke', 'A', 'db.update', 99], [2, 'info', 'A', 'db.update', null, {db: 99}]])
    const unknownOnly = judge(observation({entries: unknownStep, operations: [], final: {db: 99, cache: null}}))
    assert.equal(unknownOnly.valid, 'unknown')
    assert.equal(unknownOnly.word, 'unknown')
    const both = judge(observation({entries: [...coldRefill, ...unknownStep.map((e) => ({...e, index: e.index + 10, time: e.time + 20}))]}))
    assert.equal(both.valid, false)
    const fine = judge(observation({final: {db: 99, cache: null}, operations: [read('B', 100, 1, 4)]}))
    assert.equal(fine.valid, true)
    assert.equal(fine.word, 'consistent')
  })

  it('a stale read is found from the effects: the read began after the commit of 99 and returned 100', () => {
    const verdict = judge(observation({final: {db: 99, cache: null}, operations: [read('B', 100, 7, 8)]}))
    assert.equal(verdict.word, 'stale')
    assert.equal(verdict.checks.find((c) => c.check === 'stale-reads')?.count, 1)
  })

  it('an order that could not finish is impossible, whatever else it shows', () => {
    assert.equal(judge(observation({stuck: true})).word, 'impossible')
    assert.equal(worstWord(['stale', 'divergent', 'consistent']), 'divergent')
    assert.equal(worstWord([]), 'consistent')
  })
})

describe('the store model reads the steps\' effects', () => {
  it('follows the cache and the committed row step by step, and marks the step after which they disagree for good', () => {
    const steps = pairSteps(coldRefill)
    const states = stateAfterEachStep({steps, entries: coldRefill, initial: {db: 100, cache: null}})
    assert.deepEqual(states.map((s) => [s.db, s.cache]), [[100, null], [100, null], [99, null], [99, null], [99, 100]])
    assert.equal(divergedAt(states, steps), 4)
  })

  it('a conditional write the cache refused has no effect, whatever its note says', () => {
    const refused = entries([[1, 'invoke', 'B', 'cache.fill', 100], [2, 'ok', 'B', 'cache.fill', null]])
    const steps = pairSteps(refused)
    assert.deepEqual(stateAfterEachStep({steps, entries: refused, initial: {db: 99, cache: null}}), [{db: 99, cache: null}])
  })
})
