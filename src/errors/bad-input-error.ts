import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'

/** Something the user typed or wrote is wrong: a flag, an argument, a scenario, an order. */
export class BadInputError extends CachesimError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.badInput, options)
  }
}
