import {Flags} from '@oclif/core'

import {CachesimCommand} from '../../cli/base-command.js'
import {storeFlags, storeOptions} from '../../cli/store-flags.js'
import {SYNC_MODES} from '../../cdc/cache-applier.js'
import type {SyncBenchRound} from '../../cdc/sync-bench.js'

export interface SyncBenchJson {
  mysql: string
  redis: string
  mode: string
  rounds: SyncBenchRound[]
}

export default class SyncBench extends CachesimCommand {
  static override summary = "Measure sync: row changes applied per second, and commit → cache lag at a steady rate of updates."
  static override description = `Each round writes a backlog of single-row updates to cachesim_items, then drains it through the binlog into the cache as fast as sync can (throughput), then sends updates at --rate per second for --seconds and times each from the moment its COMMIT returned to the moment Redis confirmed the cache write (lag). Writer and sync run in this one process, on one clock.

Needs a MySQL with a ROW binlog: by default (--servers auto) a server without one is replaced by cachesim's private servers for the run.`
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --rounds 5 --rate 2000 --json']
  static override enableJsonFlag = true
  static override flags = {
    mode: Flags.option({summary: 'The sync mode measured.', options: SYNC_MODES, default: 'set' as const})(),
    backlog: Flags.integer({summary: 'Row changes drained per round (throughput).', default: 10_000, min: 100}),
    rate: Flags.integer({summary: 'Updates per second while lag is measured.', default: 1000, min: 1}),
    seconds: Flags.integer({summary: 'How long lag is measured per round.', default: 5, min: 1}),
    rounds: Flags.integer({summary: 'Rounds, to see the spread.', default: 3, min: 1}),
    rows: Flags.integer({summary: 'Rows of cachesim_items the updates spread over.', default: 1000, min: 1}),
    ...storeFlags,
  }

  async run(): Promise<SyncBenchJson> {
    const {flags} = await this.parse(SyncBench)
    const lab = await import('../../index.js')
    const {benchSync} = await import('../../cdc/sync-bench.js')
    const {renderSyncBenchRound, renderSyncBenchSummary} = await import('../../report/sync-bench.js')
    const servers = await lab.resolveServers({mode: flags.servers, stores: storeOptions(flags), binlog: true, onNote: (line) => process.stderr.write(`${line}\n`)})
    this.onInterrupt(() => servers.releaseNow())
    try {
      const rounds = await benchSync({
        stores: servers.stores,
        mode: flags.mode,
        backlog: flags.backlog,
        rate: flags.rate,
        seconds: flags.seconds,
        rounds: flags.rounds,
        rows: flags.rows,
        signal: this.interrupt.signal,
        onRound: (round, index) => {
          if (!this.jsonEnabled()) this.log(renderSyncBenchRound(round, index))
        },
      })
      if (!this.jsonEnabled()) this.log(renderSyncBenchSummary(rounds))
      return {mysql: servers.stores.mysql.display, redis: servers.stores.redis.display, mode: flags.mode, rounds}
    } finally {
      await servers.release()
    }
  }
}
