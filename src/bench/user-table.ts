import type mysql from 'mysql2/promise'

import {ensureOwnTable, openMysqlConnection, quoteId} from '../stores/mysql.js'
import type {MysqlTarget} from '../stores/urls.js'
import type {QueryKind} from './types.js'

/** The benchmark's table: the seed's `user` table, under cachesim's name and mark. */
export const USER_TABLE = 'cachesim_users'
const USER_COLUMNS = 'id BIGINT NOT NULL PRIMARY KEY, username VARCHAR(100) NOT NULL, age INT NOT NULL'

/**
 * The statement one read sends. `heavy` returns the same row plus how many users share its age:
 * `age` has no index, so every heavy read scans the whole table (its cost grows with --keys).
 */
export const READ_SQL: Record<QueryKind, string> = {
  point: `SELECT id, username, age FROM ${USER_TABLE} WHERE id = ?`,
  heavy: `SELECT u.id, u.username, u.age, (SELECT COUNT(*) FROM ${USER_TABLE} p WHERE p.age = u.age) AS same_age FROM ${USER_TABLE} u WHERE u.id = ?`,
}

const UPDATE_SQL = `UPDATE ${USER_TABLE} SET age = ? WHERE id = ?`
const LOAD_BATCH = 1000

/** Row `id` as the benchmark generates it: the seed's row 1 is ("redis-test", 18). */
export function userRow(id: number): [number, string, number] {
  return id === 1 ? [1, 'redis-test', 18] : [id, `user-${id}`, 18 + ((id * 7919) % 63)]
}

/**
 * Creates the user table when missing (refusing a same-named table cachesim did not make) and
 * loads it with exactly rows 1..keys. The connection must not have chosen a database yet.
 */
export async function loadUserTable(connection: mysql.Connection, database: string, keys: number, signal?: AbortSignal): Promise<void> {
  await ensureOwnTable(connection, database, USER_TABLE, USER_COLUMNS)
  await connection.query(`USE ${quoteId(database)}`)
  // TRUNCATE only after ensureOwnTable has checked the mark: this table is ours.
  await connection.query(`TRUNCATE TABLE ${USER_TABLE}`)
  for (let first = 1; first <= keys && !signal?.aborted; first += LOAD_BATCH) {
    const rows: [number, string, number][] = []
    for (let id = first; id < Math.min(first + LOAD_BATCH, keys + 1); id++) rows.push(userRow(id))
    await connection.query(`INSERT INTO ${USER_TABLE} (id, username, age) VALUES ?`, [rows])
  }
}

/** Statements a server says one session ran (SHOW SESSION STATUS), to cross-check our counters. */
export interface ServerCounts {
  selects: number
  updates: number
}

/**
 * One client's MySQL connection to the user table. It counts what it sends; `serverCounts`
 * asks the server what it saw on this session.
 */
export class UserTable {
  selects = 0
  updates = 0

  private constructor(
    /**
     * The bare mysql2 connection, for timing floors on this very connection: each connection has
     * its own server thread, and two connections' round trips differed by up to 45% here.
     */
    readonly connection: mysql.Connection,
    private readonly query: QueryKind,
  ) {}

  static async open(target: MysqlTarget, query: QueryKind): Promise<UserTable> {
    return new UserTable(await openMysqlConnection(target), query)
  }

  /** The row as JSON, the form the cache holds; null when there is no such row. */
  async read(id: number): Promise<string | null> {
    this.selects += 1
    const [rows] = await this.connection.query<mysql.RowDataPacket[]>(READ_SQL[this.query], [id])
    return rows[0] ? JSON.stringify(rows[0]) : null
  }

  async update(id: number, age: number): Promise<void> {
    this.updates += 1
    await this.connection.query(UPDATE_SQL, [age, id])
  }

  /** SHOW STATUS itself counts as neither a SELECT nor an UPDATE, so reading it changes nothing. */
  async serverCounts(): Promise<ServerCounts> {
    const [rows] = await this.connection.query<mysql.RowDataPacket[]>(
      "SHOW SESSION STATUS WHERE Variable_name IN ('Com_select', 'Com_update')",
    )
    const value = (name: string) => Number(rows.find((r) => r.Variable_name === name)?.Value ?? Number.NaN)
    return {selects: value('Com_select'), updates: value('Com_update')}
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy())
  }

  destroy(): void {
    this.connection.destroy()
  }
}
