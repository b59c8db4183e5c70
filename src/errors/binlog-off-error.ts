import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** The MySQL server keeps no ROW binlog (or a partial one), which change capture needs. */
export class BinlogOffError extends CachesimError {
  constructor(url: string, problem: string) {
    super(
      `MySQL at ${url} ${problem}; cachesim reads the binlog as a replica does (sync, binlog-invalidate): start the server with log_bin, binlog_format=ROW, binlog_row_image=FULL and a server_id (in my.cnf under [mysqld], then restart), or use --servers private to run against cachesim's own servers`,
      ExitCode.storeUnavailable,
    )
  }
}
