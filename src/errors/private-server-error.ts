import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** A private server that cachesim tried to start (or stop) did not come up; says why and where its log is. */
export class PrivateServerError extends CachesimError {
  constructor(server: string, reason: string, options?: ErrorOptions) {
    super(`cannot start the private ${server}: ${reason}`, ExitCode.storeUnavailable, options)
  }
}
