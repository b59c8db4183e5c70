import type {AppBench} from '../app/app-run.js'
import {setUpApp} from '../app/app-run.js'
import type {LoadedApp} from '../app/load.js'
import type {StorePair, Workbench} from './workbench.js'

const benches = new WeakMap<Workbench, Map<string, AppBench>>()

/**
 * An app's state on one workbench: its tables set up once, and the keys its steps have named (so
 * that every run, on any slot, starts without them).
 */
export async function appBench(bench: Workbench, loaded: LoadedApp, observer: StorePair): Promise<AppBench> {
  let apps = benches.get(bench)
  if (!apps) {
    apps = new Map()
    benches.set(bench, apps)
  }
  let state = apps.get(loaded.file)
  const {mysql, redis} = bench.options
  const credentials = mysql.password === undefined ? encodeURIComponent(mysql.user) : `${encodeURIComponent(mysql.user)}:${encodeURIComponent(mysql.password)}`
  const urls = {redis: redis.url, mysql: `mysql://${credentials}@${mysql.host}:${mysql.port}/${mysql.database}`}
  if (!state) {
    state = {loaded, prefix: bench.keys.prefix, observer: {mysql: bench.observer.mysql.raw, redis: bench.observer.redis.raw}, urls, touched: new Set(), noted: {count: 0, read: false}}
    apps.set(loaded.file, state)
  }
  await setUpApp(bench, state)
  // Runs side by side (explore --parallel) read back through their own observer.
  return observer === bench.observer ? state : {...state, observer: {mysql: observer.mysql.raw, redis: observer.redis.raw}}
}
