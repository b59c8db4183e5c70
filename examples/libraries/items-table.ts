/** The table the library examples cache: one row per item, a number as its value. */
import type {Connection, RowDataPacket} from 'mysql2/promise'

export const ITEMS = 'example_library_items'

export async function createItemsTable(mysql: Connection): Promise<void> {
  await mysql.query(`CREATE TABLE IF NOT EXISTS ${ITEMS} (id BIGINT PRIMARY KEY, value BIGINT NULL)`)
}

export async function findItem(mysql: Connection, id: number): Promise<number | null> {
  const [rows] = await mysql.query<RowDataPacket[]>(`SELECT value FROM ${ITEMS} WHERE id = ?`, [id])
  return rows[0] ? Number(rows[0].value) : null
}

export async function updateItem(mysql: Connection, id: number, value: number): Promise<void> {
  await mysql.query(`UPDATE ${ITEMS} SET value = ? WHERE id = ?`, [value, id])
}

export async function resetItem(mysql: Connection, id: number, value: number | null): Promise<void> {
  if (value === null) await mysql.query(`DELETE FROM ${ITEMS} WHERE id = ?`, [id])
  else await mysql.query(`REPLACE INTO ${ITEMS} (id, value) VALUES (?, ?)`, [id, value])
}
