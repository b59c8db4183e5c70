import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import {StoreError} from '../../src/errors/store-error.js'
import {Workbench} from '../../src/run/workbench.js'
import {parseMysqlUrl} from '../../src/stores/urls.js'
import {keysMatching, removeTestData, runCli, testDatabase, testRedisUrl, testStores} from '../helpers/stores.js'

/** Someone else's data: a table in another database, and a key outside cachesim's prefix. */
const foreignDatabase = `cachesim_foreign_${process.pid}`
const foreignKey = `not-cachesim-${process.pid}:item:1`

let connection: mysql.Connection
let redis: Redis

before(async () => {
  const target = parseMysqlUrl(testStores().mysql.display)
  connection = await mysql.createConnection({host: target.host, port: target.port, user: target.user})
  await connection.query(`CREATE DATABASE \`${foreignDatabase}\``)
  await connection.query(`CREATE TABLE \`${foreignDatabase}\`.cachesim_items (id BIGINT PRIMARY KEY, value BIGINT)`)
  await connection.query(`INSERT INTO \`${foreignDatabase}\`.cachesim_items VALUES (1, 12345)`)
  redis = new Redis(testRedisUrl)
  await redis.set(foreignKey, 'precious')
})

after(async () => {
  await connection.query(`DROP DATABASE IF EXISTS \`${foreignDatabase}\``)
  await connection.end()
  await redis.del(foreignKey)
  await redis.quit()
  await removeTestData()
})

describe('cachesim touches only its own database and key prefix', () => {
  it('run all leaves a row in another database and a key outside the prefix untouched', async () => {
    const result = await runCli(['run', 'all', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT id, value FROM \`${foreignDatabase}\`.cachesim_items`)
    assert.deepEqual(rows.map((r) => [r.id, r.value]), [[1, 12345]])
    assert.equal(await redis.get(foreignKey), 'precious')
    // And cachesim's own keys all carry its prefix.
    const keys = await keysMatching(redis, `${testStores().prefix}*`)
    assert.ok(keys.length > 0, 'cachesim wrote its keys under its prefix')
  })

  it('refuses to use a table of the same name that it did not create', async () => {
    const options = testStores()
    const theirs = {...options, mysql: {...options.mysql, database: foreignDatabase}}
    await assert.rejects(Workbench.open(theirs), (error: unknown) => error instanceof StoreError && /was not created by cachesim/.test(error.message))
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT value FROM \`${foreignDatabase}\`.cachesim_items`)
    assert.equal(rows[0]?.value, 12345)
  })

  it('works in its own database: the table it made carries its mark', async () => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [testDatabase, 'cachesim_items'],
    )
    assert.match(String(rows[0]?.comment), /created by cachesim/)
  })
})

describe('cachesim refuses before it creates anything', () => {
  const systemSchemas = ['mysql', 'sys', 'information_schema', 'performance_schema']

  after(async () => {
    // Only if a failing run made one: a table cachesim marked as its own, never anything else.
    for (const schema of systemSchemas) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'cachesim_items' AND TABLE_COMMENT LIKE '%created by cachesim%'",
        [schema],
      )
      if (rows.length > 0) await connection.query(`DROP TABLE \`${schema}\`.cachesim_items`)
    }
  })

  it('a system schema as cachesim\'s database is bad input, one line, exit 2, and no table is made', async () => {
    const base = new URL(testStores().mysql.display)
    for (const schema of systemSchemas) {
      base.pathname = `/${schema}`
      const result = await runCli(['run', 'uu-two-writers', '--servers', 'external'], {env: {CACHESIM_MYSQL_URL: base.toString()}})
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, new RegExp(`^Error: MySQL URL .* names the server's system schema "${schema}"`))
      assert.equal(result.stderr.trim().split('\n').length, 1)
    }
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT TABLE_SCHEMA AS db FROM information_schema.TABLES WHERE TABLE_NAME = 'cachesim_items' AND TABLE_SCHEMA IN (?)",
      [systemSchemas],
    )
    assert.deepEqual(rows, [])
  })

  it('--order with several scenarios is refused before any private server starts', async () => {
    const started = performance.now()
    const result = await runCli(['run', 'all', '--order', 'A:db.update B:db.update', '--servers', 'private'])
    assert.equal(result.code, 2, result.stderr)
    assert.equal(result.stderr.trim(), `Error: --order replays one scenario, but the target names ${result.stderr.match(/names (\d+)/)?.[1]}; name one scenario or file`)
    assert.ok(performance.now() - started < 5000, 'no server was started on the way')
  })
})
