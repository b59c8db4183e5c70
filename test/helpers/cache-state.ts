import type {Redis} from 'ioredis'
import mysql from 'mysql2/promise'

import {parseMysqlUrl} from '../../src/stores/urls.js'

/**
 * Where the cache and cachesim_items disagree, as lines a failed assertion can print: a key that
 * is not the row's value, a key for a row that is gone (or NULL), and, with `everyRow`, a row
 * with a value but no key.
 */
export async function cacheMismatches(mysqlUrl: string, redis: Redis, prefix: string, everyRow = false): Promise<string[]> {
  const target = parseMysqlUrl(mysqlUrl)
  const connection = await mysql.createConnection({host: target.host, port: target.port, user: target.user, database: target.database})
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT id, value FROM cachesim_items')
  await connection.end()
  const rowValue = new Map(rows.map((r) => [`${prefix}item:${r.id}`, r.value === null ? null : String(r.value)]))
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}item:*`, 'COUNT', 1000)
    keys.push(...found)
    cursor = next
  } while (cursor !== '0')
  const values = keys.length === 0 ? [] : await redis.mget(...keys)
  const mismatches: string[] = []
  keys.forEach((key, i) => {
    const expected = rowValue.get(key)
    if (expected === undefined || expected === null) mismatches.push(`${key} = ${values[i]} but the row is ${expected === null ? 'NULL' : 'gone'}`)
    else if (values[i] !== expected) mismatches.push(`${key} = ${values[i]} but the row has ${expected}`)
  })
  if (everyRow) {
    const cached = new Set(keys)
    for (const [key, value] of rowValue) if (value !== null && !cached.has(key)) mismatches.push(`no ${key} but the row has ${value}`)
  }
  return mismatches
}
