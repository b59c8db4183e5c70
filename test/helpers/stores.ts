import {spawn} from 'node:child_process'
import {after} from 'node:test'
import {rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import type {StoreTargets, TargetsFor} from '../../src/stores/targets.js'
import {Workbenches} from '../../src/run/workbenches.js'
import {startPrivateServers, type PrivateServers} from '../../src/servers/private-servers.js'
import {pidsUnder} from './processes.js'
import {parseMysqlUrl, parseRedisUrl} from '../../src/stores/urls.js'

/**
 * Every test process works in a database and a key prefix of its own, so that tests never
 * touch a user's `cachesim` data nor each other's, and can remove exactly what they made.
 */
const id = `t${process.pid}`
const mysqlBase = process.env.CACHESIM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/'
const redisUrl = process.env.CACHESIM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0'

export const testDatabase = `cachesim_${id}`
export const testPrefix = `cachesim-${id}:`
export const testMysqlUrl = new URL(testDatabase, mysqlBase.endsWith('/') ? mysqlBase : `${mysqlBase}/`).toString()
export const testRedisUrl = redisUrl
/** Private servers (and their cached template) that tests start live here, never in the user's cache. */
export const testCacheDir = path.join(tmpdir(), `cachesim-test-cache-${id}`)
process.env.CACHESIM_CACHE_DIR = testCacheDir

export function testStores(): StoreTargets {
  return {mysql: parseMysqlUrl(testMysqlUrl), redis: parseRedisUrl(testRedisUrl), prefix: testPrefix}
}

/**
 * Every key matching `pattern`, scanned to the end: one SCAN page of a shared Redis may hold
 * none of them even when many are left.
 */
export async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    keys.push(...found)
    cursor = next
  } while (cursor !== '0')
  return keys.sort()
}

/** Drops this process's test database and deletes its keys: only what the tests created. */
export async function removeTestData(): Promise<void> {
  const target = parseMysqlUrl(testMysqlUrl)
  const connection = await mysql.createConnection({host: target.host, port: target.port, user: target.user, password: target.password ?? ''})
  await connection.query(`DROP DATABASE IF EXISTS \`${testDatabase}\``)
  await connection.end()
  const redis = new Redis(testRedisUrl)
  const keys = await keysMatching(redis, `${testPrefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
  // Background copies of a data directory (spares), or servers a failed test left: end them first.
  for (const pid of pidsUnder(testCacheDir)) process.kill(pid, 'SIGKILL')
  await rm(testCacheDir, {recursive: true, force: true, maxRetries: 5, retryDelay: 100})
}

export const CLI = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs the real CLI in a child process, on this process's test database and prefix. */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>
    onSpawn?: (pid: number) => void
    onStderr?: (text: string) => void
    /** In a process group of its own, so that a test can signal it and its children as a terminal's Ctrl-C does (kill(-pid)). */
    group?: boolean
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // A width the test runner's terminal exported would change what the CLI prints: 80 columns unless a test gives one.
    const {COLUMNS: _columns, ...inherited} = process.env
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        ...inherited,
        CACHESIM_MYSQL_URL: testMysqlUrl,
        CACHESIM_REDIS_URL: testRedisUrl,
        CACHESIM_PREFIX: testPrefix,
        CACHESIM_CACHE_DIR: testCacheDir,
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.group ?? false,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      options.onStderr?.(stderr)
    })
    child.on('error', reject)
    if (child.pid !== undefined) options.onSpawn?.(child.pid)
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))
  })
}

/**
 * The test stores for each need: the plain ones, and a private MariaDB (ROW binlog on, with a
 * replica) started on first use for the scenarios that need a binlog or a replica. Call `stop()`
 * in after().
 */
export function testTargets(): {targetsFor: TargetsFor; stop(): Promise<void>} {
  let servers: Promise<PrivateServers> | null = null
  // One private MariaDB with a replica serves both: it keeps a binlog, and it has the replica.
  const start = async () => {
    servers ??= startPrivateServers({database: testDatabase, redis: false, replica: true})
    return servers
  }
  return {
    async targetsFor(need) {
      if (need === 'plain') return testStores()
      const started = await start()
      const mysql = parseMysqlUrl(started.mysqlUrl!)
      return need === 'replica' ? {...testStores(), mysql, replica: parseMysqlUrl(started.replicaUrl!)} : {...testStores(), mysql}
    },
    // A server that failed to start failed the test that needed it: nothing is left to stop.
    async stop() {
      await servers?.then((started) => started.stop(), () => {})
    },
  }
}

/**
 * The workbenches a test file runs its scenarios on (the test stores, with a private MariaDB for
 * the scenarios that need a binlog or a replica), closed with this process's test data after the file.
 */
export function testWorkbenches(): {benches: Workbenches; signal: AbortSignal} {
  const {targetsFor, stop} = testTargets()
  const benches = new Workbenches(targetsFor)
  after(async () => {
    await benches.close()
    await stop()
    await removeTestData()
  })
  return {benches, signal: new AbortController().signal}
}
