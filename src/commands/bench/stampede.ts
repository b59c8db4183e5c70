import {Flags} from '@oclif/core'

import type {StampedeResult} from '../../bench/result.js'
import type {StampedeLock} from '../../bench/types.js'
import {LIMITS} from '../../bench/validate.js'
import {CachesimCommand} from '../../cli/base-command.js'
import {endInterrupted} from '../../cli/interrupted.js'
import {numberFlag, oneLineFlagError} from '../../cli/number-flag.js'
import {storeFlags, storeOptions} from '../../cli/store-flags.js'

export type StampedeJson = StampedeResult

const LOCKS: readonly StampedeLock[] = ['none', 'local', 'redis']

export default class Stampede extends CachesimCommand {
  static override summary = 'A hot key expires while N readers ask for it at once: count the SELECTs that reach MySQL, unprotected and behind a lock.'
  static override description = `The readers are spread over --processes worker processes; each has its own MySQL and Redis connection. Each round deletes the hot key (cachesim's user:1), then releases every reader at the same instant (a barrier across the processes), and counts the SELECTs that reached MySQL, by cachesim's own count and by the server's (Com_select on the readers' sessions).

Protections (--lock, repeatable; all three by default):
  none   cache-aside as is: every reader that misses SELECTs
  local  the seed's double-checked lock with an in-process mutex: at most one SELECT per process
         (fewer when one process's refill lands before another's second GET)
  redis  SET lock NX PX, compare-and-delete to release, waiters poll the cache: one SELECT in all

Every reader needs a MySQL connection: --readers above what the server's max_connections leaves free is refused, in one line.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --readers 200 --processes 4',
    '<%= config.bin %> <%= command.id %> --readers 50 --lock none --lock redis',
    '<%= config.bin %> <%= command.id %> --query heavy --json',
  ]
  static override enableJsonFlag = true
  static override flags = {
    readers: numberFlag({summary: 'Readers in all, each with its own MySQL and Redis connection.', default: 100, ...LIMITS.readers}),
    processes: numberFlag({summary: 'Worker processes the readers are spread over.', default: 2, ...LIMITS.processes}),
    lock: Flags.option({
      summary: 'Protections to compare: none, local, redis (repeatable, or comma-separated). Default: all three.',
      options: LOCKS,
      multiple: true,
      delimiter: ',',
    })(),
    query: Flags.option({summary: 'What the refill asks MySQL: point or heavy.', options: ['point', 'heavy'] as const, default: 'point' as const})(),
    ...storeFlags,
  }

  async run(): Promise<StampedeJson> {
    const {flags} = await this.parse(Stampede).catch(oneLineFlagError)
    storeOptions(flags) // bad URLs are bad input, said before anything starts
    const {runStampede} = await import('../../bench/stampede.js')
    const locks = flags.lock === undefined ? [...LOCKS] : LOCKS.filter((l) => flags.lock!.includes(l))
    const result = await this.withStores(flags, (stores) =>
      runStampede({readers: flags.readers, processes: flags.processes, locks, query: flags.query}, stores, {
        signal: this.interrupt.signal,
        onOpen: (handle) => this.onInterrupt(() => handle.destroy()),
      }),
    )
    if (!this.jsonEnabled()) {
      const {renderStampede} = await import('../../report/stampede-table.js')
      this.log(renderStampede(result))
    }
    if (result.interrupted) endInterrupted(this.interrupt.signal)
    return result
  }
}
