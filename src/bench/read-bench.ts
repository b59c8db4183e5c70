import type mysql from 'mysql2/promise'

import type {StoreTargets} from '../stores/targets.js'
import {userKey} from '../stores/keys.js'
import {openBenchStores} from './bench-stores.js'
import {deleteUserKeys} from './cache-keys.js'
import {closeClients, destroyClients, openClients, type BenchClient} from './clients.js'
import {FloorProbe, type Floors} from './floors.js'
import {LatencyRecorder} from './latency.js'
import {readNotes, speedupOf, withFloorRatio} from './read-notes.js'
import {coldReads, planRequests} from './request-plan.js'
import type {ModeName, ModeResult, ReadBenchResult} from './result.js'
import {runMode} from './run-mode.js'
import type {ReadBenchOptions} from './types.js'
import {checkReadBenchOptions} from './validate.js'
import {loadUserTable, USER_TABLE} from './user-table.js'

export type ReadBenchPhase = 'floors' | ModeName

export interface ReadBenchHooks {
  signal: AbortSignal
  /**
   * Called once connections are open, with a way to drop at once every connection a request may
   * be waiting on (Ctrl-C); the observer stays to delete the keys the run set.
   */
  onOpen?: (handle: {destroy(): void}) => void
  /** A phase begins: `total` requests (or floor samples) to go. */
  onPhase?: (phase: ReadBenchPhase, total: number) => void
  onProgress?: (done: number) => void
}

const MODES: readonly ModeName[] = ['no-cache', 'cache-aside']
/** Bare calls timed after each chunk of a mode's requests (see runMode's CHUNK): about 5% more calls. */
const FLOOR_SAMPLES_PER_CHUNK = 50

/**
 * The seed's read benchmark on the user's own servers: load the user table, time the bare
 * round trips (the floors), then run the same requests without a cache and with cache-aside.
 * Ctrl-C ends it with what was measured so far.
 */
export async function runReadBench(options: ReadBenchOptions, stores: StoreTargets, hooks: ReadBenchHooks): Promise<ReadBenchResult> {
  checkReadBenchOptions(options)
  const {signal} = hooks
  // One MySQL connection a client; the floors use the first client's.
  const opened = await openBenchStores(stores, options.concurrency, {flag: '--concurrency', value: options.concurrency})
  const {bench} = opened
  let loader: mysql.Connection | null = opened.loader
  let probe: FloorProbe | null = null
  let clients: BenchClient[] = []
  const destroy = () => {
    loader?.destroy()
    probe?.destroy()
    destroyClients(clients)
  }
  hooks.onOpen?.({destroy})
  let floors: Floors | null = null
  const modes: ModeResult[] = []
  const ttlMs = Math.max(1, Math.round(options.ttlSeconds * 1000))
  const plan = planRequests(options)
  try {
    await loadUserTable(loader, stores.mysql.database, options.keys, signal)
    await loader.end()
    loader = null
    if (!signal.aborted) clients = await openClients(stores, options.query, options.concurrency, {flag: '--concurrency', value: options.concurrency})
    if (!signal.aborted) {
      hooks.onPhase?.('floors', 0)
      probe = await FloorProbe.open(stores.redis, clients[0]!.table.connection, {key: userKey(bench.keys, 1), id: 1, query: options.query, ttlMs})
      floors = await probe.measure(signal)
    }
    for (const mode of MODES) {
      if (signal.aborted || !probe) break
      // Each mode starts from a cold cache, as the seed's did.
      await deleteUserKeys(bench.observer.redis, bench.keys, options.keys)
      hooks.onPhase?.(mode, options.requests)
      const floor = new LatencyRecorder()
      const sampleFloor = mode === 'cache-aside' ? probe.gets.bind(probe) : probe.selects.bind(probe)
      const result = await runMode({
        mode,
        plan,
        clients,
        keys: bench.keys,
        ttlMs,
        signal,
        betweenChunks: () => sampleFloor(FLOOR_SAMPLES_PER_CHUNK, floor, signal),
        ...(hooks.onProgress ? {onProgress: hooks.onProgress} : {}),
      })
      // The floor's SELECTs went through the first client's connection, and the server counted them there.
      const serverSelects = result.serverSelects === null || mode === 'cache-aside' ? result.serverSelects : result.serverSelects - floor.count
      modes.push(withFloorRatio({...result, serverSelects}, floor.count > 0 ? floor.summary() : null))
    }
  } catch (error) {
    if (!signal.aborted) throw error
  } finally {
    if (signal.aborted) destroy()
    await deleteUserKeys(bench.observer.redis, bench.keys, options.keys).catch(() => {})
    await probe?.close()
    await Promise.allSettled([closeClients(clients), loader?.end(), bench.close()])
  }
  const speedup = speedupOf(modes, options.requests)
  const cachedRequests = modes.find((m) => m.mode === 'cache-aside')?.requests
  return {
    options,
    table: USER_TABLE,
    interrupted: signal.aborted,
    floors,
    modes,
    speedup,
    notes: readNotes(options, floors, modes, speedup, cachedRequests === undefined ? null : coldReads(plan, cachedRequests)),
  }
}
