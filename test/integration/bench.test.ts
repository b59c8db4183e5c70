import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import type {ModeResult, ReadBenchResult, StampedeResult} from '../../src/bench/result.js'
import {SMALL_SPEEDUP} from '../../src/bench/speedup-note.js'
import {childPids, eventually} from '../helpers/processes.js'
import {parseMysqlUrl} from '../../src/stores/urls.js'
import {keysMatching, removeTestData, runCli, testDatabase, testMysqlUrl, testPrefix, testRedisUrl} from '../helpers/stores.js'

let connection: mysql.Connection
let redis: Redis

before(async () => {
  const target = parseMysqlUrl(testMysqlUrl)
  connection = await mysql.createConnection({host: target.host, port: target.port, user: target.user, password: target.password ?? ''})
  redis = new Redis(testRedisUrl)
})

after(async () => {
  await connection.end()
  await redis.quit()
  await removeTestData()
})

async function bench(args: string[]): Promise<ReadBenchResult> {
  const result = await runCli(['bench', ...args, '--json'])
  assert.equal(result.code, 0, result.stderr)
  return JSON.parse(result.stdout) as ReadBenchResult
}

function mode(result: ReadBenchResult, name: ModeResult['mode']): ModeResult {
  const found = result.modes.find((m) => m.mode === name)
  assert.ok(found, `no ${name} mode`)
  return found
}

async function keysLeft(pattern: string): Promise<string[]> {
  return keysMatching(redis, `${testPrefix}${pattern}`)
}

async function ourConnections(): Promise<number> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ?', [testDatabase])
  return Number(rows[0]?.n)
}

describe('cachesim bench', () => {
  it('no cache sends exactly one SELECT per read; cache-aside on one hot row only the first', async () => {
    const result = await bench(['--requests', '300', '--keys', '1'])
    const plain = mode(result, 'no-cache')
    assert.deepEqual([plain.requests, plain.reads, plain.dbSelects, plain.dbQueries, plain.redisCommands], [300, 300, 300, 300, 0])
    assert.equal(plain.serverSelects, 300, "MySQL's own count agrees")
    const cached = mode(result, 'cache-aside')
    // 100% hits after the first read: one miss, one SELECT, one SET, then GETs only.
    assert.deepEqual([cached.hits, cached.misses, cached.dbSelects, cached.serverSelects], [299, 1, 1, 1])
    assert.equal(cached.redisCommands, 301)
    assert.equal(cached.hitRatio, 299 / 300)
    for (const key of ['options', 'table', 'interrupted', 'floors', 'modes', 'speedup', 'notes']) assert.ok(key in result, `missing ${key}`)
    assert.equal(result.interrupted, false)
    assert.ok(result.floors && result.floors.redisGet.count > 0 && result.floors.dbRead.count > 0)
    assert.ok(cached.floorUs && cached.floorUs.count > 0 && typeof cached.floorRatio === 'number')
    assert.equal(typeof result.speedup, 'number')
    assert.deepEqual(await keysLeft('*'), [], 'every key the run set is deleted')
  })

  it('writes update MySQL and delete the key, so misses come back', async () => {
    const result = await bench(['--requests', '400', '--keys', '1', '--write-ratio', '0.3'])
    const cached = mode(result, 'cache-aside')
    assert.ok(cached.writes > 0 && cached.reads > 0)
    assert.ok(cached.misses! > 1, `a write makes the next read miss (misses: ${cached.misses})`)
    assert.equal(cached.dbSelects, cached.misses)
    assert.equal(cached.dbUpdates, cached.writes)
    assert.deepEqual([cached.serverSelects, cached.serverUpdates], [cached.dbSelects, cached.dbUpdates])
    // A GET per read, a SET per miss, a DEL per write.
    assert.equal(cached.redisCommands, cached.reads + cached.misses! + cached.writes)
    const plain = mode(result, 'no-cache')
    assert.deepEqual([plain.writes, plain.dbUpdates, plain.redisCommands], [cached.writes, cached.writes, 0], 'the same requests, no cache')
  })

  it('--query heavy sends the aggregate and still counts one SELECT per read', async () => {
    const result = await bench(['--requests', '100', '--keys', '50', '--query', 'heavy', '--distribution', 'zipf'])
    assert.deepEqual([mode(result, 'no-cache').dbSelects, mode(result, 'no-cache').serverSelects], [100, 100])
    assert.equal(mode(result, 'cache-aside').dbSelects, mode(result, 'cache-aside').misses)
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${testDatabase}\`.cachesim_users`)
    assert.equal(Number(rows[0]?.n), 50, 'the table holds exactly --keys rows')
  })

  it('prints both modes, the floors and the speedup for people', async () => {
    const result = await runCli(['bench', '--requests', '200', '--keys', '10'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^cachesim bench: 200 requests a mode on 10 rows of cachesim_users/)
    assert.match(result.stdout, /floors before the modes, bare round trips .*Redis GET p50 [\d.]+ µs.*MySQL point SELECT p50/)
    // The notes quote the floors of the table's last column (timed alongside the modes).
    const get = /GET ([\d.]+ µs) \(hits\) │/.exec(result.stdout)?.[1]
    const select = /SELECT ([\d.]+ µs) │/.exec(result.stdout)?.[1]
    assert.ok(get && select, result.stdout)
    assert.ok(result.stdout.includes(`a bare GET's timed alongside it (`) && result.stdout.includes(` against ${get}), `), result.stdout)
    // The note that explains a small speedup is there exactly when the speedup is small.
    const speedup = Number(/speedup of cache-aside over no cache: (\d+\.\d\d)×/.exec(result.stdout)?.[1])
    const speedupNote = /takes ([\d.]+ µs) against ([\d.]+ µs) for a bare GET, timed alongside the modes/.exec(result.stdout)
    if (speedup < SMALL_SPEEDUP) {
      assert.ok(speedupNote, `a speedup of ${speedup} is explained: ${result.stdout}`)
      assert.deepEqual([speedupNote[1], speedupNote[2]], [select, get])
    } else {
      assert.equal(speedupNote, null, `a speedup of ${speedup} needs no note`)
    }
    assert.match(result.stdout, /│ no cache +│.*│ +200 │ +0 │/)
    assert.match(result.stdout, /│ cache-aside +│.*│ +\d+\.\d% │/)
    assert.match(result.stdout, /speedup of cache-aside over no cache: \d+\.\d\d×/)
    assert.equal(result.stderr, '')
  })


  it('Ctrl-C prints what was measured, closes every connection and exits 130', async () => {
    let pid = 0
    const running = runCli(['bench', '--requests', '5000000'], {onSpawn: (p) => (pid = p)})
    // Ready once it measures: its connections send SELECTs on the bench's table.
    const measuring = async () => {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'SELECT%cachesim_users%' AND ID <> CONNECTION_ID()",
        [testDatabase],
      )
      return Number(rows[0]?.n) > 0
    }
    assert.ok(await eventually(measuring, 20_000), 'the bench started measuring')
    process.kill(pid, 'SIGINT')
    const result = await running
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stdout, /interrupted: measured so far/)
    assert.match(result.stderr, /interrupted by SIGINT; every connection was closed/)
    assert.equal(await ourConnections(), 0)
    assert.deepEqual(await keysLeft('user:*'), [])
  })
})

