import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import path from 'node:path'
import {after, describe, it} from 'node:test'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import {dropNamespaceLocksNow, lockRedisNamespace} from '../../src/run/redis-namespace-lock.js'
import {Workbench} from '../../src/run/workbench.js'
import {type PrivateServers, startPrivateServers} from '../../src/servers/private-servers.js'
import {eventually, pidsWithCommandLine} from '../helpers/processes.js'
import {keysMatching, removeTestData, runCli, testCacheDir, testDatabase, testPrefix, testRedisUrl, testStores} from '../helpers/stores.js'

let servers: PrivateServers | null = null

const otherDatabase = `${testDatabase}_b`
const otherPrefix = `other-${process.pid}:`

after(async () => {
  await servers?.stop()
  await removeTestData()
  // The second namespace the lock test ran in.
  const connection = await mysql.createConnection({host: '127.0.0.1', user: 'root'})
  await connection.query(`DROP DATABASE IF EXISTS \`${otherDatabase}\``)
  await connection.end()
  const redis = new Redis(testRedisUrl)
  const keys = await keysMatching(redis, `${otherPrefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
})

describe('one run per database and key prefix', () => {
  it('a second run on the same namespace stops at once with exit 3, and runs again once the first is done', async () => {
    const first = await Workbench.open(testStores())
    try {
      const second = await runCli(['run', 'uu-two-writers', '--servers', 'external'])
      assert.equal(second.code, 3, second.stderr)
      // The key prefix is taken first, before anything else starts; the database's lock backs it up.
      assert.match(second.stderr, /^Error: another cachesim run is using the Redis keys cachesim-t\d+:\* at /)
      const sameDatabase = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--prefix', otherPrefix])
      assert.equal(sameDatabase.code, 3, sameDatabase.stderr)
      assert.match(sameDatabase.stderr, /^Error: another cachesim run is using database cachesim_t\d+ on MySQL/)
      // A run of its own namespace is not held up.
      const elsewhere = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--prefix', otherPrefix, '--mysql', `mysql://root@127.0.0.1:3306/${otherDatabase}`])
      assert.equal(elsewhere.code, 0, elsewhere.stderr)
    } finally {
      await first.close()
    }
    const again = await runCli(['run', 'uu-two-writers', '--servers', 'external'])
    assert.equal(again.code, 0, again.stderr)
  })
})

describe('one run per key prefix, wherever its MySQL is', () => {
  const lockKey = `${testPrefix}lock:namespace`
  const elsewhere = `mysql://root@127.0.0.1:3306/${otherDatabase}`

  it('a second process on the same prefix but another MySQL server is refused (exit 3), and the first finishes as if alone', async () => {
    const redis = new Redis(testRedisUrl)
    // The case a MySQL named lock cannot see: the other run's MySQL is a server of its own.
    const privateMysql = await startPrivateServers({database: testDatabase, redis: false})
    try {
      const first = runCli(['explore', 'dcl-three-readers', '--servers', 'external'])
      // Ready once the first holds the prefix: its lock key is there.
      assert.ok(await eventually(async () => (await redis.exists(lockKey)) === 1, 15_000), 'the first run took the lock key')
      const second = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--mysql', privateMysql.mysqlUrl!])
      assert.equal(second.code, 3, second.stderr)
      assert.match(second.stderr, /^Error: another cachesim run is using the Redis keys cachesim-t\d+:\* at redis:\/\/\S+ \(held by process \d+ on \S+ in Redis key cachesim-t\d+:lock:namespace\)/)
      assert.equal(second.stderr.trim().split('\n').length, 1)
      // Refused before it starts anything: no private MariaDB and replica for a scenario that needs them.
      const needsReplica = await runCli(['run', 'utd-replica-lag', '--mysql', elsewhere])
      assert.equal(needsReplica.code, 3, needsReplica.stderr)
      assert.match(needsReplica.stderr, /^Error: another cachesim run is using the Redis keys/)
      assert.equal(needsReplica.stderr.trim().split('\n').length, 1, 'no server was started on the way')
      const done = await first
      assert.equal(done.code, 0, done.stderr)
      assert.equal(await redis.exists(lockKey), 0, 'the lock key is deleted by its owner at the end')
    } finally {
      await privateMysql.stop()
      await redis.quit()
    }
  })

  it('a lock key left by a process that died on this host is taken over; one held elsewhere is respected', async () => {
    const redis = new Redis(testRedisUrl)
    try {
      let dead = 4_000_000
      while (pidsWithCommandLine('').includes(dead)) dead -= 1
      await redis.set(lockKey, `${hostname()} ${dead} left-by-a-kill`, 'PX', 60_000)
      const after = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--mysql', elsewhere])
      assert.equal(after.code, 0, after.stderr)
      await redis.set(lockKey, `another-host 1 still-running`, 'PX', 60_000)
      const refused = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--mysql', elsewhere])
      assert.equal(refused.code, 3, refused.stderr)
      assert.match(refused.stderr, /held by process 1 on another-host/)
    } finally {
      await redis.del(lockKey)
      await redis.quit()
    }
  })
})

