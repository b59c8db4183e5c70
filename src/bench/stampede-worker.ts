/**
 * One worker process of `bench stampede`: it opens its readers' connections, and on each round
 * releases all of them at the agreed instant and reports what they saw. It prints nothing;
 * everything goes back to the parent over IPC.
 */
import {CachesimError} from '../errors/cachesim-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {closeClients, destroyClients, openClients, type BenchClient} from './clients.js'
import {Mutex} from './mutex.js'
import {epochNow, type FromWorker, type ToWorker, type WorkerRound} from './stampede-protocol.js'
import {readUnprotected, readWithLocalLock, readWithRedisLock, type HotKey, type ReaderOutcome} from './stampede-readers.js'
import type {StampedeLock} from './types.js'

/**
 * The last stretch before the start is spun, not slept: on a busy machine a timer fires up to a
 * few milliseconds late, longer than one process's refill takes.
 */
const SPIN_MS = 20
/** Reads before the first round, so that no round times a fresh process's unoptimized code. */
const WARM_UP_ROUNDS = 3

let clients: BenchClient[] = []
const stop = new AbortController()

function send(message: FromWorker): void {
  // The parent may be gone (Ctrl-C): then 'disconnect' ends this worker; a failed send is no crash.
  if (process.connected) process.send?.(message, undefined, undefined, () => {})
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'open':
      clients = await openClients(message.stores, message.query, message.readers, {flag: '--readers', value: message.readersFlag})
      await warmUp(message.warmUp)
      send({type: 'opened'})
      return
    case 'round':
      send(await runRound(message.lock, message.hot, message.startAt))
      return
    case 'close':
      await closeClients(clients)
      process.exit(0)
  }
}

async function runRound(lock: StampedeLock, hot: HotKey, startAt: number): Promise<WorkerRound> {
  const mutex = new Mutex()
  const read = (client: BenchClient): Promise<ReaderOutcome> => {
    if (lock === 'none') return readUnprotected(client, hot)
    if (lock === 'local') return readWithLocalLock(client, hot, mutex)
    return readWithRedisLock(client, hot, stop.signal)
  }
  const selectsBefore = sumOf((c) => c.table.selects)
  const commandsBefore = sumOf((c) => c.redis.commands)
  const serverBefore = await serverSelects()
  await waitUntil(startAt)
  const releasedAt = epochNow()
  // Every reader's GET is written in this one turn of the event loop: none can see another's SET.
  const outcomes = await Promise.all(
    clients.map(async (client) => {
      const started = performance.now()
      const outcome = await read(client)
      return {...outcome, latencyMs: performance.now() - started, endedAt: epochNow()}
    }),
  )
  const serverAfter = await serverSelects()
  return {
    type: 'round-done',
    lock,
    releasedAt,
    endedAt: Math.max(...outcomes.map((o) => o.endedAt)),
    latenciesMs: outcomes.map((o) => o.latencyMs),
    missed: outcomes.filter((o) => o.missed).length,
    failed: outcomes.filter((o) => !o.found).length,
    selects: sumOf((c) => c.table.selects) - selectsBefore,
    commands: sumOf((c) => c.redis.commands) - commandsBefore,
    serverSelects: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
  }
}

/** All readers at once, as in a round, but GET of a key that is never set and SELECT of another row. */
async function warmUp(warm: {key: string; id: number}): Promise<void> {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await Promise.all(clients.map(async (c) => [await c.redis.get(warm.key), await c.table.read(warm.id)]))
  }
}

async function serverSelects(): Promise<number | null> {
  try {
    const counts = await Promise.all(clients.map((c) => c.table.serverCounts()))
    return counts.reduce((sum, c) => sum + c.selects, 0)
  } catch {
    return null
  }
}

async function waitUntil(at: number): Promise<void> {
  const sleep = at - epochNow() - SPIN_MS
  if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep))
  while (epochNow() < at) {
    // Spin: the readers must leave together.
  }
}

function sumOf(of: (client: BenchClient) => number): number {
  return clients.reduce((sum, c) => sum + of(c), 0)
}

function quit(code: number): void {
  stop.abort()
  destroyClients(clients)
  process.exit(code)
}

process.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) => {
    const known = error instanceof CachesimError
    send({
      type: 'error',
      message: known ? error.message : `internal: stampede worker: ${(error as Error)?.message ?? String(error)}`,
      exitCode: known ? error.exitCode : ExitCode.internal,
    })
  })
})
// Ctrl-C reaches the whole process group. The parent reports it and ends the workers (SIGTERM,
// or 'close'); a worker that left on its own first would look like a crash to the parent.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => quit(ExitCode.interrupted))
process.on('disconnect', () => quit(ExitCode.interrupted))
