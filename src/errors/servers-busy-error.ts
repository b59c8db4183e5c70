import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** Another cachesim is starting servers in the directory right now: neither up nor down may touch it. */
export class ServersBusyError extends CachesimError {
  constructor(dir: string, pid: number | undefined) {
    super(
      `another cachesim (pid ${pid ?? '?'}) is starting servers in ${dir} right now: wait until it is done (or stop it with Ctrl-C), then try again`,
      ExitCode.storeUnavailable,
    )
  }
}
