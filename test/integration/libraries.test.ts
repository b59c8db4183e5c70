import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'

import {removeTestData, runCli} from '../helpers/stores.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')

after(removeTestData)

describe('the caching libraries, raced', () => {
  // The README's rows are what the command prints, cell for cell, on the versions in the lockfile.
  for (const library of ['cache-manager', 'cache-manager-nonblocking', 'bentocache', 'bentocache-l1-bus', 'cacheable']) {
    it(`${library}: the README's row is the one matrix --app prints`, async () => {
      const result = await runCli(['matrix', '--app', path.join(root, 'examples/libraries', `${library}.ts`), '--markdown'])
      assert.equal(result.code, 0, result.stderr)
      const row = result.stdout.split('\n').find((line) => line.startsWith(`| \`${library}\` |`))
      assert.ok(row, result.stdout)
      assert.ok(readme.includes(`${row}\n`), `README lacks: ${row}`)
    })
  }

  it('check examples/ passes every pinned outcome, the libraries and the user cache', async () => {
    const result = await runCli(['check', path.join(root, 'examples')])
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /15 scenarios: 15 passed, 0 failed/)
  })

  it('cache-manager: a DEL that fails still resolves, and the run says the write claimed success', async () => {
    const result = await runCli(['run', 'cache-step-fails', '--app', path.join(root, 'examples/libraries/cache-manager-nonblocking.ts')])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /MySQL 99, Redis 100 \(divergent\)/)
    assert.match(result.stdout, /A's write of 99 told its caller it succeeded, though a step of it failed/)
  })

  it("cacheable: another actor's L1 keeps the old value after the delete, and the run says so", async () => {
    const order = 'A:db.update B:redis.GET A:redis.UNLINK'
    const result = await runCli(['run', 'warm-read', '--app', path.join(root, 'examples/libraries/cacheable.ts'), '--order', order, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [run] = JSON.parse(result.stdout) as Array<{cache: unknown; db: unknown; divergent: boolean; views: Record<string, unknown>}>
    assert.equal(run!.cache, null)
    assert.equal(run!.db, 99)
    assert.equal(run!.views.B, 100)
    assert.equal(run!.divergent, true)
  })
})