describe('the key prefix given back when a Ctrl-C cleanup runs out of time', () => {
  it('dropNamespaceLocksNow deletes the lock key this process holds, and never one another run took', async () => {
    const redis = new Redis(testRedisUrl)
    const lockKey = `${testPrefix}lock:namespace`
    try {
      await lockRedisNamespace(testStores().redis, testPrefix, 'the test prefix')
      assert.equal(await redis.exists(lockKey), 1)
      await dropNamespaceLocksNow(2000)
      assert.equal(await redis.exists(lockKey), 0, 'the lock key is gone')
      // Taken again, then taken over by another run (as after an expiry): that run's key stays.
      await lockRedisNamespace(testStores().redis, testPrefix, 'the test prefix')
      await redis.set(lockKey, 'another-host 1 theirs', 'PX', 60_000)
      await dropNamespaceLocksNow(2000)
      assert.equal(await redis.get(lockKey), 'another-host 1 theirs')
    } finally {
      await redis.del(lockKey)
      await redis.quit()
    }
  })
})

describe('stores that go wrong', () => {
  it('a Redis database number the server does not have is exit 3, and nothing is written to database 0', async () => {
    const result = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--redis', 'redis://127.0.0.1:6379/99'])
    assert.equal(result.code, 3)
    assert.match(result.stderr, /has no database 99/)
  })

  it('a Redis URL that names another kind of server (the MySQL port) is exit 3, "not a Redis server", not a request to report a bug', async () => {
    const result = await runCli(['run', 'uu-two-writers', '--redis', 'redis://127.0.0.1:3306/0'])
    assert.equal(result.code, 3, result.stderr)
    // MariaDB either answers in its own protocol first, or drops the connection on a Redis command.
    assert.match(result.stderr, /^Error: cannot use Redis at redis:\/\/127\.0\.0\.1:3306\/0 \((what answered there is not a Redis server: it answered in another protocol|connection reset)\)/)
    assert.doesNotMatch(result.stderr, /report this/i)
    assert.equal(result.stderr.trim().split('\n').length, 1)
  })

  it('a server that dies in the middle of a run is exit 3, "lost the connection", not a bug', async () => {
    servers = await startPrivateServers({database: testDatabase})
    let pid = 0
    const running = runCli(['explore', 'dcl-three-readers', '--servers', 'external', '--mysql', servers.mysqlUrl!, '--redis', servers.redisUrl!], {onSpawn: (p) => (pid = p)})
    // Ready once the exploration is under way: a run has reset the row's cached copy.
    const redis = new Redis(servers.redisUrl!)
    try {
      assert.ok(await eventually(async () => (await redis.exists(`${testPrefix}item:1`)) === 1, 20_000), 'the exploration started')
    } finally {
      redis.disconnect()
    }
    assert.ok(pid > 0)
    process.kill(servers.state.redis!.pid, 'SIGKILL')
    const result = await running
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^Error: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/0 in the middle of the run/)
    assert.doesNotMatch(result.stderr, /internal error/)
  })

  it('cachesim\'s own replica killed in the middle of explore is exit 3, and the advice is to run again, not to start a server', async () => {
    const running = runCli(['explore', 'utd-replica-lag'])
    const runs = path.join(testCacheDir, 'runs')
    let replicaPid = 0
    const replicaUp = () => {
      for (const dir of existsSync(runs) ? readdirSync(runs) : []) {
        try {
          const state = JSON.parse(readFileSync(path.join(runs, dir, 'state.json'), 'utf8')) as {replica?: {pid: number}}
          if (state.replica) replicaPid = state.replica.pid
        } catch {
          // not written yet: it is written once the servers answer
        }
      }
      return replicaPid > 0
    }
    assert.ok(await eventually(replicaUp, 60_000), 'the run started its replica')
    process.kill(replicaPid, 'SIGKILL')
    const result = await running
    assert.equal(result.code, 3, result.stderr)
    const error = result.stderr.split('\n').find((line) => line.startsWith('Error:'))
    assert.match(error ?? '', /^Error: (lost the connection to cachesim's own MySQL at|cachesim's own MySQL at) mysql:\/\/root@127\.0\.0\.1:\d+\/\w+ .*run again and cachesim starts a new one$/)
    assert.doesNotMatch(result.stderr, /systemctl|internal error/)
  })
})
