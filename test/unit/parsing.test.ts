import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseDelay} from '../../src/cli/parse-delay.js'
import {BadInputError} from '../../src/errors/bad-input-error.js'
import {parseOrder} from '../../src/scenario/order.js'
import {maskUrl, parseMysqlUrl, validatePrefix} from '../../src/stores/urls.js'

describe('--delay', () => {
  it('reads actor, when, step, occurrence and duration', () => {
    assert.deepEqual(parseDelay('A:before:cache.set=60ms'), {actor: 'A', when: 'before', step: 'cache.set', ms: 60})
    assert.deepEqual(parseDelay('B:after:db.select#2=1.5s'), {actor: 'B', when: 'after', step: 'db.select', ms: 1500, occurrence: 2})
    assert.deepEqual(parseDelay('A:before:db.commit=80'), {actor: 'A', when: 'before', step: 'db.commit', ms: 80})
  })

  it('rejects anything else with the expected form in the message', () => {
    assert.throws(() => parseDelay('A:during:cache.set=1ms'), (e: unknown) => e instanceof BadInputError && /ACTOR:before\|after:STEP=DURATION/.test(e.message))
  })
})

describe('--order', () => {
  it('reads ACTOR:STEP tokens separated by spaces or commas', () => {
    assert.deepEqual(parseOrder('A:db.update, B:cache.get  B:db.select'), [
      {actor: 'A', step: 'db.update'},
      {actor: 'B', step: 'cache.get'},
      {actor: 'B', step: 'db.select'},
    ])
  })

  it('rejects a token that is not ACTOR:STEP', () => {
    assert.throws(() => parseOrder('A-db.update'), /"A-db.update" is not ACTOR:STEP/)
  })
})

describe('URLs and prefixes', () => {
  it('never shows a password', () => {
    assert.equal(maskUrl('mysql://root:s3cret@db:3306/cachesim'), 'mysql://root:****@db:3306/cachesim')
    assert.equal(maskUrl('redis://:hunter2@cache:6379/0'), 'redis://:****@cache:6379/0')
    assert.equal(parseMysqlUrl('mysql://u:p%40ss@h:3307/x').display, 'mysql://u:****@h:3307/x')
  })

  it('reads the MySQL URL, with cachesim as the default database', () => {
    const target = parseMysqlUrl('mysql://u:p%40ss@h:3307')
    assert.deepEqual([target.host, target.port, target.user, target.password, target.database], ['h', 3307, 'u', 'p@ss', 'cachesim'])
  })

  it('refuses a database name that is not a plain identifier', () => {
    assert.throws(() => parseMysqlUrl('mysql://root@h/x;drop'), BadInputError)
  })

  it('refuses a prefix that could match other keys', () => {
    assert.throws(() => validatePrefix('*'), BadInputError)
    assert.throws(() => validatePrefix(''), BadInputError)
    assert.equal(validatePrefix('myapp:cachesim:'), 'myapp:cachesim:')
  })
})
