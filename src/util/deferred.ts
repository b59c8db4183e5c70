/** A promise with its resolve and reject in hand: the controller's way to hold and release an actor. */
export interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
  reject: (reason: unknown) => void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  // A held actor that is never released (the run was abandoned) must not be an unhandled rejection.
  promise.catch(() => {})
  return {promise, resolve, reject}
}
