import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {after, describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import type {MatrixJson} from '../../src/commands/matrix.js'
import {removeTestData, runCli} from '../helpers/stores.js'

after(removeTestData)

describe('cachesim matrix', () => {
  it('every cell gives the outcome the literature gives', async () => {
    const result = await runCli(['matrix', '--json', '--parallel', '2'])
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(0, 2000))
    const matrix = JSON.parse(result.stdout) as MatrixJson
    assert.deepEqual(
      matrix.cells.filter((c) => c.matchesLiterature !== true).map((c) => `${c.scenario}: ${c.mismatches.join('; ')}`),
      [],
    )
    const verdict = (strategy: string, race: string) => matrix.cells.find((c) => c.strategy === strategy && c.race === race)?.verdict
    assert.equal(verdict('update-then-update', 'two-writers'), '✗')
    assert.equal(verdict('update-then-delete', 'cold-refill'), '✗')
    assert.equal(verdict('update-then-delete', 'warm-read'), '~')
    assert.equal(verdict('lease', 'cold-refill'), '✓')
    assert.equal(verdict('write-lock', 'pause-past-ttl'), '✗')
    assert.equal(verdict('lease', 'pause-past-ttl'), '✓')
    // Every order impossible is not a pass: nothing was seen.
    assert.equal(verdict('write-behind', 'cache-step-fails'), '⊘')
    assert.ok(matrix.strategies.length >= 13)
    assert.ok(matrix.races.length >= 6)
  })

  it('--markdown prints a table a README can hold, and the README holds exactly that table', async () => {
    const result = await runCli(['matrix', '--markdown', '--parallel', '2'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^\| strategy \| two-writers \| cold-refill \| warm-read \| cache-step-fails \| crash-between \| pause-past-ttl \|$/m)
    assert.match(result.stdout, /^\| `lease` \| ✓ \| ✓ \| ~ \d+\/\d+ \| ✗ 1\/1 \| ✗ 1\/1 \| ✓ \|$/m)
    // The README says its table is this command's output: from the header row to the legend.
    const readme = await readFile(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
    const start = readme.indexOf('| strategy | two-writers | cold-refill | warm-read | cache-step-fails | crash-between | pause-past-ttl |')
    const legend = readme.indexOf('\n', readme.indexOf('✓ consistent in every order ·', start))
    assert.ok(start >= 0 && legend > start, 'the README has the matrix block')
    assert.equal(readme.slice(start, legend).trim(), result.stdout.trim(), 'README.md\'s matrix is not `cachesim matrix --markdown`: paste the new output in')
  })
})
