import {Flags} from '@oclif/core'

import type {ReadBenchResult} from '../../bench/result.js'
import {LIMITS} from '../../bench/validate.js'
import {CachesimCommand} from '../../cli/base-command.js'
import {endInterrupted} from '../../cli/interrupted.js'
import {numberFlag, oneLineFlagError} from '../../cli/number-flag.js'
import {storeFlags, storeOptions} from '../../cli/store-flags.js'

export type BenchJson = ReadBenchResult

export default class Bench extends CachesimCommand {
  static override summary = 'Time reads without a cache and with cache-aside on the real MySQL and Redis, against the bare round trips of the same servers.'
  static override description = `The seed article's experiment (100,000 reads of one user row: 137 s without Redis, 9 s with) on your own servers. cachesim loads its own table, cachesim_users (id, username, age), with --keys rows, then runs the same requests twice: "no cache", every read a SELECT by primary key; "cache-aside", GET, and on a miss SELECT and SET with --ttl. With --write-ratio, writes UPDATE MySQL and (cache-aside) delete the key, so misses come back.

It times a bare ioredis GET and a bare mysql2 SELECT on the same servers (the floors) before the modes, and again between every 1,000 requests of each mode; each mode's median is reported against the floors timed alongside it, and the notes quote those same floors. Absolute times on a shared machine are noisy; the ratios, measured in one run, are what to compare.

--query heavy replaces the point read by one that also aggregates over every row of the table: a read that costs MySQL real work, where a cache pays off. When the speedup is small, the notes say why from the figures shown: what a hit saves by the floors, and how often reads hit.

Ctrl-C stops the run and prints what was measured so far (exit 130).`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --requests 100000                 # the seed\'s size',
    '<%= config.bin %> <%= command.id %> --query heavy --keys 10000',
    '<%= config.bin %> <%= command.id %> --distribution zipf --write-ratio 0.05 --ttl 5',
    '<%= config.bin %> <%= command.id %> --concurrency 8 --json',
  ]
  static override enableJsonFlag = true
  static override flags = {
    requests: numberFlag({summary: 'Requests in each mode (reads and writes).', default: 20_000, ...LIMITS.requests}),
    concurrency: numberFlag({summary: 'Clients at once, each with its own MySQL and Redis connection.', default: 1, ...LIMITS.concurrency}),
    keys: numberFlag({summary: 'Rows in cachesim_users, and so distinct cache keys.', default: 1000, ...LIMITS.keys}),
    distribution: Flags.option({summary: 'How requests pick their row: uniform, or zipf (a few hot rows).', options: ['uniform', 'zipf'] as const, default: 'uniform' as const})(),
    ttl: numberFlag({summary: 'Seconds a cached row lives (cache SET … PX).', default: 60, integer: false, what: 'seconds a cached row lives', ...LIMITS.ttlSeconds}),
    'write-ratio': numberFlag({summary: 'Share of requests that are writes, from 0 to 1.', default: 0, integer: false, what: 'the share of requests that are writes (e.g. 0.1)', ...LIMITS.writeRatio}),
    query: Flags.option({summary: 'What a read asks MySQL: point (by primary key) or heavy (plus an aggregate over every row).', options: ['point', 'heavy'] as const, default: 'point' as const})(),
    seed: numberFlag({summary: 'Seed of the request sequence (same seed, same requests).', default: 1, ...LIMITS.seed}),
    ...storeFlags,
  }

  async run(): Promise<BenchJson> {
    const {flags} = await this.parse(Bench).catch(oneLineFlagError)
    storeOptions(flags) // bad URLs are bad input, said before anything starts
    const [{runReadBench}, {createProgress}] = await Promise.all([import('../../bench/read-bench.js'), import('../../cli/progress.js')])
    const progress = await createProgress(!this.jsonEnabled() && Boolean(process.stdout.isTTY && process.stderr.isTTY))
    this.onInterrupt(() => progress.stop())
    const result = await this.withStores(flags, (stores) => runReadBench(
      {
        requests: flags.requests,
        concurrency: flags.concurrency,
        keys: flags.keys,
        distribution: flags.distribution,
        ttlSeconds: flags.ttl,
        writeRatio: flags['write-ratio'],
        query: flags.query,
        seed: flags.seed,
      },
      stores,
      {
        signal: this.interrupt.signal,
        onOpen: (handle) => this.onInterrupt(() => handle.destroy()),
        onPhase: (phase, total) => progress.phase(phase, total),
        onProgress: (done) => progress.update(done),
      },
    ))
    progress.stop()
    if (!this.jsonEnabled()) {
      const {renderReadBench} = await import('../../report/bench-table.js')
      this.log(renderReadBench(result))
    }
    if (result.interrupted) endInterrupted(this.interrupt.signal)
    return result
  }
}
