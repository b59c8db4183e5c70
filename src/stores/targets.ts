import type {MysqlTarget, RedisTarget} from './urls.js'

/** The servers a command works on, and the key prefix it keeps to there. */
export interface StoreTargets {
  mysql: MysqlTarget
  redis: RedisTarget
  prefix: string
  /** A replica of `mysql`, for scenarios whose readers read from one. */
  replica?: MysqlTarget
}

/**
 * What a scenario needs of the servers: nothing more than the ones given (`plain`), a MySQL that
 * keeps a ROW binlog (its strategy reads the binlog), or a MySQL with a replica (its readers read
 * from one; cachesim's own servers, which keep a binlog too).
 */
export type StoreNeed = 'plain' | 'binlog' | 'replica'

/**
 * Where the stores are for each need: the ones a command was given, and ones with a binlog or a
 * replica found (or started) on first use. Asked again, it gives the same targets.
 */
export type TargetsFor = (need: StoreNeed) => Promise<StoreTargets>
