/** A row as the binlog has it: column name → value (numbers, strings, null; BIGINTs past 2^53 as strings). */
export type Row = Record<string, unknown>

export type RowChangeType = 'insert' | 'update' | 'delete'

/** Where in the binlog reading is, or may start again. */
export interface BinlogPosition {
  file: string
  pos: number
}

/**
 * One row change read from the binlog. The JSON sync publishes has these fields (less
 * `version` and `receivedAt`, which are this process's own).
 */
export interface RowEvent {
  table: string
  type: RowChangeType
  /** The row's cache key, under cachesim's prefix. */
  key: string
  /** The row before the change (null for an insert). */
  before: Row | null
  /** The row after the change (null for a delete). */
  after: Row | null
  binlogFile: string
  /**
   * Where the change's transaction starts in binlogFile: reading again from here replays the
   * whole transaction (MariaDB logs no usable end position inside a transaction).
   */
  binlogPos: number
  /** The transaction's GTID (MariaDB domain-server-sequence, or MySQL uuid:n), when known. */
  gtid?: string
  /** The binlog event's time in ms since 1970; the binlog keeps whole seconds only. */
  ts: number
  /**
   * The change's place in the binlog (file number, transaction position, row within it) as a
   * fixed-width string: of two changes to one row, the greater version is the later one.
   */
  version: string
  /** performance.now() when the event reached this process. */
  receivedAt: number
}

/** The version of a change, comparable as a string. Row 0 is kept for a snapshot taken at that position. */
export function binlogVersion(file: string, pos: number, row: number): string {
  const sequence = /(\d+)$/.exec(file)?.[1] ?? '0'
  return `${sequence.padStart(10, '0')}:${String(pos).padStart(20, '0')}:${String(row).padStart(9, '0')}`
}

/** Orders two positions; a later binlog file is later whatever the offset. */
export function comparePositions(a: BinlogPosition, b: BinlogPosition): number {
  const [x, y] = [binlogVersion(a.file, a.pos, 0), binlogVersion(b.file, b.pos, 0)]
  return x < y ? -1 : x > y ? 1 : 0
}
