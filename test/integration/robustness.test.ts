import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import {Workbench} from '../../src/run/workbench.js'
import {type PrivateServers, startPrivateServers} from '../../src/servers/private-servers.js'
import {removeTestData, runCli, testDatabase, testRedisUrl, testStores} from '../helpers/stores.js'

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
  const [, keys] = await redis.scan('0', 'MATCH', `${otherPrefix}*`, 'COUNT', 1000)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
})

describe('one run per database and key prefix', () => {
  it('a second run on the same namespace stops at once with exit 3, and runs again once the first is done', async () => {
    const first = await Workbench.open(testStores())
    try {
      const second = await runCli(['run', 'uu-two-writers', '--servers', 'external'])
      assert.equal(second.code, 3, second.stderr)
      assert.match(second.stderr, /^Error: another cachesim run is using database cachesim_t\d+ on MySQL/)
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

describe('stores that go wrong', () => {
  it('a Redis database number the server does not have is exit 3, and nothing is written to database 0', async () => {
    const result = await runCli(['run', 'uu-two-writers', '--servers', 'external', '--redis', 'redis://127.0.0.1:6379/99'])
    assert.equal(result.code, 3)
    assert.match(result.stderr, /has no database 99/)
  })

  it('a server that dies in the middle of a run is exit 3, "lost the connection", not a bug', async () => {
    servers = await startPrivateServers({database: testDatabase})
    let pid = 0
    const running = runCli(['explore', 'dcl-three-readers', '--servers', 'external', '--mysql', servers.mysqlUrl!, '--redis', servers.redisUrl!], {onSpawn: (p) => (pid = p)})
    await new Promise((resolve) => setTimeout(resolve, 2500))
    assert.ok(pid > 0)
    process.kill(servers.state.redis!.pid, 'SIGKILL')
    const result = await running
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^Error: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+\/0 in the middle of the run/)
    assert.doesNotMatch(result.stderr, /internal error/)
  })
})
