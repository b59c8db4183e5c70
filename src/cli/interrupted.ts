import {ExitCode} from '../errors/exit-codes.js'
import {InterruptedError} from '../errors/interrupted-error.js'

/**
 * For a command that prints what it measured before Ctrl-C stopped it: the result stays on
 * stdout, and the last line (stderr) and the exit code (130) still say it was interrupted.
 */
export function endInterrupted(signal: AbortSignal): void {
  const reason = signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError()
  process.stderr.write(`${reason.message}\n`)
  process.exitCode = ExitCode.interrupted
}
