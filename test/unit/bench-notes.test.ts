import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Floors} from '../../src/bench/floors.js'
import type {LatencySummary} from '../../src/bench/latency.js'
import {readNotes} from '../../src/bench/read-notes.js'
import {coldReads, planRequests} from '../../src/bench/request-plan.js'
import type {ModeResult, ReadBenchResult, StampedeResult, StampedeRound} from '../../src/bench/result.js'
import {stampedeNotes} from '../../src/bench/stampede-notes.js'
import type {ReadBenchOptions, StampedeOptions} from '../../src/bench/types.js'
import {renderReadBench} from '../../src/report/bench-table.js'
import {renderStampede} from '../../src/report/stampede-table.js'

/** Latencies with the given median (µs); the other percentiles do not matter to the notes. */
function latency(p50: number, count = 1000): LatencySummary {
  return {count, p50, p90: p50 * 1.2, p99: p50 * 2, p999: p50 * 3, max: p50 * 4}
}

function options(overrides: Partial<ReadBenchOptions> = {}): ReadBenchOptions {
  return {requests: 2000, concurrency: 1, keys: 10_000, distribution: 'uniform', ttlSeconds: 60, writeRatio: 0, query: 'point', seed: 1, ...overrides}
}

/** No cache: every read a SELECT whose median is `readUs`, against a bare SELECT of `floorUs`. */
function noCache(requests: number, readUs: number, floorUs: number, totalMs: number): ModeResult {
  return {
    mode: 'no-cache', requests, reads: requests, writes: 0, totalMs, opsPerSecond: Math.round((requests / totalMs) * 1000),
    latencyUs: latency(readUs, requests), hitLatencyUs: null, missLatencyUs: null, writeLatencyUs: null, hits: null, misses: null, hitRatio: null,
    dbQueries: requests, dbSelects: requests, dbUpdates: 0, serverSelects: requests, serverUpdates: 0, redisCommands: 0,
    floorUs: latency(floorUs, 100), floorRatio: Math.round((readUs / floorUs) * 100) / 100,
  }
}

/** Cache-aside with `hits` of `requests` reads answered by the cache, against a bare GET of `getUs`. */
function cacheAside(requests: number, hits: number, hitUs: number, missUs: number, getUs: number, totalMs: number): ModeResult {
  const misses = requests - hits
  return {
    mode: 'cache-aside', requests, reads: requests, writes: 0, totalMs, opsPerSecond: Math.round((requests / totalMs) * 1000),
    latencyUs: latency(hits > misses ? hitUs : missUs, requests), hitLatencyUs: latency(hitUs, hits), missLatencyUs: latency(missUs, misses), writeLatencyUs: null,
    hits, misses, hitRatio: hits / requests, dbQueries: misses, dbSelects: misses, dbUpdates: 0, serverSelects: misses, serverUpdates: 0,
    redisCommands: requests + misses, floorUs: latency(getUs, 100), floorRatio: Math.round((hitUs / getUs) * 100) / 100,
  }
}

function floors(selectUs: number, getUs: number): Floors {
  return {dbRead: latency(selectUs, 3000), redisGet: latency(getUs, 3000)}
}

function speedupNote(notes: string[]): string {
  const note = notes.find((n) => /^(The cache buys only|Cache-aside is slower)/.test(n))
  assert.ok(note, `no speedup note in:\n${notes.join('\n')}`)
  return note
}

