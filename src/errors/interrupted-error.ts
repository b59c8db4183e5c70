import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** The user pressed Ctrl-C (or the process got SIGTERM); everything was closed on the way out. */
export class InterruptedError extends CachesimError {
  constructor(signal: string = 'SIGINT') {
    super(`interrupted by ${signal}; every connection was closed`, signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted)
  }
}
