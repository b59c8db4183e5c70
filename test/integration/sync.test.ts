import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'

import {Redis} from 'ioredis'
import mysql from 'mysql2/promise'

import {startPrivateServers, type PrivateServers} from '../../src/servers/private-servers.js'
import {syncPositionKey} from '../../src/stores/keys.js'
import {MysqlStore} from '../../src/stores/mysql.js'
import {parseMysqlUrl} from '../../src/stores/urls.js'
import {cacheMismatches} from '../helpers/cache-state.js'
import {connectedTo, eventually} from '../helpers/processes.js'
import {randomRowLoad} from '../helpers/row-load.js'
import {type CliResult, removeTestData, runCli, testCacheDir, testDatabase, testMysqlUrl, testPrefix} from '../helpers/stores.js'

let servers: PrivateServers
let redis: Redis
let db: mysql.Connection
let mysqlUrl: string
/** Where the CLI would put private servers started for a run. */
const runsDir = path.join(testCacheDir, 'runs')

before(async () => {
  servers = await startPrivateServers({database: testDatabase})
  mysqlUrl = servers.mysqlUrl!
  const store = await MysqlStore.connect(parseMysqlUrl(mysqlUrl), {database: false})
  await store.ensureSchema()
  await store.close()
  redis = new Redis(servers.redisUrl!)
  const target = parseMysqlUrl(mysqlUrl)
  db = await mysql.createConnection({host: target.host, port: target.port, user: 'root', database: testDatabase})
})

after(async () => {
  redis?.disconnect()
  await db?.end()
  await servers?.stop()
  await removeTestData()
})

beforeEach(async () => {
  await db.query('DELETE FROM cachesim_items')
  const keys = await redis.keys(`${testPrefix}*`)
  if (keys.length > 0) await redis.del(...keys)
})

interface RunningSync {
  pid: number
  done: Promise<CliResult>
}

/** Starts `cachesim sync` on the private servers (or others) and returns once it reads the binlog. */
async function startSync(args: string[], urls: {mysqlUrl: string; redisUrl: string} = {mysqlUrl, redisUrl: servers.redisUrl!}): Promise<RunningSync> {
  let pid = 0
  let streaming = false
  const done = runCli(['sync', '--servers', 'external', ...args], {
    env: {CACHESIM_MYSQL_URL: urls.mysqlUrl, CACHESIM_REDIS_URL: urls.redisUrl},
    onSpawn: (p) => (pid = p),
    onStderr: (text) => (streaming ||= /sync: .*reading the binlog/.test(text)),
  })
  const ready = await Promise.race([eventually(() => streaming, 20_000), done.then(() => false)])
  if (!ready) assert.fail(`sync did not start: ${(await done).stderr}`)
  return {pid, done}
}

async function stopSync(sync: RunningSync): Promise<CliResult> {
  process.kill(sync.pid, 'SIGINT')
  return sync.done
}

/** Waits until the cache agrees with the table (or 15 s pass) and returns what still disagrees. */
async function converged(everyRow: boolean): Promise<string[]> {
  let mismatches: string[] = []
  await eventually(async () => (mismatches = await cacheMismatches(mysqlUrl, redis, testPrefix, everyRow)).length === 0, 15_000)
  return mismatches
}

