/** Every exit code cachesim uses, in one place (documented in the README). */
export const ExitCode = {
  ok: 0,
  /** A run or check did not match its scenario's `expect:`. */
  expectationFailed: 1,
  /** Bad input: usage, an unknown strategy, a scenario file that does not validate. */
  badInput: 2,
  /** MySQL or Redis could not be reached, or refused what cachesim needs. */
  storeUnavailable: 3,
  /** A bug in cachesim itself. */
  internal: 70,
  /** Stopped by Ctrl-C (SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15, as shells report it). */
  terminated: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
