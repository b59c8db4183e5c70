import mysql from 'mysql2/promise'

import {StoreError} from '../errors/store-error.js'
import {connectFailure} from './connect-error.js'
import {mysqlFailure, mysqlLost} from './store-failure.js'
import type {MysqlTarget} from './urls.js'

/** cachesim's one table. The comment marks it as ours: a table of that name without it is never touched. */
export const TABLE = 'cachesim_items'
const TABLE_COMMENT = 'created by cachesim; safe to drop'

export interface RowSnapshot {
  value: number | null
  version: number
}

/**
 * One MySQL connection that knows only cachesim's table. Actors get one each; an observer
 * connection resets and reads the row between runs.
 */
export class MysqlStore {
  readonly target: MysqlTarget
  private inTransaction = false
  /** Rows this connection's open transaction has written, and so holds InnoDB's exclusive lock on. */
  private readonly lockedRows = new Set<number>()
  /** The row a locking statement in flight needs, while it runs. */
  private lockingRow: number | null = null

  private constructor(
    private readonly connection: mysql.Connection,
    target: MysqlTarget,
  ) {
    this.target = target
  }

  /** Connects to the server; `database` false connects without choosing one (to create it). */
  static async connect(target: MysqlTarget, options: {database?: boolean} = {}): Promise<MysqlStore> {
    const store = new MysqlStore(await openMysqlConnection(target, options), target)
    // Never wait the server's default 50 s on a row lock: a blocked step is reported, not hung.
    await store.run('SET SESSION innodb_lock_wait_timeout = 10')
    return store
  }

  /** The mysql2 connection itself, for an app (src/app/) that sends its own statements in cachesim's database. */
  get raw(): mysql.Connection {
    return this.connection
  }

  /** The server's id for this connection, as information_schema shows it. */
  get threadId(): number {
    return this.connection.threadId ?? -1
  }

  get openTransaction(): boolean {
    return this.inTransaction
  }

  /** True while this connection's transaction holds a row lock that another statement could wait for. */
  get holdsRowLocks(): boolean {
    return this.lockedRows.size > 0
  }

  holdsRowLock(id: number): boolean {
    return this.lockedRows.has(id)
  }

  /** The row whose lock the statement in flight needs (an UPDATE), or null. */
  get needsRowLock(): number | null {
    return this.lockingRow
  }

  /** Creates cachesim's database and table when missing; refuses a same-named table that is not ours. */
  async ensureSchema(): Promise<void> {
    try {
      await ensureOwnTable(
        this.connection,
        this.target.database,
        TABLE,
        `id BIGINT NOT NULL PRIMARY KEY,
        value BIGINT NULL,
        version BIGINT NOT NULL DEFAULT 0`,
      )
      await this.run(`USE ${quoteId(this.target.database)}`)
    } catch (error) {
      // A user who may not create or use the database: the server's answer, on one line.
      throw mysqlFailure(this.target, error) ?? error
    }
  }

  async select(id: number): Promise<number | null> {
    const [rows] = await this.query<mysql.RowDataPacket[]>(`SELECT value FROM ${TABLE} WHERE id = ?`, [id])
    return toValue(rows[0]?.value)
  }

  async update(id: number, value: number): Promise<void> {
    this.lockingRow = id
    try {
      await this.query(`UPDATE ${TABLE} SET value = ?, version = version + 1 WHERE id = ?`, [value, id])
      if (this.inTransaction) this.lockedRows.add(id)
    } finally {
      this.lockingRow = null
    }
  }

  /** UPDATE that bumps the row's version and returns the new one (LAST_INSERT_ID carries it back in the same round trip). */
  async updateVersioned(id: number, value: number): Promise<number> {
    this.lockingRow = id
    try {
      const [result] = await this.query(`UPDATE ${TABLE} SET value = ?, version = LAST_INSERT_ID(version + 1) WHERE id = ?`, [value, id])
      if (this.inTransaction) this.lockedRows.add(id)
      return Number(result.insertId)
    } finally {
      this.lockingRow = null
    }
  }

  async begin(): Promise<void> {
    await this.query('BEGIN')
    this.inTransaction = true
  }

  async commit(): Promise<void> {
    await this.endTransaction('COMMIT')
  }

  async rollback(): Promise<void> {
    await this.endTransaction('ROLLBACK')
  }

  private async endTransaction(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    try {
      await this.query(statement)
    } finally {
      // Whatever the answer, the server ends the transaction (an error here drops the connection).
      this.inTransaction = false
      this.lockedRows.clear()
    }
  }

