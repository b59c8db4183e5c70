/**
 * The built-in update-then-delete strategy, written as an app: cache-aside with ioredis and
 * mysql2. Its explore counts equal the built-in's (test/integration/app-seam.test.ts checks it).
 */
import type {RowDataPacket} from 'mysql2/promise'

import type {CachesimApp} from '../../src/app/types.js'

const TABLE = 'example_utd_items'

const app: CachesimApp<number> = {
  name: 'utd-app',
  summary: 'update-then-delete as an app: read GET, on a miss SELECT then SET; write UPDATE then DEL',
  async setup(mysql) {
    await mysql.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id BIGINT PRIMARY KEY, value BIGINT NULL)`)
  },
  key: (id, prefix) => `${prefix}utd-app:${id}`,
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
        await mysql.query(`UPDATE ${TABLE} SET value = ? WHERE id = ?`, [value, id])
        await redis.del(key)
      },
    }
  },
}

export default app
