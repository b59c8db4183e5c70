import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  compareExpectation,
  compareExploreExpectation,
  countMatches,
  type ObservedExploration,
  type ObservedRun,
  runExpectation,
} from '../../src/check/expectation.js'

// The seed's cold refill as one run shows it: MySQL has 99, the cache kept the stale 100.
const coldRefill: ObservedRun = {
  divergent: true,
  db: 99,
  cache: 100,
  staleReads: 0,
  dirtyReads: 0,
  dbQueries: 3,
  lostWrites: 0,
  cacheMisses: 1,
  convergedAfterMs: null,
}

describe('expect: of one run', () => {
  it('only the fields a scenario gives are checked', () => {
    assert.deepEqual(compareExpectation({}, coldRefill), [])
    assert.deepEqual(compareExpectation({divergent: true, db: 99, cache: 100}, coldRefill), [])
  })

  it('every field that differs is one phrase, with "none" for no row or no key', () => {
    assert.deepEqual(compareExpectation({divergent: false, db: 99, cache: null, staleReads: 1, dbQueries: 3}, coldRefill), [
      'divergent: expected false, got true',
      'Redis value: expected none, got 100',
      'stale reads: expected 1, got 0',
    ])
    assert.deepEqual(compareExpectation({db: null, lostWrites: 0, cacheMisses: 2}, coldRefill), ['MySQL value: expected none, got 99', 'cache misses: expected 2, got 1'])
  })

  it('convergedWithinMs: in time, too late, never, or never needed to', () => {
    const expect = {convergedWithinMs: 50}
    assert.deepEqual(compareExpectation(expect, {...coldRefill, convergedAfterMs: 40}), [])
    assert.deepEqual(compareExpectation(expect, {...coldRefill, convergedAfterMs: 80.4}), ['converged within 50 ms: got 80 ms'])
    assert.deepEqual(compareExpectation(expect, coldRefill), ['converged within 50 ms: got still divergent'])
    assert.deepEqual(compareExpectation(expect, {...coldRefill, divergent: false}), ['converged within 50 ms: got never diverged'])
  })

  it("views: each named actor's in-process cache at the end; an actor with nothing there holds none", () => {
    const observed = {...coldRefill, views: {A: 100}}
    assert.deepEqual(compareExpectation({views: {A: 100, B: null}}, observed), [])
    assert.deepEqual(compareExpectation({views: {A: 99, B: 100}}, observed), ["A's in-process cache: expected 99, got 100", "B's in-process cache: expected 100, got none"])
  })

  it('the run part of expect: leaves out what explore finds, and is null when nothing is left', () => {
    assert.equal(runExpectation(undefined), null)
    assert.equal(runExpectation({explore: {orders: 6}}), null)
    assert.deepEqual(runExpectation({divergent: true, explore: {orders: 6}}), {divergent: true})
  })
})

describe('expect: explore', () => {
  const explored: ObservedExploration = {
    orders: 30,
    impossibleOrders: 0,
    divergentOrders: 4,
    staleOrders: 2,
    dirtyOrders: 0,
    witness: 'B:cache.get B:db.select A:db.update A:cache.del B:cache.set',
    complete: true,
  }

  it('counts match exactly or by comparison; the witness matches however it is spaced', () => {
    const expect = {orders: 30, divergentOrders: '>0', staleOrders: '<=2', dirtyOrders: '=0', impossibleOrders: '!=1', witness: ' B:cache.get, B:db.select  A:db.update,A:cache.del B:cache.set\n'}
    assert.deepEqual(compareExploreExpectation(expect, explored), [])
  })

  it('says what differs, and that counts cut short by --max-orders are not the whole story', () => {
    assert.deepEqual(compareExploreExpectation({orders: 31, divergentOrders: '0', witness: 'A:db.update'}, {...explored, complete: false}), [
      'the search stopped at --max-orders, so the counts are incomplete',
      'orders: expected 31, got 30',
      'divergent orders: expected 0, got 4',
      'witness: expected "A:db.update", got "B:cache.get B:db.select A:db.update A:cache.del B:cache.set"',
    ])
    assert.deepEqual(compareExploreExpectation({witness: 'A:db.update'}, {...explored, witness: null}), ['witness: expected "A:db.update", got none'])
  })

  it('count comparisons: every operator, and a form it cannot read never matches', () => {
    const cases: [string | number, number, boolean][] = [
      [2, 2, true], [2, 3, false], ['2', 2, true], ['=2', 3, false],
      ['>0', 1, true], ['>0', 0, false], ['>=1', 1, true], ['<3', 3, false], ['<=3', 3, true], ['!=0', 0, false], ['!=0', 5, true],
      ['about 2', 2, false], ['>-1', 0, false],
    ]
    for (const [want, got, matches] of cases) assert.equal(countMatches(want, got), matches, `${want} against ${got}`)
  })
})