  /** Puts the row back to its initial state: null means no row. Observer only. */
  async reset(id: number, value: number | null): Promise<void> {
    if (value === null) {
      await this.run(`DELETE FROM ${TABLE} WHERE id = ${Number(id)}`)
      return
    }
    await this.query(
      `INSERT INTO ${TABLE} (id, value, version) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE value = VALUES(value), version = 0`,
      [id, value],
    )
  }

  /** The row's value and version (null when there is no row). */
  async snapshot(id: number): Promise<RowSnapshot | null> {
    const [rows] = await this.query<mysql.RowDataPacket[]>(`SELECT value, version FROM ${TABLE} WHERE id = ?`, [id])
    const row = rows[0]
    return row ? {value: toValue(row.value), version: Number(row.version)} : null
  }

  /** Which of these connections are waiting for a row lock right now (InnoDB's own view). */
  async lockWaiting(threadIds: readonly number[]): Promise<Set<number>> {
    if (threadIds.length === 0) return new Set()
    const [rows] = await this.query<mysql.RowDataPacket[]>(
      `SELECT trx_mysql_thread_id AS id FROM information_schema.INNODB_TRX
        WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id IN (?)`,
      [threadIds],
    )
    return new Set(rows.map((row) => Number(row.id)))
  }

  /** Ends the statement a connection is running (used to unstick a step the run gave up on). */
  async killQuery(threadId: number): Promise<void> {
    await this.run(`KILL QUERY ${Number(threadId)}`).catch(() => {})
  }

  /** Closes the connection; an open transaction is rolled back by the server. */
  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy())
  }

  /** Drops the connection at once, without waiting for a statement in flight. */
  destroy(): void {
    this.connection.destroy()
  }

  private async run(sql: string): Promise<void> {
    await this.query(sql)
  }

  private async query<T extends mysql.QueryResult = mysql.ResultSetHeader>(sql: string, params?: unknown[]): Promise<[T]> {
    try {
      const [result] = await this.connection.query<T>(sql, params)
      return [result]
    } catch (error) {
      // A connection that is gone is the server's doing (exit 3), not a bug in cachesim.
      throw mysqlLost(this.target, error) ?? error
    }
  }
}

function toValue(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null
  return Number(raw)
}

/**
 * Where and as whom to connect: what every connection to `target` shares, mysql2's own and the
 * binlog reader's (which hands it to its own driver). `database` false: without choosing one.
 */
export function mysqlConnectionOptions(target: MysqlTarget, options: {database?: boolean} = {}) {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === undefined ? {} : {password: target.password}),
    ...(options.database === false ? {} : {database: target.database}),
    connectTimeout: 3000,
  }
}

/** Opens one mysql2 connection, or throws a StoreUnavailableError that says in words why not. */
export async function openMysqlConnection(target: MysqlTarget, options: {database?: boolean} = {}): Promise<mysql.Connection> {
  let connection: mysql.Connection
  try {
    connection = await mysql.createConnection({
      ...mysqlConnectionOptions(target, options),
      supportBigNumbers: true,
      bigNumberStrings: false,
      // No stack capture per query: it costs CPU on every step, and our errors never show driver stacks.
      trace: false,
    })
  } catch (error) {
    throw connectFailure('MySQL', target.display, error, target.user)
  }
  // A stray connection error (server gone) must not crash the process; the next query reports it.
  connection.on('error', () => {})
  return connection
}

/**
 * Creates `database` and one of cachesim's tables in it when missing, and refuses a table of that
 * name that does not carry cachesim's mark in its COMMENT: cachesim never touches a table it did
 * not create.
 */
export async function ensureOwnTable(connection: mysql.Connection, database: string, table: string, columns: string): Promise<void> {
  const db = quoteId(database)
  await connection.query(`CREATE DATABASE IF NOT EXISTS ${db}`)
  await connection.query(`CREATE TABLE IF NOT EXISTS ${db}.${quoteId(table)} (${columns}) ENGINE=InnoDB COMMENT='${TABLE_COMMENT}'`)
  await refuseForeignTable(connection, database, table)
}

/**
 * Refuses a table of that name that does not carry cachesim's mark (a missing one is fine).
 * A command that needs more than one table asks this of each before it creates any, so that a
 * refused run leaves nothing of cachesim's behind.
 */
export async function refuseForeignTable(connection: mysql.Connection, database: string, table: string): Promise<void> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    'SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [database, table],
  )
  if (rows.length > 0 && rows[0]?.comment !== TABLE_COMMENT) {
    throw new StoreError(
      'MySQL',
      `table ${database}.${table} exists but was not created by cachesim; cachesim will not touch it. Choose another database in --mysql`,
    )
  }
}

export function quoteId(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`'
}
