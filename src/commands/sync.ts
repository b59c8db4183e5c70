import {Flags} from '@oclif/core'

import {CachesimCommand} from '../cli/base-command.js'
import {storeFlags, storeOptions} from '../cli/store-flags.js'
import {SYNC_MODES} from '../cdc/cache-applier.js'

export default class Sync extends CachesimCommand {
  static override summary = "Read MySQL's binlog like a replica, publish every row change on Redis pub/sub, and apply it to the cache."
  static override description = `Reads the ROW binlog for cachesim's tables (cachesim_items unless --table names others in cachesim's database) and, for each row change, in one atomic Redis script: applies it to the cache (--mode), stores the binlog position under the prefix, and publishes it as JSON {table, type, key, before, after, binlogFile, binlogPos, gtid, ts} on --channel (watch with redis-cli SUBSCRIBE). Runs until Ctrl-C.

Modes: invalidate deletes the row's key; set writes the row as the strategies read it (cachesim_items: item:ID → the decimal value; other tables: row:TABLE:PK → the row as JSON) and deletes it when the row is deleted, never moving a key back to an older change; publish only publishes.

The server must keep a ROW binlog; cachesim's private servers do (--servers private, or cachesim servers up).

Exit codes: 2 bad input, 3 a store could not be reached or has no ROW binlog, 130 stopped by Ctrl-C.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --servers private',
    '<%= config.bin %> <%= command.id %> --mode set --snapshot',
    '<%= config.bin %> <%= command.id %> --mode set --resume',
    'redis-cli SUBSCRIBE cachesim:binlog',
  ]
  static override flags = {
    table: Flags.string({
      summary: "A table of cachesim's database to follow (repeatable; default cachesim_items).",
      multiple: true,
    }),
    mode: Flags.option({
      summary: 'What each change does to the cache.',
      options: SYNC_MODES,
      default: 'invalidate' as const,
    })(),
    channel: Flags.string({summary: 'Pub/sub channel for the changes (default: the prefix + "binlog", e.g. cachesim:binlog).'}),
    'from-start': Flags.boolean({summary: 'Read from the oldest binlog the server keeps, not from now.', exclusive: ['resume', 'snapshot']}),
    resume: Flags.boolean({summary: 'Carry on from the position the last sync stored (at least once: nothing is lost).', exclusive: ['from-start', 'snapshot']}),
    snapshot: Flags.boolean({summary: 'First load the whole table into the cache, then stream from the snapshot\'s binlog position.'}),
    ...storeFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Sync)
    const lab = await import('../index.js')
    // Bad input is refused before any server is asked, let alone started.
    const stores = storeOptions(flags)
    if (flags.table) lab.validateTableNames(flags.table)
    const defaultChannel = lab.binlogChannel({prefix: stores.prefix})
    const channel = flags.channel ?? defaultChannel
    if (channel.trim() === '') throw new lab.BadInputError(`--channel "${channel}" names no channel: give one, e.g. ${defaultChannel}`)
    const servers = await lab.resolveServers({mode: flags.servers, stores, onNote: (line) => process.stderr.write(`${line}\n`)})
    this.onInterrupt(() => servers.releaseNow())
    const tty = process.stderr.isTTY
    try {
      const stats = await lab.runSync({
        stores: servers.stores,
        ...(flags.table === undefined ? {} : {tables: flags.table}),
        mode: flags.mode,
        channel,
        start: flags.resume ? 'resume' : flags['from-start'] ? 'from-start' : 'now',
        snapshot: flags.snapshot,
        signal: this.interrupt.signal,
        onStreaming: (from, rows) =>
          process.stderr.write(
            `sync: ${rows > 0 ? `loaded ${rows} rows, then ` : ''}reading the binlog of ${servers.stores.mysql.display} from ${from === 'now' ? 'now' : `${from.file}:${from.pos}`} (mode ${flags.mode}, channel ${channel})\n`,
          ),
        ...(tty ? {onProgress: (s) => process.stderr.write(`\r\x1b[2K${lab.renderSyncStatus(s)}`)} : {}),
      })
      process.stderr.write(`${tty ? '\n' : ''}sync: ${lab.renderSyncStatus(stats)}\n`)
    } finally {
      await servers.release()
    }
    // runSync returns only when interrupted: Ctrl-C ends sync as it ends every command.
    this.interrupt.signal.throwIfAborted()
  }
}
