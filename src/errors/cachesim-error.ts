import {ExitCode, type ExitCodeValue} from './exit-codes.js'

/**
 * The base of every error meant for a user: a one-line message that says what was wrong and how
 * to fix it, and the exit code the process ends with. Thrown anywhere, printed once by the
 * command layer, never with a stack unless --debug asks for it.
 */
export class CachesimError extends Error {
  readonly exitCode: ExitCodeValue

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.internal, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.exitCode = exitCode
  }
}
