/**
 * An in-process mutex with a queue of waiters, as the seed's Go code has it (sync.Mutex): it
 * serializes the readers of one process, and knows nothing of any other process.
 */
export class Mutex {
  private locked = false
  private readonly waiters: (() => void)[] = []

  /** Resolves once this caller holds the mutex; waiters get it in the order they asked. */
  async lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true
      return
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  unlock(): void {
    const next = this.waiters.shift()
    // Handed straight to the next waiter: nobody can slip in between.
    if (next) next()
    else this.locked = false
  }
}
