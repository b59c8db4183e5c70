import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {pairSteps} from '../../src/history/history.js'
import type {HistoryEntry, StepEffect} from '../../src/history/types.js'
import {divergedAt, inEffectOrder, stateAfterEachStep} from '../../src/report/store-model.js'

type Line = [time: number, type: HistoryEntry['type'], actor: string, step: string, value: number | null, effect?: StepEffect]

function model(lines: Line[], initial = {db: 100 as number | null, cache: 100 as number | null}) {
  const entries: HistoryEntry[] = lines.map(([time, type, actor, step, value, effect], index) => ({index, time, type, actor, step, value, ...(effect ? {effect} : {})}))
  const steps = pairSteps(entries)
  const states = stateAfterEachStep({steps, entries, initial})
  return {steps, states, cells: states.map((s) => `${s.db}/${s.cache}`)}
}

describe('the store model: what a timeline shows after each step', () => {
  it('a step takes effect when it ends: an UPDATE that waited for A\'s row lock commits after A\'s COMMIT', () => {
    const {steps, cells} = model([
      [1, 'invoke', 'A', 'db.begin', null], [2, 'ok', 'A', 'db.begin', null],
      [3, 'invoke', 'A', 'db.update', 99], [4, 'ok', 'A', 'db.update', null],
      [5, 'invoke', 'B', 'db.update', 98],
      [6, 'invoke', 'A', 'db.commit', null], [7, 'ok', 'A', 'db.commit', null, {db: 99}],
      [8, 'ok', 'B', 'db.update', null, {db: 98}],
    ])
    assert.deepEqual(cells, ['100/100', '100/100', '98/100', '99/100'])
    assert.deepEqual(inEffectOrder(steps).map((s) => `${s.actor}:${s.step}`), ['A:db.begin', 'A:db.update', 'A:db.commit', 'B:db.update'])
  })

  it('a step whose outcome is unknown may have happened: its effect counts; a failed one and an unfinished one change nothing', () => {
    const {steps, cells} = model([
      [1, 'invoke', 'A', 'cache.del', null], [2, 'info', 'A', 'cache.del', null, {cache: null}],
      [3, 'invoke', 'B', 'cache.set', 7], [4, 'fail', 'B', 'cache.set', null],
      [5, 'invoke', 'A', 'cache.set', 8],
    ])
    assert.deepEqual(cells, ['100/null', '100/null', '100/null'])
    assert.deepEqual(inEffectOrder(steps).map((s) => s.type), ['info', 'fail', 'pending'])
  })

  it('the stores disagree for good from the step that made them disagree last, not from an earlier disagreement that healed', () => {
    const {steps, states} = model([
      [1, 'invoke', 'A', 'db.update', 99], [2, 'ok', 'A', 'db.update', null, {db: 99}],
      [3, 'invoke', 'A', 'cache.set', 99], [4, 'ok', 'A', 'cache.set', null, {cache: 99}],
      [5, 'invoke', 'B', 'cache.set', 100], [6, 'ok', 'B', 'cache.set', null, {cache: 100}],
    ])
    assert.equal(divergedAt(states, steps), 2)
    const healed = model([
      [1, 'invoke', 'A', 'db.update', 99], [2, 'ok', 'A', 'db.update', null, {db: 99}],
      [3, 'invoke', 'A', 'cache.del', null], [4, 'ok', 'A', 'cache.del', null, {cache: null}],
    ])
    assert.deepEqual(healed.cells, ['99/100', '99/null'])
    assert.equal(divergedAt(healed.states, healed.steps), null)
  })
})
