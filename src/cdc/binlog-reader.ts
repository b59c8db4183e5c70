import type ZongJi from '@vlasky/zongji'
import mysql from 'mysql2/promise'

import {StoreError} from '../errors/store-error.js'
import type {KeySpace} from '../stores/keys.js'
import {connectFailure} from '../stores/connect-error.js'
import {mysqlConnectionOptions, openMysqlConnection} from '../stores/mysql.js'
import type {MysqlTarget} from '../stores/urls.js'
import {abortReason} from '../util/delay.js'
import {binlogEnd} from './binlog-check.js'
import {type BinlogPosition, binlogVersion, comparePositions, type RowChangeType, type RowEvent} from './row-event.js'
import {primaryKeys} from './source-tables.js'
import {jsonRow, type TableCodec, tableCodec} from './table-codec.js'

export interface BinlogReaderOptions {
  mysql: MysqlTarget
  /** Tables of the URL's database to read; each needs a primary key. */
  tables: readonly string[]
  /** The prefix the events' cache keys are built under. */
  keys: KeySpace
  /** now: changes committed from here on; start: the oldest binlog the server keeps; or a position. */
  from: 'now' | 'start' | BinlogPosition
  /** The replica id this reader announces; random (and far above any real replica's) by default. */
  serverId?: number
}

const ROW_EVENTS: Record<string, RowChangeType> = {writerows: 'insert', updaterows: 'update', deleterows: 'delete'}

/**
 * Reads row changes from a server's ROW binlog as a replica does (through @vlasky/zongji),
 * only for the given tables of cachesim's database, and queues them. A consumer pulls them one
 * at a time (`take`, `next`, or `for await`), so a scenario actor can make each event a step.
 */
export class BinlogReader implements AsyncIterable<RowEvent> {
  private readonly queue: RowEvent[] = []
  private head = 0
  private waiters: (() => void)[] = []
  private failure: Error | undefined
  private closed = false
  /** The transaction the last row change belonged to, and how many of its changes came so far. */
  private transaction = {file: '', pos: -1, rows: 0}

  private constructor(
    private readonly zongji: ZongJi,
    private readonly control: mysql.Connection,
    private readonly codecs: ReadonlyMap<string, TableCodec>,
    private readonly target: MysqlTarget,
  ) {}

  /** Connects, and resolves once the server streams from the chosen place. */
  static async open(options: BinlogReaderOptions): Promise<BinlogReader> {
    const {mysql: target} = options
    const control = await openMysqlConnection(target, {database: false})
    try {
      const keys = await primaryKeys(control, target.database, options.tables)
      const codecs = new Map([...keys].map(([table, columns]) => [table, tableCodec(options.keys, table, columns)]))
      // Loaded here, not at the top: `cachesim run` imports this module and never reads a binlog.
      const {default: ZongJiClass} = await import('@vlasky/zongji')
      const zongji = new ZongJiClass(mysqlConnectionOptions(target, {database: false}))
      const reader = new BinlogReader(zongji, control, codecs, target)
      try {
        await reader.start(options)
      } catch (error) {
        // A stream that never started still holds its connection: end it, or the process lingers.
        zongji.stop()
        throw error
      }
      return reader
    } catch (error) {
      control.destroy()
      throw error
    }
  }

  /** The next queued change, or undefined when none has arrived. */
  take(): RowEvent | undefined {
    if (this.failure) throw this.failure
    if (this.head >= this.queue.length) return undefined
    const event = this.queue[this.head]!
    this.head += 1
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    return event
  }

  /** Up to `max` queued changes at once (for a consumer that batches). */
  takeMany(max: number): RowEvent[] {
    const events: RowEvent[] = []
    while (events.length < max) {
      const event = this.take()
      if (!event) break
      events.push(event)
    }
    return events
  }

  /**
   * Drops every change queued so far; returns how many. With caughtUp() first, a scenario skips
   * the changes its own reset of the row made.
   */
  discardPending(): number {
    const dropped = this.pending
    this.queue.length = 0
    this.head = 0
    return dropped
  }

  /** Changes that have arrived and not been taken. */
  get pending(): number {
    return this.queue.length - this.head
  }

  /** Resolves when a change is queued (at once if one is), rejects when reading failed or `signal` aborts. */
  async waitForEvent(signal?: AbortSignal): Promise<void> {
    while (this.pending === 0) {
      if (this.failure) throw this.failure
      if (this.closed) throw new StoreError('MySQL', 'the binlog reader is closed')
      await this.wake(signal)
    }
  }

