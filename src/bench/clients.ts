import type mysql from 'mysql2/promise'

import {ConnectionLimitError, type ConnectionRoom} from '../errors/connection-limit-error.js'
import type {StoreTargets} from '../stores/targets.js'
import {RedisStore} from '../stores/redis.js'
import type {QueryKind} from './types.js'
import {UserTable} from './user-table.js'

/** One benchmark client (a request loop, a stampede reader): its own MySQL and Redis connection. */
export interface BenchClient {
  table: UserTable
  redis: RedisStore
}

/** Opening hundreds of connections at once only makes the server's accept queue the benchmark. */
const OPEN_AT_ONCE = 16

/** What a user asked for that sets how many connections are opened, for the error message. */
export interface ConnectionRequest {
  flag: string
  value: number
}

/**
 * Opens `count` clients, a few at a time. When one cannot be opened every one already open is
 * dropped; a server out of connections is said as such, with the flag to lower.
 */
export async function openClients(stores: StoreTargets, query: QueryKind, count: number, request: ConnectionRequest): Promise<BenchClient[]> {
  const clients: BenchClient[] = []
  try {
    for (let first = 0; first < count; first += OPEN_AT_ONCE) {
      const batch = Array.from({length: Math.min(OPEN_AT_ONCE, count - first)}, () => openClient(stores, query))
      const settled = await Promise.allSettled(batch)
      for (const s of settled) if (s.status === 'fulfilled') clients.push(s.value)
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
      if (failed) throw failed.reason
    }
    return clients
  } catch (error) {
    destroyClients(clients)
    if (isTooManyConnections(error)) throw new ConnectionLimitError(request.flag, request.value, count, null, {cause: error})
    throw error
  }
}

async function openClient(stores: StoreTargets, query: QueryKind): Promise<BenchClient> {
  const [table, redis] = await Promise.allSettled([UserTable.open(stores.mysql, query), RedisStore.connect(stores.redis)])
  if (table.status === 'fulfilled' && redis.status === 'fulfilled') return {table: table.value, redis: redis.value}
  if (table.status === 'fulfilled') table.value.destroy()
  if (redis.status === 'fulfilled') redis.value.destroy()
  throw table.status === 'rejected' ? table.reason : (redis as PromiseRejectedResult).reason
}

export async function closeClients(clients: readonly BenchClient[]): Promise<void> {
  await Promise.allSettled(clients.flatMap((c) => [c.table.close(), c.redis.close()]))
}

export function destroyClients(clients: readonly BenchClient[]): void {
  for (const c of clients) {
    c.table.destroy()
    c.redis.destroy()
  }
}

/**
 * Refuses, before opening anything, to ask for more MySQL connections than the server has
 * room for (its max_connections less those open now, other users' included).
 */
export async function checkConnectionRoom(observer: mysql.Connection, needed: number, request: ConnectionRequest): Promise<ConnectionRoom> {
  const [rows] = await observer.query<mysql.RowDataPacket[]>(
    "SELECT @@max_connections AS max, VARIABLE_VALUE AS open FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED'",
  )
  const room = {maxConnections: Number(rows[0]?.max), open: Number(rows[0]?.open)}
  if (Number.isFinite(room.maxConnections) && Number.isFinite(room.open) && needed > room.maxConnections - room.open) {
    throw new ConnectionLimitError(request.flag, request.value, needed, room)
  }
  return room
}

function isTooManyConnections(error: unknown): boolean {
  const cause = (error as {cause?: {code?: string}} | undefined)?.cause
  return cause?.code === 'ER_CON_COUNT_ERROR'
}
