/** How the read benchmark picks the row each request asks for. */
export type Distribution = 'uniform' | 'zipf'

/**
 * What one read asks MySQL: `point`, the seed's SELECT by primary key; `heavy`, the same row
 * plus an aggregate over every row of the table, a read that costs the database real work.
 */
export type QueryKind = 'point' | 'heavy'

/** What protects a hot key's refill in the stampede: nothing, an in-process mutex, a Redis lock. */
export type StampedeLock = 'none' | 'local' | 'redis'

export interface ReadBenchOptions {
  /** Requests per mode (reads and writes together). */
  requests: number
  /** Clients running at once, each with its own MySQL and Redis connection. */
  concurrency: number
  /** Rows in the user table, and so distinct cache keys. */
  keys: number
  distribution: Distribution
  /** Time to live of every cache SET, in seconds. */
  ttlSeconds: number
  /** Share of requests that are writes (UPDATE, and in cache-aside DEL of the key). */
  writeRatio: number
  query: QueryKind
  /** Seed of the request sequence: both modes, and a rerun, see the same requests. */
  seed: number
}

export interface StampedeOptions {
  /** Readers in all, split over the processes, each with its own MySQL and Redis connection. */
  readers: number
  processes: number
  /** The protections to compare, in this order. */
  locks: StampedeLock[]
  query: QueryKind
}
