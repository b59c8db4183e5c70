import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import mysql from 'mysql2/promise'

import {startPrivateServers, type PrivateServers} from '../../src/servers/private-servers.js'
import {ReplicaControl} from '../../src/servers/replica-control.js'
import {MysqlStore} from '../../src/stores/mysql.js'
import {parseMysqlUrl} from '../../src/stores/urls.js'
import {removeTestData, testDatabase} from '../helpers/stores.js'

let servers: PrivateServers
let control: ReplicaControl
let primary: mysql.Connection
let replica: mysql.Connection

async function connect(url: string): Promise<mysql.Connection> {
  const target = parseMysqlUrl(url)
  return mysql.createConnection({host: target.host, port: target.port, user: 'root'})
}

async function replicaValue(): Promise<number | undefined> {
  const [rows] = await replica.query<mysql.RowDataPacket[]>(`SELECT value FROM \`${testDatabase}\`.cachesim_items WHERE id = 1`)
  return rows[0]?.value as number | undefined
}

before(async () => {
  servers = await startPrivateServers({database: testDatabase, redis: false, replica: true})
  const store = await MysqlStore.connect(parseMysqlUrl(servers.mysqlUrl!), {database: false})
  await store.ensureSchema()
  await store.reset(1, 100)
  await store.close()
  control = await ReplicaControl.connect(servers.mysqlUrl!, servers.replicaUrl!)
  primary = await connect(servers.mysqlUrl!)
  replica = await connect(servers.replicaUrl!)
})

after(async () => {
  await control?.close()
  await primary?.end()
  await replica?.end()
  await servers?.stop()
  await removeTestData()
})

describe('a private replica of the private MariaDB', () => {
  it('follows the primary: the schema and row made there arrive', async () => {
    await control.waitCaughtUp()
    assert.equal(await replicaValue(), 100)
    assert.equal((await control.status()).caughtUp, true)
  })

  it('held back, it serves the old row; released, it catches up', async () => {
    await control.holdBack()
    await primary.query(`UPDATE \`${testDatabase}\`.cachesim_items SET value = 99 WHERE id = 1`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(await replicaValue(), 100, 'a reader of the replica sees the old value')
    const status = await control.status()
    assert.deepEqual([status.receiving, status.applying, status.caughtUp], [true, false, false])
    await control.release()
    await control.waitCaughtUp()
    assert.equal(await replicaValue(), 99)
  })

  it('MASTER_DELAY takes whole seconds only', async () => {
    await assert.rejects(control.setDelaySeconds(0.5), /whole seconds/)
  })
})
