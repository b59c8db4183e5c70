import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {ExploreResult} from '../../src/run/explore-scenario.js'
import type {MatrixCell, MatrixResult} from '../../src/run/matrix.js'
import {fitTable} from '../../src/report/fit-table.js'
import {renderMatrix} from '../../src/report/matrix-table.js'
import {strategyNames} from '../../src/strategies/index.js'
import {tableRows} from '../helpers/terminal-text.js'

const RACES = ['two-writers', 'cold-refill', 'warm-read', 'cache-step-fails', 'crash-between', 'pause-past-ttl']

/** A matrix as `cachesim matrix` builds it, its figures made up: what is checked is how it is laid out. */
function matrix(): MatrixResult {
  const strategies = [...strategyNames(), 'my-own-cache-layer-app']
  const verdicts = ['✓', '✗', '~', '⊘'] as const
  const cells = strategies.flatMap((strategy, s) =>
    RACES.filter((_, r) => (s + r) % 5 !== 4).map((race, r): MatrixCell => {
      const verdict = verdicts[(s * 7 + r) % verdicts.length]!
      const explored = {orders: 1624, behaviours: 400, divergentBehaviours: 54, staleBehaviours: 12, dirtyBehaviours: 3, mismatches: ['divergent orders: expected 0, got 114'], witnessRun: null}
      return {strategy, race, scenario: `${strategy}-${race}`, verdict, explored: explored as unknown as ExploreResult, matchesLiterature: (s + r) % 9 === 0 ? false : true}
    }),
  )
  return {races: RACES, strategies, cells, durationMs: 123_456}
}

describe('terminal output within a width', () => {
  it('the matrix fits 80 columns (or 100), the races wrapped at their hyphens, every cell whole', () => {
    const result = matrix()
    for (const width of [80, 100]) {
      const text = renderMatrix(result, {width})
      for (const line of text.split('\n')) assert.ok(line.length <= width, `wider than ${width}: ${line}`)
      const [head, ...rows] = tableRows(text, (cells) => cells[0] === 'strategy' || cells.slice(1).some((cell) => /^[✓✗~⊘–]/.test(cell)))
      assert.deepEqual(head, ['strategy', ...RACES])
      assert.deepEqual(rows.map((row) => row[0]), result.strategies)
      const cell = (strategy: string, race: string) => result.cells.find((c) => c.strategy === strategy && c.race === race)
      for (const row of rows) {
        const want = RACES.map((race) => {
          const c = cell(row[0]!, race)
          if (!c) return '–'
          const count = c.verdict === '✗' ? ' 54/400' : c.verdict === '~' ? ' 15/400' : ''
          return `${c.verdict}${count}${c.matchesLiterature === false ? ' ≠' : ''}`
        })
        assert.deepEqual(row.slice(1), want, row[0])
      }
      const flat = (t: string) => t.replace(/\s+/g, '')
      assert.ok(flat(text).includes(flat('update-then-update-two-writers: divergent orders: expected 0, got 114')), text)
    }
  })

  it('fitTable: never wider than asked, nothing cut; a cell wraps where its row is already tall before another row grows', () => {
    const rows = [
      [{text: 'a-long-scenario-name\n(its-strategy)'}, {text: '441 (22 divergent)'}, {text: 'x'}],
      [{text: 'short\n(s)'}, {text: '3'}, {text: '{"id":100,"note":"a value with no space to break at all, longer than any column"}'}],
    ]
    for (const width of [70, 50, 30]) {
      const text = fitTable(['scenario', 'behaviours', 'value'], rows, width)
      for (const line of text.split('\n')) assert.ok(line.length <= width, `wider than ${width}: ${line}`)
      const read = tableRows(text, (cells) => /^(beh|441|3$)/.test(cells[1]!))
      const flat = (s: string) => s.replace(/\s+/g, '')
      assert.deepEqual(read.map((row) => row.map(flat)), [['scenario', 'behaviours', 'value'], ...rows.map((row) => row.map((cell) => flat(cell.text)))])
    }
    // 8 columns short: the behaviours wrap in a row that is two lines already, not the scenario's name into a third.
    const narrower = fitTable(['scenario', 'behaviours', 'value'], rows.slice(0, 1), 45)
    assert.deepEqual(narrower.split('\n').filter((line) => line.startsWith('│')).slice(1), [
      '│ a-long-scenario-name │ 441 (22    │ x     │',
      '│ (its-strategy)       │ divergent) │       │',
    ])
  })
})
