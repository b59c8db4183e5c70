/**
 * The built-in delayed-double-delete strategy, written as an app: DEL, UPDATE, sleep, DEL again
 * (the sleep is timers/promises', as production code writes it). Under explore the sleep is a
 * step of the writer's own (`A:timer`) that can end before or after any step of the others, as
 * the built-in's `wait` can, so its explore counts equal the built-in's
 * (test/integration/app-seam.test.ts checks it).
 */
import {setTimeout as sleep} from 'node:timers/promises'

import type {RowDataPacket} from 'mysql2/promise'

import type {CachesimApp} from '../../src/app/types.js'

const TABLE = 'example_ddd_items'
/** How long the writer waits before its second DEL: meant to outlast a reader's refill. */
const DELAY_MS = 500

const app: CachesimApp<number> = {
  name: 'ddd-app',
  summary: `delayed double delete as an app: read GET, on a miss SELECT then SET; write DEL, UPDATE, sleep ${DELAY_MS} ms, DEL`,
  async setup(mysql) {
    await mysql.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id BIGINT PRIMARY KEY, value BIGINT NULL)`)
  },
  key: (id, prefix) => `${prefix}ddd-app:${id}`,
  async readRow(mysql, id) {
    const [rows] = await mysql.query<RowDataPacket[]>(`SELECT value FROM ${TABLE} WHERE id = ?`, [id])
    return rows[0] ? Number(rows[0].value) : null
  },
  async writeRow(mysql, id, value) {
    if (value === null) await mysql.query(`DELETE FROM ${TABLE} WHERE id = ?`, [id])
    else await mysql.query(`REPLACE INTO ${TABLE} (id, value) VALUES (?, ?)`, [id, value])
  },
  decode: (raw) => Number(raw),
  encode: (value) => String(value),
  create({id, prefix, redis, mysql}) {
    const key = app.key(id, prefix)
    return {
      async read() {
        const cached = await redis.get(key)
        if (cached !== null) return Number(cached)
        const value = await app.readRow(mysql, id)
        if (value !== null) await redis.set(key, String(value))
        return value
      },
      async write(value) {
        await redis.del(key)
        await mysql.query(`UPDATE ${TABLE} SET value = ? WHERE id = ?`, [value, id])
        await sleep(DELAY_MS)
        await redis.del(key)
      },
    }
  },
}

export default app
