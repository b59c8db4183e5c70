import type {Redis} from 'ioredis'
import type mysql from 'mysql2/promise'

import {StoreError} from '../errors/store-error.js'
import {binlogEnd} from './binlog-check.js'
import type {CacheApplier} from './cache-applier.js'
import {type BinlogPosition, binlogVersion} from './row-event.js'
import {jsonRow, type TableCodec} from './table-codec.js'

/**
 * Reads the tables as of one binlog position, so that streaming from that position afterwards
 * misses no change and repeats none. MariaDB gives the position of a consistent snapshot
 * without blocking writers (binlog_snapshot_file/position); elsewhere the tables are read
 * under LOCK TABLES … READ, which holds writers back for the length of the read.
 */
export async function readSnapshot(
  connection: mysql.Connection,
  database: string,
  tables: readonly string[],
): Promise<{position: BinlogPosition; rows: Map<string, Record<string, unknown>[]>}> {
  const rows = new Map<string, Record<string, unknown>[]>()
  const readAll = async () => {
    for (const table of tables) {
      const [result] = await connection.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${database}\`.\`${table}\``)
      rows.set(table, result.map((row) => jsonRow(row)))
    }
  }
  await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT')
  try {
    const [status] = await connection.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'binlog_snapshot_%'")
    const file = status.find((r) => r.Variable_name === 'Binlog_snapshot_file')?.Value as string | undefined
    const pos = status.find((r) => r.Variable_name === 'Binlog_snapshot_position')?.Value as string | undefined
    if (file && pos) {
      await readAll()
      return {position: {file, pos: Number(pos)}, rows}
    }
  } finally {
    await connection.query('COMMIT')
  }
  await connection.query(`LOCK TABLES ${tables.map((t) => `\`${database}\`.\`${t}\` READ`).join(', ')}`)
  try {
    const end = await binlogEnd(connection)
    if (!end) throw new StoreError('MySQL', 'the server keeps no binlog')
    await readAll()
    return {position: end, rows}
  } finally {
    await connection.query('UNLOCK TABLES')
  }
}

/**
 * Loads a snapshot into the cache: every row's key at the snapshot's version (a binlog change
 * after it is always newer), and deletes the keys of rows that no longer exist.
 */
export async function loadSnapshot(
  redis: Redis,
  applier: CacheApplier,
  codecs: ReadonlyMap<string, TableCodec>,
  snapshot: {position: BinlogPosition; rows: Map<string, Record<string, unknown>[]>},
): Promise<number> {
  const version = binlogVersion(snapshot.position.file, snapshot.position.pos, 0)
  let loaded = 0
  for (const [table, rows] of snapshot.rows) {
    const codec = codecs.get(table)!
    const entries = rows.map((row) => ({key: codec.key(row), value: codec.value(row)}))
    const present = new Set(entries.map((e) => e.key))
    for (let i = 0; i < entries.length; i += 1000) await applier.load(table, entries.slice(i, i + 1000), version)
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', codec.pattern, 'COUNT', 1000)
      const gone = keys.filter((key) => !present.has(key)).map((key) => ({key, value: null}))
      if (gone.length > 0) await applier.load(table, gone, version)
      cursor = next
    } while (cursor !== '0')
    loaded += entries.length
  }
  return loaded
}
