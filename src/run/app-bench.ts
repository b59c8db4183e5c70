import type {AppBench} from '../app/app-run.js'
import {setUpApp} from '../app/app-run.js'
import type {LoadedApp} from '../app/load.js'
import type {Redis} from 'ioredis'

import {RedisStore} from '../stores/redis.js'
import type {StorePair} from '../stores/pair.js'
import type {Workbench} from './workbench.js'

const benches = new WeakMap<Workbench, Map<string, AppBench>>()
const clients = new WeakMap<Workbench, Map<string, Redis>>()

/**
 * The Redis client an app's actor gets: its own connection, not the actor's store connection,
 * so that an app (or its library) that quits or reconfigures it harms nothing of cachesim's; one
 * that was closed is replaced for the next run.
 */
export async function appRedis(bench: Workbench, actor: string, slot: number): Promise<Redis> {
  let mine = clients.get(bench)
  if (!mine) {
    mine = new Map()
    clients.set(bench, mine)
  }
  const id = `${slot}/${actor}`
  const open = mine.get(id)
  if (open && open.status !== 'end' && open.status !== 'close') return open
  const client = await RedisStore.openClient(bench.targets.redis, {queueWhileConnecting: true})
  mine.set(id, client)
  bench.keep({close: () => client.quit().catch(() => client.disconnect()), destroy: () => client.disconnect()})
  return client
}

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
  if (!state) {
    const {mysql, redis} = bench.targets
    const credentials = mysql.password === undefined ? encodeURIComponent(mysql.user) : `${encodeURIComponent(mysql.user)}:${encodeURIComponent(mysql.password)}`
    const urls = {redis: redis.url, mysql: `mysql://${credentials}@${mysql.host}:${mysql.port}/${mysql.database}`}
    state = {loaded, prefix: bench.keys.prefix, observer: {mysql: bench.observer.mysql.raw, redis: bench.observer.redis.raw}, urls, touched: new Set(), touchedBy: new Map(), noted: {count: 0}}
    apps.set(loaded.file, state)
  }
  await setUpApp(bench, state)
  // Runs side by side (explore --parallel) read back through their own observer.
  return observer === bench.observer ? state : {...state, observer: {mysql: observer.mysql.raw, redis: observer.redis.raw}}
}
