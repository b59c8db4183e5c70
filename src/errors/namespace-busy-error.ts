import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** Another cachesim process is using the same database or the same Redis key prefix right now. */
export class NamespaceBusyError extends CachesimError {
  constructor(what: string, holder: string) {
    super(
      `another cachesim run is using ${what} (${holder}); wait until it ends, or give this run a database and a key prefix of its own, e.g. --mysql mysql://…/cachesim_mine --prefix mine:`,
      ExitCode.storeUnavailable,
    )
  }
}
