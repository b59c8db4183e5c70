import assert from 'node:assert/strict'
import {after, before, beforeEach, describe, it} from 'node:test'

import {Redis} from 'ioredis'
import mysql from 'mysql2/promise'

import {BinlogReader} from '../../src/cdc/binlog-reader.js'
import {CacheApplier} from '../../src/cdc/cache-applier.js'
import type {RowEvent} from '../../src/cdc/row-event.js'
import {tableCodec} from '../../src/cdc/table-codec.js'
import {startPrivateServers, type PrivateServers} from '../../src/servers/private-servers.js'
import {syncAppliedKey} from '../../src/stores/keys.js'
import {MysqlStore} from '../../src/stores/mysql.js'
import {parseMysqlUrl} from '../../src/stores/urls.js'
import {removeTestData, testDatabase, testPrefix, testRedisUrl} from '../helpers/stores.js'

let servers: PrivateServers
let db: mysql.Connection
let reader: BinlogReader
const keys = {prefix: testPrefix}
const target = () => parseMysqlUrl(servers.mysqlUrl!)

before(async () => {
  servers = await startPrivateServers({database: testDatabase, redis: false})
  const store = await MysqlStore.connect(target(), {database: false})
  await store.ensureSchema()
  await store.close()
  db = await mysql.createConnection({host: target().host, port: target().port, user: 'root', database: testDatabase})
  await db.query('CREATE TABLE pairs (a INT, b VARCHAR(10), note TEXT, PRIMARY KEY (a, b))')
  await db.query('CREATE TABLE other (id INT PRIMARY KEY)')
})

after(async () => {
  await reader?.close()
  await db?.end()
  await servers?.stop()
  await removeTestData()
})

describe('BinlogReader', () => {
  beforeEach(async () => {
    await reader?.close()
    reader = await BinlogReader.open({mysql: target(), tables: ['cachesim_items', 'pairs'], keys, from: 'now'})
  })

  it('gives each row change of the chosen tables, in order, one at a time', async () => {
    assert.equal(reader.take(), undefined, 'nothing before the first commit')
    await db.query('INSERT INTO cachesim_items (id, value, version) VALUES (1, 100, 0)')
    await db.query('INSERT INTO other VALUES (1)')
    await db.query('BEGIN')
    await db.query('UPDATE cachesim_items SET value = 99, version = 1 WHERE id = 1')
    await db.query("INSERT INTO pairs VALUES (1, 'x', 'hello')")
    await db.query('DELETE FROM cachesim_items WHERE id = 1')
    await db.query('COMMIT')
    await reader.caughtUp()
    assert.equal(reader.pending, 4, 'the table not asked for is left out')
    const insert = reader.take()!
    assert.deepEqual([insert.type, insert.key, insert.before, insert.after], ['insert', `${testPrefix}item:1`, null, {id: 1, value: 100, version: 0}])
    const [update, pair, remove] = [await reader.next(), reader.take()!, reader.take()!]
    assert.deepEqual([update.type, update.before?.value, update.after?.value], ['update', 100, 99])
    assert.deepEqual([pair.table, pair.key, pair.after], ['pairs', `${testPrefix}row:pairs:1:x`, {a: 1, b: 'x', note: 'hello'}])
    assert.deepEqual([remove.type, remove.before?.value, remove.after], ['delete', 99, null])
    // One transaction: one resume position and GTID, versions rising within it.
    assert.equal(new Set([update.binlogPos, pair.binlogPos, remove.binlogPos]).size, 1)
    assert.equal(update.gtid, remove.gtid)
    assert.notEqual(insert.gtid, update.gtid)
    assert.ok(insert.version < update.version && update.version < pair.version && pair.version < remove.version)
    assert.ok(Math.abs(update.ts - Date.now()) < 5000, 'ts is the event time in ms')
    assert.equal(reader.take(), undefined)
  })

  it('caughtUp then discardPending skips what was committed so far (a scenario\'s own reset)', async () => {
    await db.query('INSERT INTO cachesim_items (id, value, version) VALUES (5, 1, 0), (6, 1, 0)')
    await reader.caughtUp()
    assert.equal(reader.discardPending(), 2)
    await db.query('UPDATE cachesim_items SET value = 2 WHERE id = 6')
    assert.deepEqual([(await reader.next()).key, reader.pending], [`${testPrefix}item:6`, 0])
  })

  it('waitForEvent waits for the next commit, and gives up when its signal aborts', async () => {
    const controller = new AbortController()
    const waiting = reader.waitForEvent(controller.signal)
    setTimeout(() => void db.query('INSERT INTO cachesim_items (id, value, version) VALUES (2, 5, 0)'), 50)
    await waiting
    assert.equal(reader.take()?.after?.value, 5)
    const aborted = reader.waitForEvent(controller.signal)
    controller.abort(new Error('enough'))
    await assert.rejects(aborted, /enough/)
  })

  it('reads again from a stored position: the whole transaction comes back', async () => {
    await db.query('BEGIN')
    await db.query('INSERT INTO cachesim_items (id, value, version) VALUES (3, 30, 0), (4, 40, 0)')
    await db.query('COMMIT')
    const first = await reader.next()
    const again = await BinlogReader.open({mysql: target(), tables: ['cachesim_items'], keys, from: {file: first.binlogFile, pos: first.binlogPos}})
    try {
      const replayed = [await again.next(), await again.next()]
      assert.deepEqual(replayed.map((e) => [e.key, e.version]), [
        [first.key, first.version],
        [`${testPrefix}item:4`, reader.take()!.version],
      ])
    } finally {
      await again.close()
    }
  })
})

