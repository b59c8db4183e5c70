import type {MysqlTarget, RedisTarget} from './urls.js'

/** The servers a command works on, and the key prefix it keeps to there. */
export interface StoreTargets {
  mysql: MysqlTarget
  redis: RedisTarget
  prefix: string
  /** A replica of `mysql`, for scenarios whose readers read from one. */
  replica?: MysqlTarget
}
