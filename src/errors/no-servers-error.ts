import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** A store did not answer (or did not fit) and cachesim has no binaries to start its own. */
export class NoServersError extends CachesimError {
  constructor(problem: string, missing: readonly string[], hint: string, options?: ErrorOptions) {
    super(`${problem}; cachesim cannot start its own (no ${missing.join(', ')} on this machine): ${hint}`, ExitCode.storeUnavailable, options)
  }
}
