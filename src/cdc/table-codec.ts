import {itemKey, type KeySpace, rowKey} from '../stores/keys.js'
import {TABLE} from '../stores/mysql.js'
import type {Row} from './row-event.js'

/**
 * How one table's rows map onto cache keys and values. cachesim_items uses exactly what the
 * strategies read (`item:ID` → the decimal value, no key for a NULL value); any other table of
 * cachesim's database is cached as `row:TABLE:PK` → the row as JSON.
 */
export interface TableCodec {
  table: string
  primaryKey: readonly string[]
  key(row: Row): string
  /** The cached value of the row, or null when the row is not cached (its key is deleted). */
  value(row: Row): string | null
  /** A SCAN pattern that matches every key of this table and no other. */
  pattern: string
}

export function tableCodec(space: KeySpace, table: string, primaryKey: readonly string[]): TableCodec {
  if (table === TABLE) {
    return {
      table,
      primaryKey: ['id'],
      key: (row) => itemKey(space, String(row.id)),
      value: (row) => (row.value === null || row.value === undefined ? null : String(row.value)),
      pattern: itemKey(space, '*'),
    }
  }
  return {
    table,
    primaryKey,
    key: (row) => rowKey(space, table, primaryKey.map((column) => String(row[column]))),
    value: (row) => JSON.stringify(row),
    pattern: rowKey(space, table, ['*']),
  }
}

/** Binlog values made fit for JSON: binary as base64, dates as ISO strings, bigint as a string. */
export function jsonRow(row: Record<string, unknown>): Row {
  const out: Row = {}
  for (const [column, value] of Object.entries(row)) out[column] = jsonValue(value)
  return out
}

function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64')
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value === 'bigint') return value.toString()
  return value
}
