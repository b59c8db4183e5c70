import {userKey, type KeySpace} from '../stores/keys.js'
import type {BenchClient} from './clients.js'
import {LatencyRecorder} from './latency.js'
import {readCacheAside, readFromDb, writeAndInvalidate} from './read-paths.js'
import type {RequestPlan} from './request-plan.js'
import type {ModeName, ModeResult} from './result.js'
import type {ServerCounts} from './user-table.js'

export interface ModeRun {
  mode: ModeName
  plan: RequestPlan
  clients: readonly BenchClient[]
  keys: KeySpace
  ttlMs: number
  signal: AbortSignal
  onProgress?: (done: number) => void
  /**
   * Runs between chunks of requests, outside the mode's clock: the bare round trips the mode is
   * compared with are timed here, at the same moments of a shared machine as the mode itself.
   */
  betweenChunks?: () => Promise<void>
}

const PROGRESS_EVERY = 256
/** Requests between two `betweenChunks` calls. */
export const CHUNK = 1000

/**
 * Runs the plan's requests through one mode, chunk by chunk: within a chunk the clients take the
 * next request in turn, one request each at a time. Stops early, with what it measured, when the
 * signal aborts.
 */
export async function runMode(run: ModeRun): Promise<ModeResult> {
  const {mode, plan, clients, signal} = run
  const cached = mode === 'cache-aside'
  const reads = new LatencyRecorder()
  const hits = new LatencyRecorder()
  const misses = new LatencyRecorder()
  const writes = new LatencyRecorder()
  const before = await countersOf(clients)
  let next = 0
  let done = 0

  let chunkEnd = 0
  const loop = async (client: BenchClient) => {
    while (!signal.aborted) {
      if (next >= chunkEnd) return
      const i = next++
      const id = plan.ids[i]!
      const key = cached ? userKey(run.keys, id) : null
      const started = performance.now()
      if (plan.writes[i] === 1) {
        await writeAndInvalidate(client, key, id, 18 + (i % 63))
        writes.record(performance.now() - started)
      } else if (key === null) {
        await readFromDb(client, id)
        reads.record(performance.now() - started)
      } else {
        const hit = await readCacheAside(client, key, id, run.ttlMs)
        const ms = performance.now() - started
        reads.record(ms)
        ;(hit ? hits : misses).record(ms)
      }
      if (++done % PROGRESS_EVERY === 0) run.onProgress?.(done)
    }
  }

  let totalMs = 0
  while (next < plan.ids.length && !signal.aborted) {
    chunkEnd = Math.min(next + CHUNK, plan.ids.length)
    const started = performance.now()
    const outcomes = await Promise.allSettled(clients.map(loop))
    totalMs += performance.now() - started
    // After Ctrl-C, a request cut off with its connection is not a failure: it is not counted.
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
    if (failed && !signal.aborted) throw failed.reason
    if (!signal.aborted) await run.betweenChunks?.()
  }
  run.onProgress?.(done)
  const after = signal.aborted ? null : await countersOf(clients)

  const dbSelects = sum(clients, (c) => c.table.selects) - before.selects
  const dbUpdates = sum(clients, (c) => c.table.updates) - before.updates
  return {
    mode,
    requests: done,
    reads: reads.count,
    writes: writes.count,
    totalMs: Math.round(totalMs * 100) / 100,
    opsPerSecond: totalMs > 0 ? Math.round((done / totalMs) * 1000) : 0,
    latencyUs: reads.summary(),
    hitLatencyUs: cached ? hits.summary() : null,
    missLatencyUs: cached ? misses.summary() : null,
    writeLatencyUs: writes.count > 0 ? writes.summary() : null,
    hits: cached ? hits.count : null,
    misses: cached ? misses.count : null,
    hitRatio: cached && reads.count > 0 ? hits.count / reads.count : null,
    dbQueries: dbSelects + dbUpdates,
    dbSelects,
    dbUpdates,
    serverSelects: after?.server && before.server ? after.server.selects - before.server.selects : null,
    serverUpdates: after?.server && before.server ? after.server.updates - before.server.updates : null,
    redisCommands: sum(clients, (c) => c.redis.commands) - before.commands,
    floorUs: null,
    floorRatio: null,
  }
}

interface Counters {
  selects: number
  updates: number
  commands: number
  /** The server's own count on these sessions; null when it could not be read. */
  server: ServerCounts | null
}

async function countersOf(clients: readonly BenchClient[]): Promise<Counters> {
  const server = await Promise.all(clients.map((c) => c.table.serverCounts())).then(
    (counts) => ({selects: sum(counts, (s) => s.selects), updates: sum(counts, (s) => s.updates)}),
    () => null,
  )
  return {
    selects: sum(clients, (c) => c.table.selects),
    updates: sum(clients, (c) => c.table.updates),
    commands: sum(clients, (c) => c.redis.commands),
    server,
  }
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0
  for (const item of items) total += of(item)
  return total
}
