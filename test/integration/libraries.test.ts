import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {after, describe, it} from 'node:test'

import {Redis} from 'ioredis'

import {keysMatching, removeTestData, runCli, testPrefix, testRedisUrl} from '../helpers/stores.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')

after(removeTestData)

describe('the caching libraries, raced', () => {
  // The README's rows are what the command prints, cell for cell, on the versions in the lockfile.
  for (const library of ['cache-manager', 'cache-manager-nonblocking', 'bentocache', 'bentocache-l1-bus', 'bentocache-grace', 'bentocache-grace-soft', 'cacheable', 'cacheable-sync']) {
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
    assert.match(result.stdout, /24 scenarios: 24 passed, 0 failed/)
  })

  it("bentocache's grace: the background refresh's SET lands after the delete, and Redis keeps the old value for the grace period", async () => {
    const order = 'B:redis.GET B:redis.GET B:db.select A:db.update A:redis.UNLINK B:redis.SET'
    const result = await runCli(['run', 'warm-read', '--app', path.join(root, 'examples/libraries/bentocache-grace.ts'), '--order', order, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [run] = JSON.parse(result.stdout) as Array<{cache: unknown; db: unknown; divergent: boolean; order: string; history: Array<{actor: string; step: string}>}>
    assert.equal(run!.order, order)
    assert.deepEqual([run!.db, run!.cache, run!.divergent], [99, 100, true])
    // The reader's refresh (after getOrSet had answered 100) is its steps: SELECT, then SET.
    assert.deepEqual(run!.history.filter((e) => e.actor === 'B').map((e) => e.step), ['redis.GET', 'redis.GET', 'db.select', 'redis.SET'])
    // Read back from Redis: the stale entry is fresh for its ttl (1 min) and lives for its grace (6 h).
    const redis = new Redis(testRedisUrl)
    try {
      const keys = await keysMatching(redis, `${testPrefix}bento:*`)
      assert.equal(keys.length, 1, keys.join(', '))
      const entry = JSON.parse((await redis.get(keys[0]!))!) as {value: number; createdAt: number; logicalExpiration: number}
      assert.equal(entry.value, 100)
      // bentocache reads the clock twice for the two stamps: a millisecond may tick between them.
      const fresh = entry.logicalExpiration - entry.createdAt
      assert.ok(Math.abs(fresh - 60_000) <= 5, `fresh for ${fresh} ms`)
      const pttl = await redis.pttl(keys[0]!)
      assert.ok(pttl > 5.9 * 3_600_000 && pttl <= 6 * 3_600_000, `PTTL ${pttl} ms`)
    } finally {
      await redis.quit()
    }
  })

  it('cache-manager: a DEL that fails still resolves, and the run says the write claimed success', async () => {
    const result = await runCli(['run', 'cache-step-fails', '--app', path.join(root, 'examples/libraries/cache-manager-nonblocking.ts')])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /MySQL 99, Redis 100 \(divergent\)/)
    assert.match(result.stdout, /A's write of 99 told its caller it succeeded, though a step of it failed/)
  })

  it("cacheable-sync: B's stale refill, published after A's delete, puts the old value back in A's L1", async () => {
    const scenario = path.join(root, 'examples/libraries/scenarios/cacheable-sync-stale-publish.yaml')
    const order = 'B:redis.GET B:db.select B:redis.SET A:redis.GET A:db.update A:redis.UNLINK A:redis.PUBLISH B:redis.PUBLISH'
    const result = await runCli(['run', scenario, '--order', order, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [run] = JSON.parse(result.stdout) as Array<{cache: unknown; db: unknown; views: Record<string, unknown>; history: Array<{step: string; note?: string}>}>
    assert.equal(run!.cache, null)
    assert.equal(run!.db, 99)
    assert.deepEqual(run!.views, {A: 100})
    const notes = run!.history.filter((e) => e.step === 'redis.PUBLISH' && e.note).map((e) => e.note)
    assert.deepEqual(notes, ['delivered to A and B before the next step', 'delivered to A and B before the next step'])
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
