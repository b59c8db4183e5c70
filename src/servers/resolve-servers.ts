import {binlogProblem} from '../cdc/binlog-check.js'
import {BadInputError} from '../errors/bad-input-error.js'
import {BinlogOffError} from '../errors/binlog-off-error.js'
import {NoServersError} from '../errors/no-servers-error.js'
import {StoreUnavailableError} from '../errors/store-unavailable-error.js'
import type {StoreTargets} from '../stores/targets.js'
import {MysqlStore} from '../stores/mysql.js'
import {RedisStore} from '../stores/redis.js'
import {parseMysqlUrl, parseRedisUrl} from '../stores/urls.js'
import {findServerBinaries, INSTALL_HINT} from './binaries.js'
import type {ServersMode} from './modes.js'
import {type PrivateServers, startPrivateServers} from './private-servers.js'


export interface ResolveServersOptions {
  mode: ServersMode
  /** The stores the user named (--mysql, --redis, --prefix). */
  stores: StoreTargets
  /** The run reads the binlog: under auto a MySQL without a ROW binlog is replaced by a private one; under external it is an error. */
  binlog?: boolean
  /** The run needs a replica: only private servers have one. */
  replica?: boolean
  /** Told, in one line, when cachesim starts private servers (commands print it on stderr). */
  onNote?: (line: string) => void
  /** Ctrl-C: a private server being started is stopped rather than waited for. */
  signal?: AbortSignal
}

/** The stores a run uses, and the private servers (if any) started for it. */
export interface ResolvedServers {
  stores: StoreTargets
  replicaUrl?: string
  servers?: PrivateServers
  /** Stops the private servers, if any; waits until they are gone. */
  release(): Promise<void>
  /** The same at once, for a Ctrl-C handler. */
  releaseNow(): void
}

/**
 * Decides which servers a command runs against. Under auto nothing changes while the given URLs
 * answer (and fit); only a store that is not there (connection refused, no such host, no answer)
 * or keeps no ROW binlog when one is needed is replaced by a private one, and onNote says so. A
 * store that answers and refuses us (a wrong password, too many connections) is an error.
 */
export async function resolveServers(options: ResolveServersOptions): Promise<ResolvedServers> {
  const {stores, mode} = options
  if (mode === 'private') return startFor(stores, {mysql: true, redis: true, replica: Boolean(options.replica)}, '--servers private', options)
  if (mode === 'external' && options.replica) {
    throw new BadInputError('a replica comes only with cachesim\'s own servers: use --servers private or auto, not external')
  }
  const [mysqlProblem, redisProblem] = await Promise.all([probeMysql(stores, Boolean(options.binlog)), probeRedis(stores)])
  if (mode === 'external') {
    const problem = mysqlProblem ?? redisProblem
    if (problem) throw problem
    return external(stores)
  }
  // A server that answered and refused us (a wrong password, no privileges) is the user's to fix:
  // replacing it would hide the mistake behind a run on other servers.
  const refusal = [mysqlProblem, redisProblem].find((p) => p !== undefined && !replaceable(p))
  if (refusal) throw refusal
  const needMysql = mysqlProblem !== undefined || Boolean(options.replica)
  if (!needMysql && !redisProblem) return external(stores)
  const why = [mysqlProblem, redisProblem].flatMap((p) => (p ? [describe(p)] : []))
  if (why.length === 0) why.push('a replica needs cachesim\'s own MariaDB')
  const lookup = await findServerBinaries()
  if (!lookup.found) throw new NoServersError(why.join('; '), lookup.missing, INSTALL_HINT, {cause: mysqlProblem ?? redisProblem})
  return startFor(stores, {mysql: needMysql, redis: redisProblem !== undefined, replica: Boolean(options.replica)}, why.join('; '), options)
}

async function startFor(
  stores: StoreTargets,
  which: {mysql: boolean; redis: boolean; replica: boolean},
  why: string,
  options: ResolveServersOptions,
): Promise<ResolvedServers> {
  const servers = await startPrivateServers({...which, database: stores.mysql.database, ...(options.signal ? {signal: options.signal} : {})})
  const next: StoreTargets = {
    ...stores,
    ...(servers.mysqlUrl ? {mysql: parseMysqlUrl(servers.mysqlUrl)} : {}),
    ...(servers.redisUrl ? {redis: parseRedisUrl(servers.redisUrl)} : {}),
  }
  const started = [
    servers.mysqlUrl ? `MariaDB ${servers.mysqlUrl}` : '',
    servers.replicaUrl ? `replica ${servers.replicaUrl}` : '',
    servers.redisUrl ? `Redis ${servers.redisUrl}` : '',
  ].filter(Boolean)
  options.onNote?.(`cachesim: ${why}; started ${started.join(', ')} for this run (stopped when it ends)`)
  return {
    stores: next,
    ...(servers.replicaUrl ? {replicaUrl: servers.replicaUrl} : {}),
    servers,
    release: () => servers.stop(),
    releaseNow: () => servers.stopNow(),
  }
}

function external(stores: StoreTargets): ResolvedServers {
  return {stores, release: async () => {}, releaseNow: () => {}}
}

/** Why the given MySQL will not do, or undefined when it answers (and has a ROW binlog when one is needed). */
async function probeMysql(stores: StoreTargets, binlog: boolean): Promise<Error | undefined> {
  try {
    const store = await MysqlStore.connect(stores.mysql, {database: false})
    await store.close()
  } catch (error) {
    return error as Error
  }
  if (!binlog) return undefined
  const problem = await binlogProblem(stores.mysql)
  return problem === undefined ? undefined : new BinlogOffError(stores.mysql.display, problem)
}

async function probeRedis(stores: StoreTargets): Promise<Error | undefined> {
  try {
    const store = await RedisStore.connect(stores.redis)
    await store.close()
    return undefined
  } catch (error) {
    return error as Error
  }
}

/** Under auto, only a server that is not there, or has no ROW binlog when one is needed, gives way to a private one. */
function replaceable(problem: Error): boolean {
  return problem instanceof BinlogOffError || (problem instanceof StoreUnavailableError && !problem.answered)
}

/** "MySQL at URL did not answer (connection refused)", short enough for the one-line note. */
function describe(problem: Error): string {
  if (problem instanceof StoreUnavailableError) return `${problem.store} at ${problem.url} did not answer (${problem.reason})`
  if (problem instanceof BinlogOffError) return problem.message.replace(/;.*$/, '')
  return problem.message
}
