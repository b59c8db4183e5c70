import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ScenarioError} from '../../src/errors/scenario-error.js'
import {parseScenario} from '../../src/scenario/load.js'

const valid = `name: race
strategy: update-then-update
initial: { db: 50, cache: 50 }
actors:
  A: { op: write, value: 100 }
  B: { op: write, value: 80, startAfterMs: 10 }
delays:
  - { actor: A, before: cache.set, ms: 60 }
expect: { divergent: true, db: 80, cache: 100 }
`

function problem(text: string): string {
  try {
    parseScenario(text, 'race.yaml')
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${String(error)}`)
    return error.message
  }
  assert.fail('the scenario was accepted')
}

describe('scenario files', () => {
  it('a valid file becomes a scenario', () => {
    const scenario = parseScenario(valid, 'race.yaml')
    assert.equal(scenario.strategy, 'update-then-update')
    assert.deepEqual(scenario.actors.map((a) => [a.name, a.ops, a.startAfterMs]), [
      ['A', [{kind: 'write', value: 100}], 0],
      ['B', [{kind: 'write', value: 80}], 10],
    ])
    assert.deepEqual(scenario.delays, [{actor: 'A', when: 'before', step: 'cache.set', ms: 60}])
    assert.deepEqual(scenario.expect, {divergent: true, db: 80, cache: 100})
  })

  it('an unknown key is an error at its line and column', () => {
    assert.equal(problem(valid.replace('initial:', 'colour: red\ninitial:')), 'race.yaml:3:1: unknown key "colour"; allowed here: name, description, race, strategy, app, lock, lockTtlMs, cacheTtlMs, doubleDeleteDelayMs, leaseTtlMs, initial, actors, replica, delays, order, faults, expect')
  })

  it('order: pins the order the delays are meant to produce; its actors and steps must exist', () => {
    const pinned = valid.replace('expect:', 'order: "A:db.update B:db.update B:cache.set A:cache.set"\nexpect:')
    assert.deepEqual(parseScenario(pinned, 'race.yaml').order, ['A:db.update', 'B:db.update', 'B:cache.set', 'A:cache.set'])
    assert.equal(problem(pinned.replace('B:cache.set A', 'C:cache.set A')), 'race.yaml:9:8: order: no actor named "C"; actors: A, B')
    assert.match(problem(pinned.replace('B:cache.set A', 'B:cache.fill A')), /^race\.yaml:9:8: order: no step "cache\.fill" in update-then-update; /)
  })

  it('an unknown key inside an actor points at that key', () => {
    assert.match(problem(valid.replace('startAfterMs: 10', 'startAfter: 10')), /^race\.yaml:6:30: unknown key "startAfter"; allowed here: op, value, count, ops, startAfterMs$/)
  })

  it('a wrong type names the key and the type', () => {
    assert.equal(problem(valid.replace('value: 100', 'value: lots')), 'race.yaml:5:26: "value" must be a number')
  })

  it('an unknown strategy lists the valid ones', () => {
    assert.match(problem(valid.replace('update-then-update', 'write-around')), /^race\.yaml:2:11: unknown strategy "write-around"; valid strategies: update-then-update, cache-first/)
  })

  it('an unknown step names the strategy\'s steps', () => {
    assert.match(problem(valid.replace('before: cache.set', 'before: cache.put')), /^race\.yaml:8:25: update-then-update has no step "cache.put"; its steps: /)
  })

  it('a delay for an actor that does not exist is an error', () => {
    assert.match(problem(valid.replace('{ actor: A,', '{ actor: C,')), /^race\.yaml:8:14: no actor named "C"; actors: A, B$/)
  })

  it('a write without a value is an error', () => {
    assert.match(problem(valid.replace('{ op: write, value: 100 }', '{ op: write }')), /^race\.yaml:5:6: a write needs "value"/)
  })

  it('YAML syntax errors carry their position too', () => {
    assert.match(problem('name: x\nactors: [\n'), /^race\.yaml:\d+:\d+: /)
  })

  it('a missing required key is named', () => {
    assert.match(problem(valid.replace('strategy: update-then-update\n', '')), /^race\.yaml:1:1: "strategy" is required \(one of update-then-update, .*\), or "app:" with the path of your app module$/)
  })
})