describe('cachesim sync --mode set', () => {
  it('converges under 2,000 random inserts, updates and deletes from two connections', async () => {
    const sync = await startSync(['--mode', 'set'])
    const changes = await randomRowLoad({mysqlUrl, operations: 2000, connections: 2, ids: [1, 150], seed: 1})
    const mismatches = await converged(true)
    const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM cachesim_items')
    const result = await stopSync(sync)
    assert.deepEqual(mismatches, [], 'every key equals its row, and no key is left for a deleted row')
    assert.ok(Number(rows[0]!.n) > 20, 'the load left rows behind to compare')
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, new RegExp(`sync: ${changes.toLocaleString('en-US')} changes \\(${changes.toLocaleString('en-US')} written\\)`), 'each change read and written once')
  })

  it('kill -9 in the middle of the load, then --resume: the same end state, nothing lost', async () => {
    const first = await startSync(['--mode', 'set'])
    const positionKey = syncPositionKey({prefix: testPrefix}, ['cachesim_items'])
    const startedAt = JSON.parse((await redis.get(positionKey))!) as {pos: number}
    let killedAt = 0
    // Rows 1-100 change before and after the kill; rows 101-200 only while sync is down, so a
    // change skipped on resume would stay visible.
    await randomRowLoad({
      mysqlUrl,
      operations: 1000,
      connections: 2,
      ids: [1, 100],
      seed: 2,
      onProgress: (done) => {
        if (done === 400) {
          process.kill(first.pid, 'SIGKILL')
          killedAt = done
        }
      },
    })
    const killed = await first.done
    assert.equal(killed.signal, 'SIGKILL')
    assert.equal(killedAt, 400)
    await randomRowLoad({mysqlUrl, operations: 1000, connections: 2, ids: [101, 200], seed: 3})
    const stored = JSON.parse((await redis.get(positionKey))!) as {pos: number}
    assert.ok(stored.pos > startedAt.pos, 'the killed sync had stored its progress')

    const second = await startSync(['--mode', 'set', '--resume'])
    const mismatches = await converged(true)
    const result = await stopSync(second)
    assert.deepEqual(mismatches, [])
    assert.match(result.stderr, new RegExp(`from binlog\\.\\d+:${stored.pos} `), 'it resumed where the first one stopped')
  })

  it('--snapshot loads the table first and removes keys of rows that are gone', async () => {
    await db.query('INSERT INTO cachesim_items (id, value, version) VALUES (1, 10, 0), (2, 20, 0), (3, NULL, 0)')
    await redis.set(`${testPrefix}item:1`, '999')
    await redis.set(`${testPrefix}item:3`, '30')
    await redis.set(`${testPrefix}item:4`, '40')
    const sync = await startSync(['--mode', 'set', '--snapshot'])
    assert.deepEqual(await redis.mget(`${testPrefix}item:1`, `${testPrefix}item:2`, `${testPrefix}item:3`, `${testPrefix}item:4`), ['10', '20', null, null])
    await db.query('UPDATE cachesim_items SET value = 11 WHERE id = 1')
    assert.ok(await eventually(async () => (await redis.get(`${testPrefix}item:1`)) === '11'), 'a change after the snapshot is applied')
    await stopSync(sync)
  })
})

describe('cachesim sync --mode invalidate', () => {
  it('deletes the key of every changed row and publishes the change as JSON', async () => {
    await db.query('INSERT INTO cachesim_items (id, value, version) VALUES (7, 70, 0)')
    await redis.set(`${testPrefix}item:7`, '70')
    const subscriber = new Redis(servers.redisUrl!)
    const messages: string[] = []
    subscriber.on('message', (_channel: string, message: string) => messages.push(message))
    await subscriber.subscribe(`${testPrefix}binlog`)
    const sync = await startSync([])
    await db.query('UPDATE cachesim_items SET value = 71, version = 1 WHERE id = 7')
    assert.ok(await eventually(async () => (await redis.exists(`${testPrefix}item:7`)) === 0 && messages.length === 1), 'key deleted, change published')
    await stopSync(sync)
    subscriber.disconnect()
    const change = JSON.parse(messages[0]!) as Record<string, unknown>
    assert.deepEqual(Object.keys(change), ['table', 'type', 'key', 'before', 'after', 'binlogFile', 'binlogPos', 'gtid', 'ts'])
    assert.deepEqual([change.table, change.type, change.key, change.before, change.after], [
      'cachesim_items',
      'update',
      `${testPrefix}item:7`,
      {id: 7, value: 70, version: 0},
      {id: 7, value: 71, version: 1},
    ])
    assert.match(String(change.gtid), /^\d+-\d+-\d+$/)
  })
})

describe('cachesim sync refuses bad input before it starts anything', () => {
  for (const [flags, error] of [
    [['--channel', ''], /^Error: --channel "" names no channel: give one, e\.g\. \S+binlog$/],
    [['--table', 'bad name'], /^Error: --table "bad name" is not a table name/],
  ] as const) {
    it(`${flags[0]} ${JSON.stringify(flags[1])}: exit 2, one line, no private servers`, async () => {
      const result = await runCli(['sync', ...flags, '--servers', 'private'])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr.trim(), error)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'no note of servers started')
      assert.deepEqual(readdirSync(runsDir), [path.basename(servers.dir)], 'no set of servers was made but the tests\' own')
    })
  }
})