  /** The next change, waiting for it when none has arrived yet. */
  async next(signal?: AbortSignal): Promise<RowEvent> {
    await this.waitForEvent(signal)
    return this.take()!
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RowEvent> {
    for (;;) yield await this.next()
  }

  /** How far reading has got: everything before this position has been received. */
  get position(): BinlogPosition {
    const options = this.zongji.options as {filename?: string; position?: number}
    return {file: options.filename ?? '', pos: options.position ?? 0}
  }

  /**
   * Resolves once every change the server had committed when this was called has been received
   * (and queued): a scenario calls it to know the binlog has nothing more for it.
   */
  async caughtUp(signal?: AbortSignal, timeoutMs = 10_000): Promise<void> {
    const target = await this.serverPosition()
    const deadline = Date.now() + timeoutMs
    while (comparePositions(this.position, target) < 0) {
      if (this.failure) throw this.failure
      if (Date.now() > deadline) {
        throw new StoreError('MySQL', `the binlog reader did not reach ${target.file}:${target.pos} within ${timeoutMs} ms (at ${this.position.file}:${this.position.pos})`)
      }
      await Promise.race([this.wake(signal), new Promise((resolve) => setTimeout(resolve, 2))])
    }
  }

  /** The server's current binlog end. */
  async serverPosition(): Promise<BinlogPosition> {
    const end = await binlogEnd(this.control)
    if (!end) throw new StoreError('MySQL', `${this.target.display} keeps no binlog`)
    return end
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000)
      this.zongji.once('stopped', () => {
        clearTimeout(timer)
        resolve()
      })
      this.zongji.stop()
    })
    await this.control.end().catch(() => this.control.destroy())
    this.wakeAll()
  }

  private async start(options: BinlogReaderOptions): Promise<void> {
    const from = options.from
    const place =
      from === 'now' ? {startAtEnd: true} : from === 'start' ? await this.oldestBinlog() : {filename: from.file, position: from.pos}
    await new Promise<void>((resolve, reject) => {
      let ready = false
      this.zongji.on('error', (error: Error) => {
        const wrapped = this.describe(error)
        if (!ready) reject(wrapped)
        this.fail(wrapped)
      })
      this.zongji.on('binlog', (event: unknown) => this.onBinlog(event as ZongJiEvent))
      this.zongji.once('ready', () => {
        ready = true
        resolve()
      })
      this.zongji.start({
        ...place,
        serverId: options.serverId ?? 1_000_000 + Math.floor(Math.random() * 1_000_000_000),
        includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query', 'rotate'],
        includeSchema: {[this.target.database]: [...this.codecs.keys()]},
      })
    })
  }

  private async oldestBinlog(): Promise<{filename: string; position: number}> {
    const [rows] = await this.control.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS')
    const first = rows[0]
    if (!first) throw new StoreError('MySQL', `${this.target.display} keeps no binlog`)
    return {filename: String(first.Log_name), position: 4}
  }

  private onBinlog(event: ZongJiEvent): void {
    const type = ROW_EVENTS[event.getEventName()]
    const codec = type && event.tableMap?.[event.tableId ?? -1] ? this.codecs.get(event.tableMap[event.tableId!]!.tableName) : undefined
    if (type && codec) {
      const {file, pos} = this.position
      if (file !== this.transaction.file || pos !== this.transaction.pos) this.transaction = {file, pos, rows: 0}
      const receivedAt = performance.now()
      for (const raw of event.rows ?? []) {
        const before = type === 'insert' ? null : jsonRow((type === 'update' ? raw.before : raw) as Record<string, unknown>)
        const after = type === 'delete' ? null : jsonRow((type === 'update' ? raw.after : raw) as Record<string, unknown>)
        this.transaction.rows += 1
        this.queue.push({
          table: codec.table,
          type,
          key: codec.key((after ?? before)!),
          before,
          after,
          binlogFile: file,
          binlogPos: pos,
          ...(event.gtid === undefined ? {} : {gtid: event.gtid}),
          ts: event.timestamp,
          version: binlogVersion(file, pos, this.transaction.rows),
          receivedAt,
        })
      }
    }
    this.wakeAll()
  }

  private describe(error: Error): Error {
    const e = error as {code?: string}
    if (e.code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ER_ACCESS_DENIED_ERROR)$/.test(e.code)) {
      return connectFailure('MySQL', this.target.display, error, this.target.user)
    }
    return new StoreError('MySQL', `reading the binlog of ${this.target.display} failed: ${error.message}`, {cause: error})
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.wakeAll()
  }

  private wake(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortReason(signal!))
      signal?.addEventListener('abort', onAbort, {once: true})
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
    })
  }

  private wakeAll(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }
}

/** The parts of a zongji event this reader uses. */
interface ZongJiEvent {
  getEventName(): string
  timestamp: number
  gtid?: string
  tableId?: number
  tableMap?: Record<number, {tableName: string}>
  rows?: (Record<string, unknown> | {before: unknown; after: unknown})[]
}
