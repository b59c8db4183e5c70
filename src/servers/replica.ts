import path from 'node:path'

import mysql from 'mysql2/promise'

import {PrivateServerError} from '../errors/private-server-error.js'
import type {ServerBinaries} from './binaries.js'
import {claimDataDir} from './data-dir-spares.js'
import {startMariadb} from './mariadb-process.js'
import type {StartedProcess} from './server-process.js'

/** The replica's server id; the primary is 1, and binlog readers pick ids far above both. */
const REPLICA_SERVER_ID = 2

/**
 * Starts a private MariaDB replica of the private primary on `primaryPort`: a fresh copy of the
 * template that replays the primary's binlog from its first event (the primary's binlog started
 * with the primary, so it holds everything), then follows it by GTID.
 */
export async function startReplica(binaries: ServerBinaries, template: string, setDir: string, primaryPort: number): Promise<StartedProcess> {
  await claimDataDir(template, path.join(setDir, 'replica'))
  const started = await startMariadb({binaries, setDir, name: 'replica', serverId: REPLICA_SERVER_ID, binlog: false})
  const connection = await mysql.createConnection({host: '127.0.0.1', port: started.port, user: 'root'})
  try {
    await connection.query(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${Number(primaryPort)}, MASTER_USER = 'root',
        MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
    )
    await connection.query('START SLAVE')
  } catch (error) {
    throw new PrivateServerError('MariaDB replica', `replication did not start: ${(error as Error).message}`, {cause: error})
  } finally {
    await connection.end()
  }
  return started
}
