import {CachesimError} from './cachesim-error.js'
import {ExitCode} from './exit-codes.js'
import type {StoreKind} from './store-unavailable-error.js'

/** A store answered but refused something cachesim needs (privileges, a missing feature). */
export class StoreError extends CachesimError {
  constructor(store: StoreKind, message: string, options?: ErrorOptions) {
    super(`${store}: ${message}`, ExitCode.storeUnavailable, options)
  }
}
