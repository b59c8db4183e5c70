import type mysql from 'mysql2/promise'

import type {StoreTargets} from '../stores/targets.js'
import {Workbench} from '../run/workbench.js'
import {openMysqlConnection, refuseForeignTable} from '../stores/mysql.js'
import {checkConnectionRoom, type ConnectionRequest} from './clients.js'
import {USER_TABLE} from './user-table.js'

export interface BenchStores {
  bench: Workbench
  /** Connected without choosing a database, as loadUserTable wants it; the caller closes it. */
  loader: mysql.Connection
}

/**
 * A benchmark's Workbench and loader connection. Everything that can refuse the run is asked
 * first (room for `needed` connections, a cachesim_users that cachesim did not make), because
 * opening the Workbench creates cachesim's database and table: a refused run creates nothing.
 */
export async function openBenchStores(stores: StoreTargets, needed: number, request: ConnectionRequest): Promise<BenchStores> {
  const loader = await openMysqlConnection(stores.mysql, {database: false})
  try {
    // Counts this loader, which closes before the clients open, in place of the Workbench's
    // connections, which open after: at the very edge the clients' own error says the same in one line.
    await checkConnectionRoom(loader, needed, request)
    await refuseForeignTable(loader, stores.mysql.database, USER_TABLE)
    return {bench: await Workbench.open(stores), loader}
  } catch (error) {
    loader.destroy()
    throw error
  }
}
