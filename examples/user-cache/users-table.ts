/** The users table of the example: what the app's repository reads and writes. */
import type {Connection, RowDataPacket} from 'mysql2/promise'

export interface User {
  name: string
  email: string
}

export const USERS = 'example_users'

export async function createUsersTable(mysql: Connection): Promise<void> {
  await mysql.query(`CREATE TABLE IF NOT EXISTS ${USERS} (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL)`)
}

export async function findUser(mysql: Connection, id: number): Promise<User | null> {
  const [rows] = await mysql.execute<RowDataPacket[]>(`SELECT name, email FROM ${USERS} WHERE id = ?`, [id])
  const row = rows[0]
  return row ? {name: String(row.name), email: String(row.email)} : null
}

export async function updateUser(mysql: Connection, id: number, user: User): Promise<void> {
  await mysql.execute(`UPDATE ${USERS} SET name = ?, email = ? WHERE id = ?`, [user.name, user.email, id])
}

/** Puts the row in the state a run starts from (cachesim calls this through the app's writeRow). */
export async function resetUser(mysql: Connection, id: number, user: User | null): Promise<void> {
  if (user === null) await mysql.query(`DELETE FROM ${USERS} WHERE id = ?`, [id])
  else await mysql.query(`REPLACE INTO ${USERS} (id, name, email) VALUES (?, ?, ?)`, [id, user.name, user.email])
}

/** The user a scenario's number stands for: `write: 99` writes this user. */
export function userNumbered(n: number): User {
  return {name: `user ${n}`, email: `user${n}@example.com`}
}
