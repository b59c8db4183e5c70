import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'

import {Redis} from 'ioredis'

import {keysMatching, removeTestData, runCli, testPrefix, testRedisUrl} from '../helpers/stores.js'

/** Sources, not dist: apps are loaded from their TypeScript, as a user's are. */
const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string) => path.join(root, 'test/fixtures/apps', name)
const example = (name: string) => path.join(root, 'examples', name)

after(removeTestData)

describe('the app seam from the command line', () => {
  it('a bad module is one line naming the file, exit 2, and nothing is run', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cachesim-app-'))
    try {
      const syntax = path.join(dir, 'syntax-error.ts')
      await writeFile(syntax, 'export default {name: "broken",\n  key( => 1\n}\n')
      const cases: Array<[string, RegExp]> = [
        [fixture('no-default.ts'), /no-default\.ts: it has no default export/],
        [fixture('throws.ts'), /throws\.ts could not be loaded: cannot reach the config server/],
        // The compiler's own line (where, and what), not only its heading.
        [syntax, /syntax-error\.ts could not be loaded: Transform failed with 1 error: \S*syntax-error\.ts:2:7: ERROR: Expected identifier but found "=>"$/m],
        [fixture('wrong-instance.ts'), /wrong-instance\.ts: create\(\) must return an object with read\(\) and write\(value\)/],
        [path.join(dir, 'missing.ts'), /no such app module: .*missing\.ts/],
      ]
      for (const [file, message] of cases) {
        const result = await runCli(['run', 'cold-refill', '--app', file])
        assert.equal(result.code, 2, `${file}: ${result.stderr}`)
        assert.match(result.stderr, message)
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
        assert.doesNotMatch(result.stderr, /\n\s+at /)
      }
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it("a pub/sub listener's own Redis command is refused: exit 2, one line, and the command is never sent", async () => {
    const result = await runCli(['run', 'warm-read', '--app', fixture('pubsub-listener-sends.ts'), '--order', 'A:db.update A:redis.PUBLISH B:redis.GET'])
    assert.equal(result.code, 2, result.stdout + result.stderr)
    assert.match(result.stderr, /a pub\/sub listener of [AB]'s sent redis\.SET while handling a message; .* no actor's step/)
    const redis = new Redis(testRedisUrl)
    try {
      assert.deepEqual(await keysMatching(redis, `${testPrefix}pubsub:*:heard`), [])
    } finally {
      redis.disconnect()
    }
  })

  it('a cache key that holds no string, with no readCache to read it, is a one-line error (exit 2) that says what to add', async () => {
    const result = await runCli(['explore', 'cold-refill', '--app', fixture('hash-cache-unread.ts')])
    assert.equal(result.code, 2, result.stdout + result.stderr)
    assert.match(result.stderr, /the cache key \S+hash:1 holds a hash, not a string cachesim can GET; give the app readCache\(redis, key\)/)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
  })

  it("an app's readCache that throws is the app's error, told in one line (exit 2), not cachesim's (exit 70)", async () => {
    const result = await runCli(['run', 'cold-refill', '--app', fixture('hash-cache-read-throws.ts')])
    assert.equal(result.code, 2, result.stdout + result.stderr)
    assert.match(result.stderr, /app \S+hash-cache-read-throws\.ts: its readCache failed: Cannot read properties of undefined \(reading 'value'\); fix readCache/)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
  })

  it('readCache without writeCache is refused when the app is loaded (exit 2), before any store is touched', async () => {
    const result = await runCli(['run', 'cold-refill', '--app', fixture('hash-cache-read-only.ts')])
    assert.equal(result.code, 2, result.stdout + result.stderr)
    assert.match(result.stderr, /it has readCache but no writeCache: give both/)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
  })

  it('a key outside the prefix is refused before it is sent: exit 2, and the key is never written', async () => {
    const result = await runCli(['run', 'cold-refill', '--app', fixture('outside-prefix.ts')])
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /names the key "not-cachesim:user:1", outside cachesim's prefix/)
    const redis = new Redis(testRedisUrl)
    try {
      assert.equal(await redis.exists('not-cachesim:user:1'), 0)
    } finally {
      redis.disconnect()
    }
  })

  it('an app that waits in-process is reported, not waited for', async () => {
    const explored = await runCli(['explore', 'cold-refill', '--app', fixture('waits-in-process.ts')])
    assert.equal(explored.code, 0, explored.stderr)
    // Notes wrap to 80 columns, their lines after the first indented: read them joined.
    assert.match(explored.stdout.replaceAll(/\n +/g, ' '), /waits in-process/)
    const ran = await runCli(['run', 'cold-refill', '--app', fixture('waits-in-process.ts')])
    assert.equal(ran.code, 0, ran.stderr)
    assert.match(ran.stdout.replaceAll(/\n +/g, ' '), /stuck: B's .* waits in-process/)
  })

  it('Ctrl-C while an app waits exits 130 and closes every connection', async () => {
    const redis = new Redis(testRedisUrl)
    let result
    try {
      const waiting = async () => (await keysMatching(redis, `${testPrefix}waits:*:waiting`)).length > 0
      for (const key of await keysMatching(redis, `${testPrefix}waits:*`)) await redis.del(key)
      let pid = 0
      const running = runCli(['run', 'cold-refill', '--app', fixture('waits-in-process.ts')], {onSpawn: (p) => (pid = p)})
      // The reader waits in-process (for 2 s before the run gives up on it): interrupt it once it
      // does, however long a busy machine took to get there.
      const deadline = Date.now() + 30_000
      while (!(await waiting()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      process.kill(pid, 'SIGINT')
      result = await running
    } finally {
      await redis.quit()
    }
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /interrupted by SIGINT; every connection was closed/)
  })

  it('check pins the examples: before divergent in some order, after consistent in every order', async () => {
    const result = await runCli(['check', path.join(root, 'examples/user-cache/scenarios')])
    assert.equal(result.code, 0, result.stdout + result.stderr)
    assert.match(result.stdout, /3 passed, 0 failed/)
  })

  it('matrix --app gives the app its row, with a replay that names the app', async () => {
    const result = await runCli(['matrix', '--app', example('update-then-delete/app.ts'), '--json'])
    assert.equal(result.code, 0, result.stderr)
    const matrix = JSON.parse(result.stdout) as {strategies: string[]; cells: Array<{race: string; verdict: string}>}
    assert.deepEqual(matrix.strategies, ['utd-app'])
    assert.deepEqual(
      Object.fromEntries(matrix.cells.map((c) => [c.race, c.verdict])),
      {'two-writers': '✓', 'cold-refill': '✗', 'warm-read': '~', 'cache-step-fails': '✗', 'crash-between': '✗'},
    )
  })
})

