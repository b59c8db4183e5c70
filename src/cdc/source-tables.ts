import type mysql from 'mysql2/promise'

import {BadInputError} from '../errors/bad-input-error.js'

const TABLE_NAME = /^[A-Za-z0-9_]{1,64}$/

/** Refuses a --table that is not a plain table name; checked before anything connects or starts. */
export function validateTableNames(tables: readonly string[]): readonly string[] {
  for (const table of tables) {
    if (!TABLE_NAME.test(table)) throw new BadInputError(`--table "${table}" is not a table name (letters, digits and _, at most 64)`)
  }
  return tables
}

/**
 * The primary key columns of each table, which must be a table with a primary key in cachesim's
 * database: sync reads only cachesim's own tables, and keys each cached row by its primary key.
 */
export async function primaryKeys(connection: mysql.Connection, database: string, tables: readonly string[]): Promise<Map<string, string[]>> {
  validateTableNames(tables)
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT t.TABLE_NAME AS tableName, k.COLUMN_NAME AS columnName
       FROM information_schema.TABLES t
       LEFT JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_NAME = 'PRIMARY'
      WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME IN (?)
      ORDER BY t.TABLE_NAME, k.ORDINAL_POSITION`,
    [database, tables],
  )
  const keys = new Map<string, string[]>()
  for (const row of rows) {
    const columns = keys.get(row.tableName as string) ?? []
    if (row.columnName !== null) columns.push(row.columnName as string)
    keys.set(row.tableName as string, columns)
  }
  for (const table of tables) {
    const columns = keys.get(table)
    if (!columns) throw new BadInputError(`--table ${table}: no such table in cachesim's database ${database}; sync reads only tables there`)
    if (columns.length === 0) throw new BadInputError(`--table ${table} has no primary key, so its rows have no cache key`)
  }
  return keys
}
