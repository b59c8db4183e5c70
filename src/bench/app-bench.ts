import {exploreScenario, type ExploreResult} from '../run/explore-scenario.js'
import type {Workbenches} from '../run/workbenches.js'
import {loadMatrixScenarios} from '../scenario/load.js'
import {APP_RACES, appScenarios} from '../scenario/resolve.js'

export interface AppBenchOptions {
  /** The app and the built-in run on the same plain stores, whatever the built-in's scenarios need. */
  benches: Workbenches
  signal: AbortSignal
  /** Passes per race; the best of each side counts (the machine is shared and noisy). */
  repeat: number
}

export interface AppBenchRow {
  race: string
  orders: number
  /** Best time to explore every order, the built-in strategy and the app, in one process on the same servers. */
  builtInMs: number
  appMs: number
  /** appMs over builtInMs: what racing code through the client seam costs. */
  ratio: number
  /** The app found the same orders, divergent, stale and dirty counts as the built-in. */
  sameCounts: boolean
}

export interface AppBenchResult {
  app: string
  like: string
  rows: AppBenchRow[]
  total: {orders: number; builtInMs: number; appMs: number; ratio: number}
}

/**
 * `bench explore --app`: explores each race with an app and with the built-in strategy it is
 * written after, alternating, in one process on the same servers, and prints the ratio.
 */
export async function benchApp(file: string, like: string, options: AppBenchOptions): Promise<AppBenchResult> {
  const raced = await appScenarios('races', file)
  const matrix = await loadMatrixScenarios()
  const bench = await options.benches.on('plain')
    const rows: AppBenchRow[] = []
    for (const race of APP_RACES) {
      const app = raced.find((s) => s.race === race)
      const builtIn = matrix.find((s) => s.strategy === like && s.race === race)
      if (!app || !builtIn) continue
      // Every order on both sides: the same orders, timed.
      const explore = (scenario: typeof app) => exploreScenario(scenario, bench, {signal: options.signal, keep: 'counts', reduce: false})
      // Warm both sides' connections and the app's tables first.
      await explore(builtIn)
      await explore(app)
      let builtInBest: ExploreResult | null = null
      let appBest: ExploreResult | null = null
      for (let pass = 0; pass < options.repeat; pass++) {
        const b = await explore(builtIn)
        if (!builtInBest || b.durationMs < builtInBest.durationMs) builtInBest = b
        const a = await explore(app)
        if (!appBest || a.durationMs < appBest.durationMs) appBest = a
      }
      const counts = (r: ExploreResult) => [r.orders, r.divergentOrders, r.staleOrders, r.dirtyOrders, r.impossibleOrders].join()
      rows.push({
        race,
        orders: appBest!.orders,
        builtInMs: builtInBest!.durationMs,
        appMs: appBest!.durationMs,
        ratio: appBest!.durationMs / builtInBest!.durationMs,
        sameCounts: counts(appBest!) === counts(builtInBest!),
      })
    }
    const builtInMs = rows.reduce((sum, r) => sum + r.builtInMs, 0)
    const appMs = rows.reduce((sum, r) => sum + r.appMs, 0)
    return {
      app: raced[0]?.strategy ?? file,
      like,
      rows,
      total: {orders: rows.reduce((sum, r) => sum + r.orders, 0), builtInMs, appMs, ratio: appMs / builtInMs},
    }
}