describe('BinlogReader from the start', () => {
  it('reads the oldest binlog the server keeps: changes made before it opened', async () => {
    await db.query('INSERT INTO cachesim_items (id, value, version) VALUES (42, 42, 0)')
    const fromStart = await BinlogReader.open({mysql: target(), tables: ['cachesim_items'], keys, from: 'start'})
    try {
      await fromStart.caughtUp()
      const events: RowEvent[] = []
      for (let event = fromStart.take(); event; event = fromStart.take()) events.push(event)
      assert.equal(events[0]?.binlogFile, 'binlog.000001')
      assert.ok(events.some((e) => e.type === 'insert' && e.after?.id === 42))
    } finally {
      await fromStart.close()
    }
  })
})

describe('CacheApplier (set mode)', () => {
  let redis: Redis
  before(async () => {
    redis = new Redis(testRedisUrl)
  })
  after(() => redis.disconnect())

  function change(id: number, value: number | null, version: string): RowEvent {
    const row = {id, value, version: 0}
    return {table: 'cachesim_items', type: value === null ? 'delete' : 'update', key: `${testPrefix}item:${id}`, before: row, after: value === null ? null : row, binlogFile: 'binlog.000001', binlogPos: 4, ts: 0, version, receivedAt: 0}
  }

  it('never moves a key back to an older change, and a delete keeps older changes out', async () => {
    const codecs = new Map([['cachesim_items', tableCodec(keys, 'cachesim_items', ['id'])]])
    const applier = new CacheApplier(redis, {mode: 'set', channel: '', positionKey: '', appliedKey: (t) => syncAppliedKey(keys, t), codecs})
    const key = `${testPrefix}item:9`
    assert.equal(await applier.apply([change(9, 1, 'v1'), change(9, 2, 'v2')]), 2)
    assert.equal(await redis.get(key), '2')
    assert.equal(await applier.apply([change(9, 1, 'v1')]), 0, 'a replay of v1 is skipped')
    assert.equal(await redis.get(key), '2')
    await applier.apply([change(9, null, 'v3'), change(9, 2, 'v2')])
    assert.equal(await redis.exists(key), 0, 'deleted at v3; v2 replayed after it does not bring it back')
    await redis.del(key, syncAppliedKey(keys, 'cachesim_items'))
  })
})
