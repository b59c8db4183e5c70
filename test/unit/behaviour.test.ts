import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type BehaviourOutcome, behaviourKey, canonicalSteps} from '../../src/history/behaviour.js'
import type {HistoryEntry, StepEffect, Value} from '../../src/history/types.js'

/** One step as a test writes it: `A:db.update` with what it sent, returned and did. */
interface Step {
  token: string
  sent?: Value
  value?: Value
  effect?: StepEffect
}

/** A history in which each step ends before the next is sent. */
function history(steps: readonly Step[]): HistoryEntry[] {
  const entries: HistoryEntry[] = []
  for (const s of steps) {
    const [actor, step] = s.token.split(':') as [string, string]
    entries.push({index: entries.length, time: entries.length, type: 'invoke', actor, step, value: s.sent ?? null})
    const done: HistoryEntry = {index: entries.length, time: entries.length, type: 'ok', actor, step, value: s.value ?? null}
    if (s.effect) done.effect = s.effect
    entries.push(done)
  }
  return entries
}

/** Runs steps against a one-row, one-key model and says what a run with them would show. */
function outcome(steps: readonly Step[]): BehaviourOutcome {
  let db: Value = 1
  let cache: Value = 1
  for (const s of steps) {
    if (s.effect?.db !== undefined) db = s.effect.db
    if (s.effect?.cache !== undefined) cache = s.effect.cache
  }
  return {entries: history(steps), db, cache, divergent: db !== cache, staleReads: 0, dirtyReads: 0, lostWrites: 0, stuck: null}
}

/** Every interleaving of the actors' steps that keeps each actor's own order. */
function interleavings(actors: readonly (readonly Step[])[]): Step[][] {
  if (actors.every((a) => a.length === 0)) return [[]]
  return actors.flatMap((steps, i) =>
    steps.length === 0 ? [] : interleavings(actors.map((a, j) => (j === i ? a.slice(1) : a))).map((rest) => [steps[0]!, ...rest]),
  )
}

const write = (actor: string, value: number): Step[] => [
  {token: `${actor}:db.update`, sent: value, effect: {db: value}},
  {token: `${actor}:cache.set`, sent: value, effect: {cache: value}},
]

describe('behaviours: orders the servers cannot tell apart are one', () => {
  it('two writers (update-then-update): 6 orders, 4 behaviours (which UPDATE is last × which SET is last), 2 divergent', () => {
    const runs = interleavings([write('A', 100), write('B', 80)]).map(outcome)
    assert.equal(runs.length, 6)
    assert.equal(new Set(runs.map(behaviourKey)).size, 4)
    assert.equal(new Set(runs.filter((r) => r.divergent).map(behaviourKey)).size, 2)
  })

  it('a MySQL step and a Redis step of different actors commute; two steps on one server do not, reads included', () => {
    const dbThenCache = outcome([{token: 'A:db.update', sent: 2, effect: {db: 2}}, {token: 'B:cache.get', value: 1}])
    const cacheThenDb = outcome([{token: 'B:cache.get', value: 1}, {token: 'A:db.update', sent: 2, effect: {db: 2}}])
    assert.equal(behaviourKey(dbThenCache), behaviourKey(cacheThenDb))
    // A GET can take a lease (lease's cache.get): two GETs in either order are two behaviours.
    const ab = outcome([{token: 'A:cache.get', value: 1}, {token: 'B:cache.get', value: 1}])
    const ba = outcome([{token: 'B:cache.get', value: 1}, {token: 'A:cache.get', value: 1}])
    assert.notEqual(behaviourKey(ab), behaviourKey(ba))
  })

  it('locks, the binlog and one-word steps (wait, pause) commute with nothing', () => {
    for (const other of ['B:lock.acquire', 'B:binlog.read', 'B:pause', 'B:stream.read']) {
      const first = outcome([{token: 'A:db.update', sent: 2, effect: {db: 2}}, {token: other}])
      const second = outcome([{token: other}, {token: 'A:db.update', sent: 2, effect: {db: 2}}])
      assert.notEqual(behaviourKey(first), behaviourKey(second), other)
    }
  })

  it('the same order with a different result is another behaviour', () => {
    const hit = outcome([{token: 'B:cache.get', value: 1}])
    const miss = outcome([{token: 'B:cache.get', value: null}])
    assert.notEqual(behaviourKey(hit), behaviourKey(miss))
  })

  it('a step sent while blocked counts where its wait ended: sent before the COMMIT that frees it or after, one behaviour', () => {
    const entry = (type: HistoryEntry['type'], token: string, value: Value = null, effect?: StepEffect): Omit<HistoryEntry, 'index' | 'time'> => {
      const [actor, step] = token.split(':') as [string, string]
      return {type, actor, step, value, ...(effect ? {effect} : {})}
    }
    const numbered = (list: Omit<HistoryEntry, 'index' | 'time'>[]) => list.map((e, index) => ({...e, index, time: index}))
    const base = {db: 3, cache: 1, divergent: true, staleReads: 0, dirtyReads: 0, lostWrites: 0, stuck: null}
    const sentEarly = numbered([
      entry('invoke', 'A:db.update', 2),
      entry('ok', 'A:db.update'),
      entry('invoke', 'B:db.update', 3),
      entry('invoke', 'A:db.commit'),
      entry('ok', 'A:db.commit', null, {db: 2}),
      entry('ok', 'B:db.update', null, {db: 3}),
    ])
    const sentLate = numbered([
      entry('invoke', 'A:db.update', 2),
      entry('ok', 'A:db.update'),
      entry('invoke', 'A:db.commit'),
      entry('ok', 'A:db.commit', null, {db: 2}),
      entry('invoke', 'B:db.update', 3),
      entry('ok', 'B:db.update', null, {db: 3}),
    ])
    assert.equal(behaviourKey({...base, entries: sentEarly}), behaviourKey({...base, entries: sentLate}))
  })

  it('the canonical order is the same for every order of one class, and keeps each actor\'s order', () => {
    const dependent = (a: {actor: string; step: string}, b: {actor: string; step: string}) => a.actor === b.actor || a.step === b.step
    const shapes = new Set(
      interleavings([write('A', 100), write('B', 80)]).map((order) =>
        canonicalSteps(order.map((s) => ({actor: s.token[0]!, step: s.token.slice(2)})), dependent).map((s) => `${s.actor}:${s.step}`).join(' '),
      ),
    )
    assert.equal(shapes.size, 4)
  })
})