describe('cachesim sync loses a server: exit 3 on one line, never an internal error', () => {
  /** A sync on servers of this test's own, which it may stop and kill. */
  async function syncOn(victim: PrivateServers, redisUrl: string) {
    return startSync([], {mysqlUrl: victim.mysqlUrl!, redisUrl})
  }

  function assertLost(result: CliResult, pattern: RegExp): void {
    assert.equal(result.code, 3, result.stderr)
    assert.doesNotMatch(result.stderr, /internal error/)
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('Error:'))
    assert.equal(errors.length, 1, result.stderr)
    assert.match(errors[0]!, pattern)
  }

  it('MariaDB killed while sync connects (what QA saw: "Connection lost" at start)', async () => {
    const victim = await startPrivateServers({database: testDatabase, redis: false})
    const pid = victim.state.mysql!.pid
    try {
      // Stopped, the server still lets the kernel accept connections, so sync waits in the
      // handshake; killed, it drops them: the server closed the connection before it answered.
      process.kill(pid, 'SIGSTOP')
      const done = runCli(['sync', '--servers', 'external'], {env: {CACHESIM_MYSQL_URL: victim.mysqlUrl!, CACHESIM_REDIS_URL: servers.redisUrl!}})
      // Ready once sync has connected and waits in the handshake.
      assert.ok(await eventually(() => connectedTo(Number(new URL(victim.mysqlUrl!).port)), 15_000), 'sync connected to the stopped server')
      process.kill(pid, 'SIGKILL')
      assertLost(await done, /^Error: (lost the connection to MySQL at |cannot (use|reach) MySQL at )mysql:\/\/root@127\.0\.0\.1:\d+\//)
    } finally {
      await victim.stop()
    }
  })

  it('MariaDB killed while sync streams', async () => {
    const victim = await startPrivateServers({database: testDatabase, redis: false})
    try {
      const sync = await syncOn(victim, servers.redisUrl!)
      process.kill(victim.state.mysql!.pid, 'SIGKILL')
      assertLost(await sync.done, /^Error: MySQL: reading the binlog of mysql:\/\/root@127\.0\.0\.1:\d+\/\w+ failed: /)
    } finally {
      await victim.stop()
    }
  })

  it('Redis killed while sync waits for changes: it says so at once', async () => {
    const victim = await startPrivateServers({database: testDatabase})
    try {
      const sync = await syncOn(victim, victim.redisUrl!)
      process.kill(victim.state.redis!.pid, 'SIGKILL')
      assertLost(await sync.done, /^Error: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/0 /)
    } finally {
      await victim.stop()
    }
  })
})

describe('cachesim sync against a server without a binlog', () => {
  it('says so in one line, with how to turn it on, and exits 3', async (t) => {
    const target = parseMysqlUrl(testMysqlUrl)
    const shared = await mysql.createConnection({host: target.host, port: target.port, user: target.user})
    const [rows] = await shared.query<mysql.RowDataPacket[]>('SELECT @@log_bin AS on_')
    await shared.end()
    if (Number(rows[0]!.on_) === 1) return t.skip('the shared server keeps a binlog')
    const result = await runCli(['sync', '--servers', 'external'])
    assert.equal(result.code, 3)
    assert.match(result.stderr, /^Error: MySQL at \S+ has its binary log off \(log_bin = OFF\); .*log_bin, binlog_format=ROW.*or use --servers private/)
    assert.equal(result.stderr.trim().split('\n').length, 1)
  })
})

describe('cachesim sync bench', () => {
  it('prints throughput and commit → cache lag per round (figures not asserted)', async () => {
    const result = await runCli(['sync', 'bench', '--rounds', '1', '--backlog', '300', '--seconds', '1', '--rate', '200', '--rows', '20', '--json'], {
      env: {CACHESIM_MYSQL_URL: mysqlUrl, CACHESIM_REDIS_URL: servers.redisUrl!},
    })
    assert.equal(result.code, 0, result.stderr)
    const {rounds} = JSON.parse(result.stdout) as {rounds: {backlog: number; eventsPerSecond: number; updates: number; commitToCacheMs: {p50: number}}[]}
    assert.equal(rounds.length, 1)
    assert.equal(rounds[0]!.backlog, 300)
    assert.equal(rounds[0]!.updates, 200)
    assert.ok(rounds[0]!.eventsPerSecond > 0 && Number.isFinite(rounds[0]!.commitToCacheMs.p50), 'every update was timed into the cache')
  })
})