describe('bench notes say what the figures next to them show', () => {
  it('a heavy SELECT 28× a GET is MySQL\'s work, not round trip; a low hit ratio is what holds the cache back', () => {
    // QA's run: --query heavy --keys 10000 --requests 2000, 8.6% hits, speedup 1.01×.
    const modes = [noCache(2000, 1000, 971, 2190), cacheAside(2000, 173, 37, 1050, 35, 2168)]
    const notes = readNotes(options({query: 'heavy'}), floors(985, 29), modes, 1.01, {firstReads: 1827, afterWrites: 0})
    const note = speedupNote(notes)
    assert.doesNotMatch(note, /mostly round trip/)
    assert.match(note, /bare heavy SELECT takes 971 µs against 35.0 µs for a bare GET, timed alongside the modes \(27\.74×\): most of a SELECT is work beyond the round trip/)
    assert.match(note, /only 8\.6% of reads hit: cache-aside still sent 1,827 SELECTs to no cache's 2,000, and at this hit ratio the floors give about 1\.0\d×/)
    assert.doesNotMatch(note, /seed's 15×/, 'the network comparison explains a small floor ratio, not this one')
    assert.ok(notes.some((n) => /^Only 8\.6% of reads hit the cache: all 1,827 misses were first reads of a row\. Fewer --keys, more --requests or --distribution zipf raise it\.$/.test(n)), notes.join('\n'))
  })

  it('quotes the floors timed alongside the modes (those of the table\'s ratios), not the ones before', () => {
    // QA's --requests 100000: floors before the modes 138 µs vs 29 µs, alongside 71 µs vs 75 µs.
    const modes = [noCache(100_000, 74, 71, 8000), cacheAside(100_000, 99_000, 77, 180, 75, 6500)]
    const note = speedupNote(readNotes(options({requests: 100_000}), floors(138, 29), modes, 1.23, {firstReads: 1000, afterWrites: 0}))
    assert.match(note, /takes 71.0 µs against 75.0 µs for a bare GET, timed alongside the modes \(0\.95×\): both reads are mostly round trip and client, so a hit saves nothing\./)
    assert.doesNotMatch(note, /138 µs|29.0 µs/)
    assert.match(note, /Even if every read hit, the floors would give about 0\.95×/)
    assert.match(note, /The seed's 15×/)
    assert.match(note, /Try --query heavy/)
    // The measured 1.23× is far from the floors' estimate: the note says which mode ran further above its floors.
    assert.match(note, /It is more than the floors' 0\.9\d× because no cache ran further above its floors \(1\.1\d× what they add up to\) than cache-aside \(0\.8\d×\)\./)
  })

  it('says the earlier floors are the earlier ones when a mode has none of its own', () => {
    const modes = [{...noCache(2000, 74, 71, 160), floorUs: null, floorRatio: null}, cacheAside(2000, 1990, 30, 120, 28, 70)]
    assert.match(speedupNote(readNotes(options(), floors(138, 29), modes, 2.29, null)), /takes 138 µs against 29.0 µs for a bare GET, timed before the modes/)
  })

  it('a slower cache is said to be slower, and no speedup note once the cache buys 3× or more', () => {
    const slower = [noCache(2000, 74, 71, 160), cacheAside(2000, 100, 77, 180, 75, 330)]
    assert.match(speedupNote(readNotes(options(), null, slower, 0.48, {firstReads: 1900, afterWrites: 0})), /^Cache-aside is slower than no cache here \(0\.48×\)\./)
    const fast = [noCache(2000, 1000, 971, 2000), cacheAside(2000, 1990, 37, 1050, 35, 120)]
    assert.ok(!readNotes(options({query: 'heavy'}), null, fast, 16.67, null).some((n) => /buys only|slower/.test(n)))
  })

  it('misses after expiry ask for a longer --ttl, and the figures stay per-process counts', () => {
    const modes = [noCache(3000, 74, 71, 230), cacheAside(3000, 100, 30, 120, 28, 380)]
    const notes = readNotes(options({requests: 3000, keys: 1, ttlSeconds: 0.001}), null, modes, 0.61, {firstReads: 1, afterWrites: 0})
    assert.ok(notes.includes('Only 3.3% of reads hit the cache: of 2,900 misses, 1 was the first read of its row, 2,899 were reads after the key expired (--ttl 0.001 s). A longer --ttl raises it.'), notes.join('\n'))
  })

  it('at --concurrency above 1, no sums of one-at-a-time floors against the totals', () => {
    const modes = [noCache(4000, 300, 77, 400), cacheAside(4000, 3960, 200, 500, 25, 380)]
    const notes = readNotes(options({requests: 4000, concurrency: 4}), null, modes, 1.05, {firstReads: 40, afterWrites: 0})
    assert.doesNotMatch(speedupNote(notes), /add up to/)
    assert.ok(notes.some((n) => n.startsWith('The floors are one request at a time; with --concurrency 4')))
  })
})

describe('cold reads of a plan', () => {
  it('counts each row\'s first read, and its first read after a write', () => {
    const plan = {ids: Int32Array.from([1, 1, 2, 1, 1, 1, 3, 2]), writes: Uint8Array.from([0, 0, 0, 1, 0, 0, 1, 0])}
    assert.deepEqual(coldReads(plan, plan.ids.length), {firstReads: 2, afterWrites: 1})
    assert.deepEqual(coldReads(plan, 3), {firstReads: 2, afterWrites: 0})
  })

  it('with one row and no writes, one cold read however many requests', () => {
    const plan = planRequests({requests: 500, keys: 1, distribution: 'uniform', writeRatio: 0, seed: 1})
    assert.deepEqual(coldReads(plan, 500), {firstReads: 1, afterWrites: 0})
  })
})

function round(lock: StampedeRound['lock'], perProcess: number[], overrides: Partial<StampedeRound> = {}): StampedeRound {
  const readers = overrides.missed ?? 20
  const dbQueries = perProcess.reduce((a, b) => a + b, 0)
  return {lock, attempts: 1, missed: readers, dbQueries, serverSelects: dbQueries, redisCommands: 40, dbQueriesPerProcess: perProcess, latencyUs: latency(1000, readers), totalMs: 5, failedReaders: 0, ...overrides}
}

describe('stampede notes claim what a protection does only when its counts show it', () => {
  const two: StampedeOptions = {readers: 20, processes: 2, locks: ['none', 'local', 'redis'], query: 'point'}

  it('counts that show it', () => {
    const notes = stampedeNotes(two, [round('none', [10, 10]), round('local', [1, 0]), round('redis', [1, 0], {redisCommands: 82})])
    assert.deepEqual(notes, [
      'Unprotected, every reader that missed went to MySQL: 20 SELECTs for one row.',
      "The in-process mutex let at most one SELECT through per process (1 + 0 over 2 processes; a process whose lock holder looked again after another process's refill sent none), and made each process's readers take turns for their second GET.",
      'The Redis lock let one SELECT through across the 2 processes; the others waited, looking in the cache every few milliseconds (82 Redis commands in all).',
    ])
  })

  it('counts that do not: said as they are', () => {
    const notes = stampedeNotes(two, [round('none', [9, 10], {missed: 20}), round('local', [2, 1]), round('redis', [1, 1])])
    assert.equal(notes[0], 'Unprotected, 20 readers missed and 19 SELECTs for one row reached MySQL.')
    assert.match(notes[1]!, /^The in-process mutex let more than one SELECT through in a process \(2 \+ 1 over 2 processes\)/)
    assert.match(notes[2]!, /^The Redis lock let 2 SELECTs through across the 2 processes, not one: /)
  })

  it('one reader in one process: no "others", no "every process", singular nouns', () => {
    const one: StampedeOptions = {readers: 1, processes: 1, locks: ['none', 'local', 'redis'], query: 'point'}
    const notes = stampedeNotes(one, [round('none', [1], {missed: 1, redisCommands: 2}), round('local', [1], {missed: 1, redisCommands: 3}), round('redis', [1], {missed: 1, redisCommands: 1})])
    assert.deepEqual(notes, [
      'Unprotected, the one reader that missed went to MySQL: 1 SELECT for one row.',
      'The in-process mutex let at most one SELECT through per process (1 over 1 process).',
      "The Redis lock let the one reader's SELECT through (1 Redis command in all).",
    ])
  })
})

describe('bench reports: counts agree with their nouns', () => {
  it('bench: "1 request a mode on 1 row", "1 write", "0 SELECTs + 1 UPDATE"; the earlier floors are said to be earlier', () => {
    const plain = {...noCache(1, 74, 71, 1), reads: 0, writes: 1, dbQueries: 1, dbSelects: 0, dbUpdates: 1, serverSelects: 0, serverUpdates: 1, writeLatencyUs: latency(200, 1)}
    const result: ReadBenchResult = {options: options({requests: 1, keys: 1, writeRatio: 1}), table: 'cachesim_users', interrupted: false, floors: floors(138, 29), modes: [plain], speedup: null, notes: []}
    const text = renderReadBench(result)
    assert.match(text, /^cachesim bench: 1 request a mode on 1 row of cachesim_users/)
    assert.match(text, /no cache: 1 write, p50/)
    assert.match(text, /no cache 0 SELECTs \+ 1 UPDATE$/m)
    assert.match(text, /^floors before the modes, .*\n\(the last column and the notes use the floors timed alongside each mode/m)
  })

  it('bench stampede: "1 reader in 1 process … asks", "0 of 1 round measured"', () => {
    const result: StampedeResult = {options: {readers: 1, processes: 1, locks: ['redis'], query: 'point'}, key: 'cachesim:user:1', interrupted: true, startSkewUs: 0, rounds: [], notes: []}
    const text = renderStampede(result)
    assert.match(text, /^cachesim bench stampede: 1 reader in 1 process, with its own MySQL and Redis connection, asks for cachesim:user:1 \(point read\) the instant it is gone$/m)
    assert.match(text, /interrupted: 0 of 1 round measured/)
  })
})
