import type {Redis} from 'ioredis'

import type {BinlogPosition, RowEvent} from './row-event.js'
import type {TableCodec} from './table-codec.js'

/** invalidate: DEL the row's key; set: write the new row (DEL on delete); publish: only publish. */
export const SYNC_MODES = ['invalidate', 'set', 'publish'] as const
export type SyncMode = (typeof SYNC_MODES)[number]

/**
 * One change, atomically: apply it to the cache, remember the position, publish it.
 * In set mode the write happens only when the change is newer than the last one written to that
 * key (versions are fixed-width strings, so Lua compares them as strings); a replayed change
 * never moves the cache backwards, and a delete leaves its version behind as a tombstone.
 * KEYS: row key, applied-versions hash, position key.
 * ARGV: mode, version, value ('' with ARGV[4]='1' to delete), position JSON, channel ('' for none), message.
 */
const APPLY = `
local applied = 0
if ARGV[1] == 'invalidate' then
  redis.call('DEL', KEYS[1])
  applied = 1
elseif ARGV[1] == 'set' then
  local seen = redis.call('HGET', KEYS[2], KEYS[1])
  if (not seen) or seen < ARGV[2] then
    if ARGV[4] == '1' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3]) end
    redis.call('HSET', KEYS[2], KEYS[1], ARGV[2])
    applied = 1
  end
end
if KEYS[3] ~= '' then redis.call('SET', KEYS[3], ARGV[5]) end
if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[6], ARGV[7]) end
return applied
`

/** What sync stores after each change, and --resume starts from. */
export interface StoredPosition extends BinlogPosition {
  gtid?: string
  version: string
}

export interface ApplierOptions {
  mode: SyncMode
  /** Pub/sub channel for every change; '' publishes nothing. */
  channel: string
  /** Where the position is stored after each change; '' stores none. */
  positionKey: string
  /** The applied-versions hash of each table (set mode). */
  appliedKey: (table: string) => string
  codecs: ReadonlyMap<string, TableCodec>
}

type ApplyCommand = (rowKey: string, appliedKey: string, positionKey: string, ...args: string[]) => Promise<number>

/**
 * Applies row changes to the cache, many per round trip: a batch goes out as one pipeline of
 * script calls on one connection, so Redis runs them in binlog order.
 */
export class CacheApplier {
  private readonly redis: Redis & {cachesimApply: ApplyCommand}

  constructor(
    redis: Redis,
    private readonly options: ApplierOptions,
  ) {
    redis.defineCommand('cachesimApply', {numberOfKeys: 3, lua: APPLY})
    this.redis = redis as Redis & {cachesimApply: ApplyCommand}
  }

  /** Applies the changes in order; returns how many were written (set mode skips replays). */
  async apply(events: readonly RowEvent[]): Promise<number> {
    if (events.length === 0) return 0
    const pipeline = this.redis.pipeline() as unknown as {cachesimApply: ApplyCommand; exec(): Promise<[Error | null, unknown][] | null>}
    for (const event of events) {
      const codec = this.options.codecs.get(event.table)!
      const value = event.after ? codec.value(event.after) : null
      const position: StoredPosition = {file: event.binlogFile, pos: event.binlogPos, version: event.version, ...(event.gtid ? {gtid: event.gtid} : {})}
      pipeline.cachesimApply(
        event.key,
        this.options.appliedKey(event.table),
        this.options.positionKey,
        this.options.mode,
        event.version,
        value ?? '',
        value === null ? '1' : '0',
        JSON.stringify(position),
        this.options.channel,
        this.options.channel === '' ? '' : publishedJson(event),
      )
    }
    const results = (await pipeline.exec()) ?? []
    let written = 0
    for (const [error, result] of results) {
      if (error) throw error
      written += Number(result)
    }
    return written
  }

  /** Writes rows read by a snapshot, each at `version`, and deletes the keys given (rows that are gone). */
  async load(table: string, rows: readonly {key: string; value: string | null}[], version: string): Promise<void> {
    const pipeline = this.redis.pipeline() as unknown as {cachesimApply: ApplyCommand; exec(): Promise<[Error | null, unknown][] | null>}
    for (const row of rows) {
      pipeline.cachesimApply(row.key, this.options.appliedKey(table), '', 'set', version, row.value ?? '', row.value === null ? '1' : '0', '', '', '')
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error
  }
}

/** The JSON published for a change: the RowEvent fields a subscriber needs, in a stable order. */
export function publishedJson(event: RowEvent): string {
  return JSON.stringify({
    table: event.table,
    type: event.type,
    key: event.key,
    before: event.before,
    after: event.after,
    binlogFile: event.binlogFile,
    binlogPos: event.binlogPos,
    ...(event.gtid === undefined ? {} : {gtid: event.gtid}),
    ts: event.ts,
  })
}
