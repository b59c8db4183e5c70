import mysql from 'mysql2/promise'

import {parseMysqlUrl} from '../../src/stores/urls.js'

/** A seeded random source, so that a failing load can be run again exactly. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

export interface LoadOptions {
  mysqlUrl: string
  /** Row changes in all, shared out between the connections. */
  operations: number
  connections: number
  /** Ids the changes pick from, [first, last]. */
  ids: [number, number]
  seed: number
  /** Told after each change, with how many are done. */
  onProgress?: (done: number) => void
}

/**
 * Random inserts, updates and deletes of cachesim_items from several connections at once, each
 * change its own transaction: the load the sync tests converge under. Returns how many
 * statements changed a row (an UPDATE or DELETE of a missing row changes none, and logs nothing).
 */
export async function randomRowLoad(options: LoadOptions): Promise<number> {
  const target = parseMysqlUrl(options.mysqlUrl)
  let done = 0
  let changes = 0
  const worker = async (index: number, count: number) => {
    const random = seeded(options.seed * 100 + index)
    const connection = await mysql.createConnection({host: target.host, port: target.port, user: target.user, database: target.database})
    try {
      for (let i = 0; i < count; i++) {
        const id = options.ids[0] + Math.floor(random() * (options.ids[1] - options.ids[0] + 1))
        const dice = random()
        const value = random() < 0.05 ? null : Math.floor(random() * 1_000_000)
        let result: mysql.ResultSetHeader
        if (dice < 0.45) {
          ;[result] = await connection.query<mysql.ResultSetHeader>('INSERT INTO cachesim_items (id, value, version) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE value = VALUES(value), version = version + 1', [id, value])
        } else if (dice < 0.8) {
          ;[result] = await connection.query<mysql.ResultSetHeader>('UPDATE cachesim_items SET value = ?, version = version + 1 WHERE id = ?', [value, id])
        } else {
          ;[result] = await connection.query<mysql.ResultSetHeader>('DELETE FROM cachesim_items WHERE id = ?', [id])
        }
        if (result.affectedRows > 0) changes += 1
        done += 1
        options.onProgress?.(done)
      }
    } finally {
      await connection.end()
    }
  }
  const per = Math.ceil(options.operations / options.connections)
  await Promise.all(Array.from({length: options.connections}, (_, i) => worker(i, Math.min(per, options.operations - i * per))))
  return changes
}
