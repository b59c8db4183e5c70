import type {Progress} from './progress.js'

/**
 * Progress over many explored scenarios, counted in orders: done / estimated, and the rate. A
 * scenario's orders are known only once it is searched, so the estimate is what the scenarios
 * done made, the running one's estimate, and the mean of the done ones for each still to come.
 */
export class OrdersProgress {
  private doneOrders = 0
  private doneScenarios = 0
  private current = {orders: 0, estimate: 0}
  private readonly startedAt = performance.now()

  constructor(
    private readonly progress: Progress,
    label: string,
    private readonly scenarios: number,
  ) {
    progress.phase(label, Math.max(1, scenarios))
  }

  /** The callback for one scenario's runs (exploreScenario's onRun). */
  readonly onRun = (orders: number, estimate: number): void => {
    this.current = {orders, estimate}
    this.show()
  }

  /** A scenario is done: its orders are counted, the next one starts from nothing. */
  scenarioDone(orders: number): void {
    this.doneOrders += orders
    this.doneScenarios += 1
    this.current = {orders: 0, estimate: 0}
    this.show()
  }

  stop(): void {
    this.progress.stop()
  }

  private show(): void {
    const done = this.doneOrders + this.current.orders
    const mean = this.doneScenarios > 0 ? this.doneOrders / this.doneScenarios : this.current.estimate
    const toCome = Math.max(0, this.scenarios - this.doneScenarios - (this.current.estimate > 0 ? 1 : 0))
    const total = Math.max(done, Math.round(this.doneOrders + this.current.estimate + toCome * mean))
    const seconds = (performance.now() - this.startedAt) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : 0
    const scenario = Math.min(this.scenarios, this.doneScenarios + 1)
    this.progress.update(done, {total: Math.max(1, total), note: ` orders (est.) · ${rate} orders/s · scenario ${scenario}/${this.scenarios}`})
  }
}
