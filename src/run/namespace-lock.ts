import {createHash} from 'node:crypto'

import type mysql from 'mysql2/promise'

import {NamespaceBusyError} from '../errors/namespace-busy-error.js'
import {openMysqlConnection} from '../stores/mysql.js'
import type {StoreTargets} from '../stores/targets.js'
import {lockRedisNamespace} from './redis-namespace-lock.js'

/**
 * Two cachesim runs on one database, or on one Redis key prefix, would reset and read each
 * other's row and keys, and both would report nonsense. So a Workbench holds, while it is open,
 * a MySQL named lock (GET_LOCK) for its database, which the server drops when the connection
 * ends however the process ends, and a lock key in Redis for its key prefix, which must hold
 * wherever the MySQL is (redis-namespace-lock.ts). Within one process both are shared
 * (counted), as several workbenches may use one namespace.
 */
interface ServerLocks {
  connection: Promise<mysql.Connection>
  names: Map<string, number>
}

const servers = new Map<string, ServerLocks>()

export async function lockNamespace(options: StoreTargets): Promise<() => Promise<void>> {
  const {mysql: target} = options
  const server = `${target.host}:${target.port}`
  let locks = servers.get(server)
  if (!locks) {
    locks = {connection: openMysqlConnection(target, {database: false}), names: new Map()}
    servers.set(server, locks)
  }
  const connection = await locks.connection
  const wanted: [string, string][] = [[`cachesim db ${short(target.database)}`, `database ${target.database} on MySQL ${server}`]]
  const taken: string[] = []
  try {
    for (const [name, what] of wanted) {
      const refs = locks.names.get(name) ?? 0
      if (refs === 0) {
        const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 0) AS got, IS_USED_LOCK(?) AS holder', [name, name])
        if (Number(rows[0]?.got) !== 1) throw new NamespaceBusyError(what, `MySQL connection ${String(rows[0]?.holder ?? '?')} holds it`)
      }
      locks.names.set(name, refs + 1)
      taken.push(name)
    }
    const unlockKeys = await lockKeyNamespace(options)
    let released = false
    return async () => {
      if (released) return
      released = true
      await Promise.all([release(server, taken), unlockKeys()])
    }
  } catch (error) {
    await release(server, taken)
    throw error
  }
}

/**
 * The Redis side alone, for a command to take before it starts any private server: a second run
 * on the same prefix is then refused before it costs anything. Shared with the workbenches.
 */
export function lockKeyNamespace(options: Pick<StoreTargets, 'redis' | 'prefix'>): Promise<() => Promise<void>> {
  return lockRedisNamespace(options.redis, options.prefix, `the Redis keys ${options.prefix}* at ${options.redis.display}`)
}

async function release(server: string, names: readonly string[]): Promise<void> {
  const locks = servers.get(server)
  if (!locks) return
  const connection = await locks.connection
  for (const name of names) {
    const refs = (locks.names.get(name) ?? 1) - 1
    if (refs > 0) {
      locks.names.set(name, refs)
      continue
    }
    locks.names.delete(name)
    await connection.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => {})
  }
  if (locks.names.size === 0) {
    servers.delete(server)
    await connection.end().catch(() => connection.destroy())
  }
}

/** Lock names are at most 64 characters: long ones are hashed. */
function short(text: string): string {
  return text.length <= 48 ? text : createHash('sha1').update(text).digest('hex').slice(0, 40)
}
