import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {redisUnchanged, sqlUnchanged} from '../../src/app/gate.js'

/**
 * Which replies say a step changed nothing: a sleeper wakes again only after a step that may
 * have changed a store (stepped.ts), so a reply taken for "nothing" wrongly would lose orders.
 */
describe("an app step's reply that says it changed nothing", () => {
  const redis = (name: string, args: string[], reply: unknown) => redisUnchanged(name, args).unchangedBy?.(reply) ?? false

  it('Redis: a SET NX that did not set, a DEL or EXPIRE of no key, a SETNX of a taken key', () => {
    assert.equal(redis('set', ['lock', 'A', 'PX', '2000', 'NX'], null), true)
    assert.equal(redis('set', ['lock', 'A', 'PX', '2000', 'NX'], 'OK'), false)
    assert.equal(redis('del', ['k'], 0), true)
    assert.equal(redis('del', ['k'], 1), false)
    assert.equal(redis('pexpire', ['k', '100'], 0), true)
    assert.equal(redis('setnx', ['k', 'v'], 0), true)
  })

  it('Redis: not a reply that is a value or a count of updates (HSET 0, INCR 0, a script, SET … GET)', () => {
    assert.equal(redis('hset', ['h', 'f', 'v'], 0), false)
    assert.equal(redis('incrby', ['n', '-1'], 0), false)
    assert.equal(redis('eval', ['return nil', '0'], null), false)
    assert.equal(redis('set', ['k', 'v', 'GET'], null), false)
  })

  it('SQL: a write of 0 rows, a named lock not taken, a BEGIN; never a COMMIT or a ROLLBACK', () => {
    const sql = (verb: string, reply: unknown, readOnly = false) => sqlUnchanged(verb, readOnly)?.(reply) ?? false
    assert.equal(sql('update', {affectedRows: 0}), true)
    assert.equal(sql('update', {affectedRows: 1}), false)
    assert.equal(sql('select', [{'GET_LOCK(\'l\', 0)': 0}]), true)
    assert.equal(sql('select', [{'GET_LOCK(\'l\', 0)': 1}]), false)
    assert.equal(sql('select', [{id: 1, value: 100}]), false)
    assert.equal(sql('begin', {affectedRows: 0}), true)
    assert.equal(sql('commit', {affectedRows: 0}), false)
    assert.equal(sql('rollback', {affectedRows: 0}), false)
  })
})
