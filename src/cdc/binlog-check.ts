import type mysql from 'mysql2/promise'

import {openMysqlConnection} from '../stores/mysql.js'
import {mysqlFailure} from '../stores/store-failure.js'
import type {MysqlTarget} from '../stores/urls.js'

/**
 * What keeps the server's binlog from serving change capture, in words for a user ("has its
 * binary log off"), or undefined when it serves: log_bin on, ROW format, full row images.
 */
export async function binlogProblem(target: MysqlTarget): Promise<string | undefined> {
  const connection = await openMysqlConnection(target, {database: false})
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT @@GLOBAL.log_bin AS logBin, @@GLOBAL.binlog_format AS format, @@GLOBAL.binlog_row_image AS image',
    )
    const {logBin, format, image} = (rows[0] ?? {}) as {logBin?: unknown; format?: unknown; image?: unknown}
    if (Number(logBin) !== 1) return 'has its binary log off (log_bin = OFF)'
    if (String(format).toUpperCase() !== 'ROW') return `writes its binlog in ${String(format)} format, not ROW`
    if (String(image).toUpperCase() !== 'FULL') return `logs ${String(image)} row images, not FULL ones`
    return undefined
  } catch (error) {
    throw mysqlFailure(target, error) ?? error
  } finally {
    await connection.end().catch(() => connection.destroy())
  }
}

/**
 * The end of the server's binlog: SHOW MASTER STATUS (MariaDB, MySQL ≤ 8.3), or SHOW BINARY LOG
 * STATUS (MySQL 8.4 removed the former). Undefined when the server keeps no binlog.
 */
export async function binlogEnd(connection: mysql.Connection): Promise<{file: string; pos: number} | undefined> {
  let rows: mysql.RowDataPacket[]
  try {
    ;[rows] = await connection.query<mysql.RowDataPacket[]>('SHOW MASTER STATUS')
  } catch (error) {
    if ((error as {code?: string}).code !== 'ER_PARSE_ERROR') throw error
    ;[rows] = await connection.query<mysql.RowDataPacket[]>('SHOW BINARY LOG STATUS')
  }
  const row = rows[0]
  return row ? {file: String(row.File), pos: Number(row.Position)} : undefined
}
