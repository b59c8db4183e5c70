import mysql from 'mysql2/promise'

import {StoreError} from '../errors/store-error.js'
import {openMysqlConnection} from '../stores/mysql.js'
import {mysqlFailure} from '../stores/store-failure.js'
import {type MysqlTarget, parseMysqlUrl} from '../stores/urls.js'
import {abortReason} from '../util/delay.js'

export interface ReplicaStatus {
  /** The replica's I/O thread is fetching the primary's binlog. */
  receiving: boolean
  /** The replica's SQL thread is applying it (false while held back). */
  applying: boolean
  /** The primary's last GTID position, and the one the replica has applied. */
  primaryGtid: string
  replicaGtid: string
  caughtUp: boolean
}

/**
 * Controls a MariaDB replica from library code, e.g. a scenario whose reader SELECTs from the
 * replica while the writer updates the primary. Sub-second lag comes from holding the SQL
 * thread back (holdBack/release); MASTER_DELAY (setDelaySeconds) takes whole seconds only.
 */
export class ReplicaControl {
  private readonly primary: Side
  private readonly replica: Side

  private constructor(primary: Side, replica: Side) {
    this.primary = primary
    this.replica = replica
  }

  static async connect(primaryUrl: string, replicaUrl: string): Promise<ReplicaControl> {
    return ReplicaControl.connectTo(parseMysqlUrl(primaryUrl), parseMysqlUrl(replicaUrl))
  }

  static async connectTo(primaryTarget: MysqlTarget, replicaTarget: MysqlTarget): Promise<ReplicaControl> {
    const [primary, replica] = await Promise.allSettled([open(primaryTarget), open(replicaTarget)])
    if (primary.status === 'fulfilled' && replica.status === 'fulfilled') return new ReplicaControl(primary.value, replica.value)
    for (const side of [primary, replica]) if (side.status === 'fulfilled') side.value.connection.destroy()
    throw [primary, replica].flatMap((side) => (side.status === 'rejected' ? [side.reason as unknown] : []))[0]
  }

  /** Stops applying changes (STOP SLAVE SQL_THREAD): the replica keeps receiving, and serves what it had. */
  async holdBack(): Promise<void> {
    await this.replica.query('STOP SLAVE SQL_THREAD')
  }

  /** Applies again (START SLAVE SQL_THREAD); see waitCaughtUp to know when it has. */
  async release(): Promise<void> {
    await this.replica.query('START SLAVE SQL_THREAD')
  }

  /** MASTER_DELAY: the replica applies each change `seconds` (whole) after the primary made it. */
  async setDelaySeconds(seconds: number): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0) throw new StoreError('MySQL', `MASTER_DELAY takes whole seconds, not ${seconds}`)
    await this.replica.query('STOP SLAVE')
    await this.replica.query(`CHANGE MASTER TO MASTER_DELAY = ${seconds}`)
    await this.replica.query('START SLAVE')
  }

  /**
   * Resolves once the replica has applied everything the primary had committed when this was
   * called (MASTER_GTID_WAIT, in short slices so that `signal` is heard).
   */
  async waitCaughtUp(options: {signal?: AbortSignal; timeoutMs?: number} = {}): Promise<void> {
    const target = await this.primaryGtid()
    const deadline = Date.now() + (options.timeoutMs ?? 10_000)
    for (;;) {
      if (options.signal?.aborted) throw abortReason(options.signal)
      const [rows] = await this.replica.query<mysql.RowDataPacket[]>('SELECT MASTER_GTID_WAIT(?, 0.1) AS waited', [target])
      if (Number(rows[0]?.waited) === 0) return
      if (Date.now() > deadline) {
        const status = await this.status()
        throw new StoreError('MySQL', `the replica did not catch up with ${target} in time (at ${status.replicaGtid}${status.applying ? '' : ', held back'})`)
      }
    }
  }

  async status(): Promise<ReplicaStatus> {
    const [[rows], primaryGtid] = await Promise.all([this.replica.query<mysql.RowDataPacket[]>('SHOW SLAVE STATUS'), this.primaryGtid()])
    const [gtid] = await this.replica.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_slave_pos AS pos')
    const row = rows[0]
    const replicaGtid = String(gtid[0]?.pos ?? '')
    return {
      receiving: row?.Slave_IO_Running === 'Yes',
      applying: row?.Slave_SQL_Running === 'Yes',
      primaryGtid,
      replicaGtid,
      caughtUp: primaryGtid === replicaGtid,
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.connection, this.replica.connection].map((c) => c.end().catch(() => c.destroy())))
  }

  private async primaryGtid(): Promise<string> {
    const [rows] = await this.primary.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS pos')
    return String(rows[0]?.pos ?? '')
  }
}

/**
 * One connection of the control, whose failures are store failures: a replica or primary that
 * stops in the middle of a run is a lost store (exit 3), not a bug in cachesim.
 */
interface Side {
  connection: mysql.Connection
  query<T extends mysql.RowDataPacket[]>(sql: string, values?: unknown[]): Promise<[T, mysql.FieldPacket[]]>
}

async function open(target: MysqlTarget): Promise<Side> {
  const connection = await openMysqlConnection(target, {database: false})
  // Without a listener, a server that goes away between queries would crash the process.
  connection.on('error', () => {})
  return {
    connection,
    async query<T extends mysql.RowDataPacket[]>(sql: string, values?: unknown[]) {
      try {
        return await connection.query<T>(sql, values)
      } catch (error) {
        throw mysqlFailure(target, error) ?? error
      }
    },
  }
}