describe('cachesim bench stampede', () => {
  it('unprotected, every reader that missed SELECTs; a Redis lock lets exactly one through across two processes', async () => {
    const result = await runCli(['bench', 'stampede', '--readers', '20', '--processes', '2', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const stampede = JSON.parse(result.stdout) as StampedeResult
    assert.deepEqual(stampede.rounds.map((r) => r.lock), ['none', 'local', 'redis'])
    const [none, local, redisLock] = stampede.rounds as [StampedeResult['rounds'][number], StampedeResult['rounds'][number], StampedeResult['rounds'][number]]
    assert.ok(none.dbQueries > 1, `unprotected: ${none.dbQueries} SELECTs`)
    assert.equal(none.dbQueries, none.missed, 'every reader that missed went to MySQL')
    assert.equal(none.serverSelects, none.dbQueries, "MySQL's own count agrees")
    assert.equal(redisLock.dbQueries, 1)
    assert.equal(redisLock.serverSelects, 1)
    // The in-process mutex: at most one per process (fewer when a holder sees the other's refill).
    assert.ok(local.dbQueries >= 1 && local.dbQueries <= 2, `local: ${local.dbQueries}`)
    assert.ok(local.dbQueriesPerProcess.every((n) => n <= 1))
    assert.ok(stampede.rounds.every((r) => r.failedReaders === 0 && r.latencyUs.count === 20))
    assert.deepEqual(await keysLeft('*'), [], 'the hot key and the lock are deleted')
    assert.equal(await ourConnections(), 0)
  })

  it('in one process the double-checked mutex lets exactly one SELECT through', async () => {
    const result = await runCli(['bench', 'stampede', '--readers', '10', '--processes', '1', '--lock', 'local', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [round] = (JSON.parse(result.stdout) as StampedeResult).rounds
    assert.deepEqual([round!.lock, round!.dbQueries, round!.serverSelects, round!.missed], ['local', 1, 1, 10])
  })

  it('Ctrl-C at the terminal (SIGINT to the whole process group) is exit 130 with its message, never a crash of the IPC channel', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      let pid = 0
      const running = runCli(['bench', 'stampede', '--readers', '40', '--processes', '4'], {group: true, onSpawn: (p) => (pid = p)})
      // Ready once the four workers run: the moment the parent talks to them over IPC.
      assert.ok(await eventually(() => childPids(pid, 'stampede-worker').length === 4, 20_000), 'the workers started')
      process.kill(-pid, 'SIGINT')
      const result = await running
      assert.equal(result.code, 130, `attempt ${attempt}: ${result.stderr}`)
      assert.match(result.stderr, /^interrupted by SIGINT; every connection was closed/)
      assert.doesNotMatch(result.stderr, /EPIPE|ERR_IPC_CHANNEL_CLOSED|Unhandled|internal error/)
    }
    assert.ok(await eventually(async () => (await ourConnections()) === 0), 'every connection was closed')
  })

  it('more readers than the server has connections for: one line, exit 3', async (t) => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT @@max_connections AS max')
    const readers = Number(rows[0]?.max) + 1
    if (readers > 1000) {
      // --readers stops at 1000, so such a server always has room: say so rather than pass.
      t.skip(`max_connections is ${readers - 1}: more than --readers allows, nothing to refuse`)
      return
    }
    const result = await runCli(['bench', 'stampede', '--readers', String(readers)])
    assert.equal(result.code, 3)
    assert.match(result.stderr.trim(), new RegExp(`^Error: MySQL: --readers ${readers} needs ${readers} connections, but the server allows \\d+ and \\d+ are open: lower --readers, or raise max_connections on the server$`))
    assert.equal(await ourConnections(), 0)
  })
})

describe('bench and bench stampede in a database with a cachesim_users they did not create', () => {
  for (const command of [['bench', '--requests', '10'], ['bench', 'stampede', '--readers', '2']]) {
    it(`${command.slice(0, -2).join(' ')} refuses it, leaves it alone, and creates nothing there`, async () => {
      const foreign = `cachesim_foreign_bench_${process.pid}`
      await connection.query(`CREATE DATABASE \`${foreign}\``)
      try {
        await connection.query(`CREATE TABLE \`${foreign}\`.cachesim_users (id BIGINT PRIMARY KEY, username VARCHAR(100), age INT)`)
        await connection.query(`INSERT INTO \`${foreign}\`.cachesim_users VALUES (1, 'theirs', 99)`)
        const url = new URL(testMysqlUrl)
        url.pathname = `/${foreign}`
        const result = await runCli([...command, '--mysql', url.toString()])
        assert.equal(result.code, 3)
        assert.match(result.stderr.trim(), /^Error: MySQL: table cachesim_foreign_bench_\d+\.cachesim_users exists but was not created by cachesim[^\n]*$/)
        const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT username, age FROM \`${foreign}\`.cachesim_users`)
        assert.deepEqual(rows.map((r) => [r.username, r.age]), [['theirs', 99]])
        const [tables] = await connection.query<mysql.RowDataPacket[]>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [foreign])
        assert.deepEqual(tables.map((t) => t.name), ['cachesim_users'], 'no table of cachesim\'s left beside it')
      } finally {
        await connection.query(`DROP DATABASE IF EXISTS \`${foreign}\``)
      }
    })
  }
})

