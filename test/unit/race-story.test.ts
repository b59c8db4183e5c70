import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {shortNames, sortActors} from '../../src/report/race-story.js'
import {wrapText} from '../../src/report/terminal-width.js'

describe('telling a race', () => {
  it('actors in the order people count them: A2 before A10', () => {
    assert.deepEqual(sortActors(['A10', 'B', 'A2', 'A1', 'A2']), ['A1', 'A2', 'A10', 'B'])
  })

  it('values wider than a column get short names v1, v2 in the order met; narrow ones keep their text', () => {
    assert.deepEqual([...shortNames([100, 99, null], 6)], [])
    assert.deepEqual([...shortNames([{name: 'ann'}, null, 99, {name: 'ann'}], 6)], [['{"name":"ann"}', 'v1'], ['99', 'v2']])
  })

  it('wraps at spaces, mid-word only for a word wider than the line, and cuts nothing', () => {
    assert.deepEqual(wrapText('db.select read 100', 10), ['db.select', 'read 100'])
    assert.deepEqual(wrapText('{"name":"user 100"}', 8), ['{"name":', '"user', '100"}'])
    assert.equal(wrapText('abcdefghijk', 4).join(''), 'abcdefghijk')
  })
})
