import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import mysql from 'mysql2/promise'

import type {RunJson} from '../../src/report/json.js'
import {parseMysqlUrl} from '../../src/stores/urls.js'
import {eventually} from '../helpers/processes.js'
import {removeTestData, runCli, testDatabase, testMysqlUrl} from '../helpers/stores.js'
import {joinContinuations} from '../helpers/terminal-text.js'

let dir: string

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cachesim-cli-'))
})

after(async () => {
  await rm(dir, {recursive: true, force: true})
  await removeTestData()
})

async function scenarioFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, text)
  return file
}

describe('cachesim run', () => {
  it('--json prints every run with stable field names', async () => {
    const result = await runCli(['run', 'update-then-update', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const runs = JSON.parse(result.stdout) as RunJson[]
    assert.deepEqual(runs.map((r) => r.scenario).sort(), ['uu-cache-set-fails', 'uu-normal-order', 'uu-two-writers'])
    const race = runs.find((r) => r.scenario === 'uu-two-writers')!
    for (const key of ['scenario', 'strategy', 'db', 'cache', 'divergent', 'staleReads', 'dirtyReads', 'dbQueries', 'expected', 'matchesExpected', 'durationMs', 'history']) {
      assert.ok(key in race, `missing ${key}`)
    }
    assert.deepEqual([race.db, race.cache, race.divergent, race.matchesExpected], [80, 100, true, true])
    assert.deepEqual(Object.keys(race.history[0]!).sort(), ['actor', 'endMs', 'index', 'startMs', 'step', 'type', 'value'])
    assert.ok(race.history.every((h) => h.type === 'ok'))
  })

  it('prints a table and the history of a divergent run', async () => {
    const result = await runCli(['run', 'uu-two-writers'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /uu-two-writers .* 80 .* 100 .*DIVERGENT/)
    assert.match(result.stdout, /A\s+cache\.set\s+→ 100/)
    assert.match(joinContinuations(result.stdout), /replay: cachesim run uu-two-writers --order "A:db\.update B:db\.update B:cache\.set A:cache\.set"/)
  })

  it('replays a printed order exactly', async () => {
    const order = 'B:cache.get B:db.select A:db.update A:cache.del B:cache.set'
    const result = await runCli(['run', 'utd-cold-cache-refill', '--order', order, '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [run] = JSON.parse(result.stdout) as RunJson[]
    assert.equal(run!.order, order)
    assert.deepEqual([run!.db, run!.cache, run!.divergent], [99, 100, true])
  })

  it('a run that does not match its expect: exits 1 and says why', async () => {
    const file = await scenarioFile(
      'wrong.yaml',
      `name: wrong-expectation
strategy: update-then-update
initial: { db: 50, cache: 50 }
actors:
  A: { op: write, value: 100 }
expect: { divergent: true }
`,
    )
    const result = await runCli(['run', file])
    assert.equal(result.code, 1)
    assert.match(result.stdout, /not as expected: divergent: expected true, got false/)
  })

  it('a user file with --delay from the command line', async () => {
    const file = await scenarioFile(
      'mine.yaml',
      `name: my-race
strategy: cache-first
initial: { db: 1, cache: 1 }
actors:
  A: { op: write, value: 2 }
  B: { op: write, value: 3, startAfterMs: 20 }
`,
    )
    const result = await runCli(['run', file, '--delay', 'A:before:db.update=100ms', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [run] = JSON.parse(result.stdout) as RunJson[]
    assert.deepEqual([run!.db, run!.cache, run!.divergent, run!.expected], [2, 3, true, null])
  })
})

describe('bad input is one line and exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown strategy lists the valid ones', ['run', 'write-around'], /^Error: unknown strategy or scenario "write-around"; strategies: update-then-update, cache-first, delete-then-update, update-then-delete, double-check-lock/],
    ['a missing file', ['run', 'nope/race.yaml'], /^Error: no such scenario file or folder: nope\/race\.yaml$/],
    ['a malformed --delay', ['run', 'all', '--delay', 'A=5'], /^Error: --delay "A=5" is not ACTOR:before\|after:STEP=DURATION/],
    ['an unknown flag', ['run', 'all', '--colour'], /^Error: Nonexistent flag: --colour/],
    ['a missing target', ['run'], /^Error: missing TARGET/],
    ['an order that does not fit', ['run', 'uu-two-writers', '--order', 'A:cache.set'], /^Error: step 1 of the order is A:cache\.set, but A's next step is db\.update$/],
  ]
  for (const [title, args, message] of cases) {
    it(title, async () => {
      const result = await runCli(args)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr.trim(), message)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line')
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
    })
  }

  it('a scenario file that does not validate names file:line:col', async () => {
    const file = await scenarioFile('bad.yaml', 'name: bad\nstrategy: update-then-update\ninitial: { db: 1, cache: 1 }\nactors:\n  A: { op: write, valu: 2 }\n')
    const result = await runCli(['run', file])
    assert.equal(result.code, 2)
    assert.equal(result.stderr.trim(), `Error: ${file}:5:19: unknown key "valu"; allowed here: op, value, count, ops, startAfterMs`)
  })
})

describe('servers that are down, with --servers external', () => {
  it('exit 3 with the URL, password masked, and how to start one', async () => {
    const result = await runCli(['run', 'all', '--servers', 'external'], {env: {CACHESIM_MYSQL_URL: 'mysql://root:s3cret@127.0.0.1:1/cachesim'}})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /^Error: cannot reach MySQL at mysql:\/\/root:\*\*\*\*@127\.0\.0\.1:1\/cachesim \(connection refused\): start it/)
    assert.doesNotMatch(result.stderr + result.stdout, /s3cret/)
  })

  it('names Redis when Redis is the one down, in JSON too', async () => {
    const result = await runCli(['run', 'all', '--json', '--servers', 'external', '--redis', 'redis://:pw@127.0.0.1:1/0'])
    assert.equal(result.code, 3)
    const {error} = JSON.parse(result.stdout) as {error: {message: string; exitCode: number}}
    assert.equal(error.exitCode, 3)
    assert.match(error.message, /^cannot reach Redis at redis:\/\/:\*\*\*\*@127\.0\.0\.1:1\/0 \(connection refused\)/)
  })
})

describe('Ctrl-C', () => {
  it('stops the run, closes every connection and exits 130', async () => {
    const file = await scenarioFile(
      'slow.yaml',
      `name: slow
strategy: delete-then-update
initial: { db: 1, cache: 1 }
actors:
  A: { op: write, value: 2 }
  B: { op: write, value: 3, startAfterMs: 50 }
delays:
  - { actor: A, before: db.commit, ms: 60000 }
`,
    )
    let pid = 0
    const running = runCli(['run', file], {onSpawn: (p) => (pid = p)})
    // Ready once A's transaction is open and waits in its delay before the commit: B's UPDATE
    // waits on A's row lock. (PROCESSLIST is live; INNODB_TRX is a cache that polling keeps stale.)
    const target = parseMysqlUrl(testMysqlUrl)
    const watcher = await mysql.createConnection({host: target.host, port: target.port, user: target.user})
    const blockedOnA = async () => {
      const [rows] = await watcher.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'UPDATE cachesim_items%'",
        [testDatabase],
      )
      return Number(rows[0]?.n) > 0
    }
    try {
      assert.ok(await eventually(blockedOnA, 15_000), 'B waits on the row lock of A, whose transaction is open')
    } finally {
      await watcher.end()
    }
    const started = performance.now()
    process.kill(pid, 'SIGINT')
    const result = await running
    assert.equal(result.code, 130, result.stderr)
    assert.ok(performance.now() - started < 3000, 'it stopped promptly')
    assert.match(result.stderr, /^interrupted by SIGINT; every connection was closed/)
    // Nothing of ours is left connected: the open transaction was rolled back with its connection.
    const connection = await mysql.createConnection({host: target.host, port: target.port, user: target.user})
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ?', [testDatabase])
    const [row] = await connection.query<mysql.RowDataPacket[]>(`SELECT value FROM \`${testDatabase}\`.cachesim_items WHERE id = 1`)
    await connection.end()
    assert.equal(rows[0]?.n, 0)
    assert.equal(row[0]?.value, 1, 'the uncommitted update was rolled back')
  })
})