describe('bench: bad input is one line and exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [['bench', '--write-ratio', '2'], /^Error: --write-ratio 2 is out of range: expected the share of requests that are writes \(e\.g\. 0\.1\), from 0 to 1$/],
    [['bench', '--requests', '0'], /^Error: --requests 0 is out of range: expected a whole number from 1 to 10,000,000$/],
    [['bench', '--keys', 'many'], /^Error: --keys "many" is not a number/],
    [['bench', '--ttl', '0'], /^Error: --ttl 0 is out of range/],
    [['bench', '--concurrency', '8', '--requests', '4'], /^Error: --concurrency 8 is more than --requests 4/],
    [['bench', '--distribution', 'pareto'], /^Error: Expected --distribution=pareto to be one of: uniform, zipf/],
    [['bench', 'stampede', '--readers', '0'], /^Error: --readers 0 is out of range: expected a whole number from 1 to 1,000$/],
    [['bench', 'stampede', '--readers', '2', '--processes', '3'], /^Error: --processes 3 is more than --readers 2/],
    [['bench', 'stampede', '--lock', 'mutex'], /^Error: Expected --lock=mutex to be one of: none, local, redis/],
  ]
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const result = await runCli(args)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr.trim(), message)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line')
      assert.equal(result.stdout, '')
    })
  }
})

describe('bench explore: its flags, as README and npm run bench:explore give them', () => {
  it('without --app it gets past its flags (--like has no default that would demand --app): a closed Redis is exit 3', async () => {
    const result = await runCli(['bench', 'explore', '--servers', 'external', '--redis', 'redis://127.0.0.1:1/0'])
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr.trim(), /^Error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0 \(connection refused\)/)
  })

  it('--like without --app, or naming no strategy, is exit 2 in one line', async () => {
    const alone = await runCli(['bench', 'explore', '--like', 'cache-first'])
    assert.equal(alone.code, 2, alone.stderr)
    assert.match(alone.stderr.trim(), /^Error: All of the following must be provided when using --like: --app/)
    const unknown = await runCli(['bench', 'explore', '--app', 'examples/update-then-delete/app.ts', '--like', 'nosuch'])
    assert.equal(unknown.code, 2, unknown.stderr)
    assert.match(unknown.stderr.trim(), /^Error: unknown strategy "nosuch"/)
    for (const result of [alone, unknown]) assert.equal(result.stderr.trim().split('\n').length, 1)
  })
})
