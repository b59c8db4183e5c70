import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import mysql from 'mysql2/promise'
import {Redis} from 'ioredis'

import type {ServersDownResult, ServersStatusResult, ServersUpResult} from '../../src/servers/manage.js'
import {startPrivateServers, type PrivateServers} from '../../src/servers/private-servers.js'
import {isRunning} from '../../src/servers/processes.js'
import {eventually, pidsUnder, pidsWithCommandLine} from '../helpers/processes.js'
import {removeTestData, runCli, testCacheDir, testDatabase, testMysqlUrl} from '../helpers/stores.js'

let dir: string
const runs = path.join(testCacheDir, 'runs')

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cachesim-servers-'))
})

after(async () => {
  // Whatever a failed test left: stop it the way a user would, then remove the rest.
  await runCli(['servers', 'down', '--dir', path.join(dir, 'set')])
  for (const pid of [...pidsUnder(testCacheDir), ...pidsUnder(dir)]) process.kill(pid, 'SIGKILL')
  await rm(dir, {recursive: true, force: true})
  await removeTestData()
})

/** The pids a set recorded, read from its pids/ folder. */
function recordedPids(setDir: string): number[] {
  const folder = path.join(setDir, 'pids')
  return readdirSync(folder).map((name) => (JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as {pid: number}).pid)
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z')
  } catch {
    return false
  }
}

/** A run that waits a minute inside a transaction: long enough to be killed in the middle. */
async function slowScenario(): Promise<string> {
  const file = path.join(dir, 'slow.yaml')
  await writeFile(
    file,
    `name: slow
strategy: delete-then-update
initial: { db: 1, cache: 1 }
actors:
  A: { op: write, value: 2 }
delays:
  - { actor: A, before: db.commit, ms: 60000 }
`,
  )
  return file
}

/** Starts `run --servers private` on a slow scenario and returns once its servers answer. */
async function runWithPrivateServers(): Promise<{pid: number; setDir: string; finished: Promise<unknown>}> {
  let pid = 0
  const finished = runCli(['run', await slowScenario(), '--servers', 'private'], {onSpawn: (p) => (pid = p)})
  let setDir = ''
  const up = await eventually(() => {
    const found = existsSync(runs) ? readdirSync(runs).filter((name) => name.startsWith(`${pid}-`)) : []
    setDir = found[0] ? path.join(runs, found[0]) : ''
    return setDir !== '' && existsSync(path.join(setDir, 'state.json'))
  }, 20_000)
  assert.ok(up, 'the run started its private servers')
  return {pid, setDir, finished}
}

describe('cachesim servers up | status | down', () => {
  it('starts MariaDB with a ROW binlog and Redis on loopback, and down leaves nothing behind', async () => {
    const setDir = path.join(dir, 'set')
    const up = await runCli(['servers', 'up', '--dir', setDir, '--json'])
    assert.equal(up.code, 0, up.stderr)
    const result = JSON.parse(up.stdout) as ServersUpResult
    const mysqlUrl = new URL(result.servers.find((s) => s.name === 'mysql')!.url)
    const redisUrl = result.servers.find((s) => s.name === 'redis')!.url
    assert.equal(mysqlUrl.hostname, '127.0.0.1')

    const connection = await mysql.createConnection({host: mysqlUrl.hostname, port: Number(mysqlUrl.port), user: 'root'})
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT @@log_bin AS logBin, @@binlog_format AS format, @@bind_address AS bind')
    await connection.end()
    assert.deepEqual([rows[0]!.logBin, rows[0]!.format, rows[0]!.bind], [1, 'ROW', '127.0.0.1'])
    const redis = new Redis(redisUrl)
    assert.equal(await redis.ping(), 'PONG')
    await redis.quit()

    const status = await runCli(['servers', 'status', '--dir', setDir, '--json'])
    assert.deepEqual((JSON.parse(status.stdout) as ServersStatusResult).servers.map((s) => [s.name, s.running]), [
      ['mysql', true],
      ['redis', true],
    ])
    const again = JSON.parse((await runCli(['servers', 'up', '--dir', setDir, '--json'])).stdout) as ServersUpResult
    assert.equal(again.alreadyRunning, true, 'a second up reuses the running set')

    const pids = recordedPids(setDir)
    const down = await runCli(['servers', 'down', '--dir', setDir, '--json'])
    assert.equal(down.code, 0, down.stderr)
    assert.deepEqual((JSON.parse(down.stdout) as ServersDownResult).stopped.sort(), ['mysql', 'redis'])
    assert.ok(pids.every((pid) => !running(pid)), 'no server process is left')
    assert.equal(existsSync(setDir), false, 'no data directory is left')
  })

  it('Ctrl-C at the terminal while servers start: exit 130 with its message, and no server is left running', async () => {
    const setDir = path.join(dir, 'interrupted')
    let pid = 0
    const running = runCli(['servers', 'up', '--dir', setDir], {group: true, onSpawn: (p) => (pid = p)})
    // Ready once a server has been spawned (recorded the moment it is): the start is under way.
    assert.ok(await eventually(() => existsSync(path.join(setDir, 'pids')), 30_000), 'a server was spawned')
    process.kill(-pid, 'SIGINT')
    const result = await running
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /^interrupted by SIGINT/)
    // The servers run in a session of their own, out of Ctrl-C's reach: cachesim stopped them.
    assert.ok(await eventually(() => pidsUnder(setDir).length === 0, 5000), `left running: ${pidsUnder(setDir).join(', ')}`)
    assert.equal(existsSync(setDir), false, 'no half-started set is left')
  })

  it('a --dir that is a file: exit 2, one line naming the directory and why', async () => {
    const file = path.join(dir, 'a-file')
    await writeFile(file, '')
    for (const target of [file, path.join(file, 'sub')]) {
      const result = await runCli(['servers', 'up', '--dir', target])
      assert.equal(result.code, 2, result.stderr)
      assert.equal(result.stderr.trim(), `Error: cannot make the servers' directory ${target}: ${file} is a file, not a directory`)
    }
  })

  it('a --dir under /proc, /sys or /dev is refused at once (Node\'s recursive mkdir would spin forever on /proc)', async () => {
    for (const target of ['/proc/cachesim-x', '/proc/self/x/y', '/sys/cachesim-x', '/dev/cachesim-x']) {
      let pid = 0
      const started = Date.now()
      const watchdog = setTimeout(() => pid && process.kill(pid, 'SIGKILL'), 15_000)
      const result = await runCli(['servers', 'up', '--dir', target], {onSpawn: (p) => (pid = p)})
      clearTimeout(watchdog)
      assert.equal(result.signal, null, `${target}: still running after 15 s`)
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr.trim(), new RegExp(`^Error: cannot make the servers' directory ${target}: /(proc|sys|dev) belongs to the kernel, not a place for files$`))
      assert.ok(Date.now() - started < 10_000)
    }
    assert.equal(existsSync('/dev/cachesim-x'), false)
  })

  it('refuses a --dir that holds files cachesim did not make', async () => {
    const foreign = path.join(dir, 'foreign')
    await rm(foreign, {recursive: true, force: true})
    await writeFile(path.join(dir, 'x'), '')
    const result = await runCli(['servers', 'up', '--dir', dir])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /is not empty and was not made by cachesim/)
    assert.ok(existsSync(path.join(dir, 'x')))
  })
})

describe('no server outlives its directory', () => {
  it('servers whose directory was removed by hand (rm -rf, not down) are stopped by the next status', async () => {
    const setDir = path.join(dir, 'removed-by-hand')
    const up = await runCli(['servers', 'up', '--dir', setDir, '--json'])
    assert.equal(up.code, 0, up.stderr)
    const pids = recordedPids(setDir)
    await rm(setDir, {recursive: true, force: true})
    assert.ok(pids.every(running), 'rm -rf alone leaves them running')
    const status = await runCli(['servers', 'status', '--dir', setDir, '--json'])
    assert.equal(status.code, 0, status.stderr)
    const {strays} = JSON.parse(status.stdout) as ServersStatusResult
    assert.deepEqual(strays.map((s) => [s.name, s.dir]).sort(), [['mysql', setDir], ['redis', setDir]])
    assert.deepEqual(strays.map((s) => s.pid).sort(), [...pids].sort())
    assert.ok(await eventually(() => pids.every((p) => !running(p))), 'both stopped')
    const text = await runCli(['servers', 'status', '--dir', setDir])
    assert.doesNotMatch(text.stdout, /left running/, 'and nothing is left for the next one')
  })

  it('a Redis is found by its recorded markers both before and after it rewrites its command line', async () => {
    // The command line of a redis-server just spawned, and then the one it shows once started.
    const script = 'setTimeout(() => {}, 60_000)'
    const spawned = spawn(process.execPath, ['-e', script, '--', '--port', '45678', '--bind', '127.0.0.1'], {stdio: 'ignore'})
    const titled = spawn(process.execPath, ['-e', script, '--', 'redis-server', '127.0.0.1:45678'], {stdio: 'ignore'})
    try {
      const markers = ['--port 45678', '127.0.0.1:45678']
      assert.equal(isRunning({name: 'redis', pid: spawned.pid!, markers}), true)
      assert.equal(isRunning({name: 'redis', pid: titled.pid!, markers}), true)
      // Whole words only: another port that starts with the same digits is not ours.
      assert.equal(isRunning({name: 'redis', pid: titled.pid!, markers: ['--port 4567', '127.0.0.1:4567']}), false)
    } finally {
      spawned.kill('SIGKILL')
      titled.kill('SIGKILL')
    }
  })

  it('servers down refuses while another cachesim is still starting servers in the directory', async () => {
    const setDir = path.join(dir, 'starting')
    await mkdir(setDir)
    // What `up` leaves while its servers come up: the mark with its pid, no state.json yet.
    const starter = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {stdio: 'ignore'})
    try {
      await writeFile(path.join(setDir, '.cachesim-servers'), `${starter.pid}\nmade by cachesim\n`)
      const down = await runCli(['servers', 'down', '--dir', setDir])
      assert.equal(down.code, 3, down.stderr)
      assert.equal(down.stderr.trim(), `Error: another cachesim (pid ${starter.pid}) is starting servers in ${setDir} right now: wait until it is done (or stop it with Ctrl-C), then try again`)
      assert.ok(existsSync(path.join(setDir, '.cachesim-servers')), 'nothing was removed under its feet')
    } finally {
      starter.kill('SIGKILL')
    }
    const later = await runCli(['servers', 'down', '--dir', setDir])
    assert.equal(later.code, 0, 'once the starter is gone, down cleans up')
    assert.equal(existsSync(setDir), false)
  })
})

describe('--servers auto and a server that answers but refuses', () => {
  let guarded: PrivateServers
  let guardedMysql: URL

  before(async () => {
    // Servers of the test's own that a user may not simply use: Redis wants a password, and
    // MariaDB has a user who may log in but not create cachesim's database.
    guarded = await startPrivateServers({database: testDatabase})
    const redis = new Redis(guarded.redisUrl!)
    await redis.config('SET', 'requirepass', 's3cret')
    redis.disconnect()
    guardedMysql = new URL(guarded.mysqlUrl!)
    const root = await mysql.createConnection({host: guardedMysql.hostname, port: Number(guardedMysql.port), user: 'root'})
    await root.query("CREATE USER 'reader'@'%' IDENTIFIED BY 'pw'")
    await root.end()
  })

  after(async () => {
    await guarded?.stop()
  })

  /** Runs a scenario under --servers auto; a refusal must be the error, not a reason to start servers. */
  async function refused(env: Record<string, string>): Promise<string> {
    const before = existsSync(runs) ? readdirSync(runs) : []
    const result = await runCli(['run', 'uu-two-writers'], {env})
    assert.equal(result.code, 3, result.stderr)
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line, and no note of private servers: ${result.stderr}`)
    assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], before, 'no servers were started for the run')
    assert.doesNotMatch(result.stderr, /s3cret|wrong-pw/)
    return result.stderr
  }

  it('Redis without the password it wants (NOAUTH)', async () => {
    const stderr = await refused({CACHESIM_REDIS_URL: guarded.redisUrl!})
    assert.match(stderr, /^Error: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 refused cachesim \(it wants a password and none was given\): fix the password in --redis/)
  })

  it('Redis with a wrong password (WRONGPASS)', async () => {
    const url = new URL(guarded.redisUrl!)
    url.password = 'wrong-pw'
    const stderr = await refused({CACHESIM_REDIS_URL: url.toString()})
    assert.match(stderr, /^Error: Redis at redis:\/\/:\*\*\*\*@127\.0\.0\.1:\d+\/0 refused cachesim \(wrong user or password\)/)
  })

  it('MySQL whose user may log in but not create the database', async () => {
    const url = new URL(guardedMysql)
    url.username = 'reader'
    url.password = 'pw'
    const stderr = await refused({CACHESIM_MYSQL_URL: url.toString()})
    assert.match(stderr, /^Error: MySQL: mysql:\/\/reader:\*\*\*\*@\S+ refused: Access denied for user 'reader'@'%' to database '\w+'; give user reader what cachesim needs there/)
  })
})

describe('servers started for a run never outlive it', () => {
  it('--servers auto starts private ones only when a URL does not answer, and stops them after', async () => {
    const result = await runCli(['run', 'uu-two-writers', '--json'], {env: {CACHESIM_MYSQL_URL: `mysql://root@127.0.0.1:1/${testDatabase}`}})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /^cachesim: MySQL at mysql:\/\/root@127\.0\.0\.1:1\/\S+ did not answer \(connection refused\); started MariaDB mysql:\/\/root@127\.0\.0\.1:\d+\/\S+ for this run/)
    assert.equal((JSON.parse(result.stdout) as {divergent: boolean}[])[0]!.divergent, true, 'the run ran, on the private MariaDB')
    assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'and its servers are gone')
  })

  it('--servers auto does not replace a MySQL that refuses the user: exit 3, one line', async () => {
    const wrongUser = new URL(testMysqlUrl)
    wrongUser.username = 'nouser'
    wrongUser.password = 's3cret'
    const result = await runCli(['run', 'uu-two-writers'], {env: {CACHESIM_MYSQL_URL: wrongUser.toString()}})
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^Error: MySQL at mysql:\/\/nouser:\*\*\*\*@\S+ refused cachesim \(access denied for user nouser\): fix the user or password in --mysql/)
    assert.equal(result.stderr.trim().split('\n').length, 1, 'no private servers were started')
    assert.doesNotMatch(result.stderr, /s3cret/)
    assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [])
  })

  it('without the binaries, --servers auto says which URL did not answer and how to get servers', async () => {
    const result = await runCli(['run', 'all'], {env: {CACHESIM_MYSQL_URL: `mysql://root:s3cret@127.0.0.1:1/${testDatabase}`, CACHESIM_BIN_PATH: dir}})
    assert.equal(result.code, 3)
    assert.match(
      result.stderr,
      /^Error: MySQL at mysql:\/\/root:\*\*\*\*@127\.0\.0\.1:1\/\S+ did not answer \(connection refused\); cachesim cannot start its own \(no mariadbd, mariadb-install-db, redis-server on this machine\): .*apt-get install mariadb-server redis-server.*brew install mariadb redis.*docker compose up/,
    )
    assert.equal(result.stderr.trim().split('\n').length, 1)
    assert.doesNotMatch(result.stderr, /s3cret/)
  })

  it('Ctrl-C stops the run and its private servers, and exits 130', async () => {
    const {pid, setDir, finished} = await runWithPrivateServers()
    const pids = recordedPids(setDir)
    process.kill(pid, 'SIGINT')
    const result = (await finished) as {code: number}
    assert.equal(result.code, 130)
    assert.ok(await eventually(() => pids.every((p) => !running(p))), 'servers stopped')
    assert.equal(existsSync(setDir), false, 'data removed')
  })

  it('Ctrl-C while the run is still starting its private servers: the start is cut short, not waited for', async () => {
    let pid = 0
    const running = runCli(['run', await slowScenario(), '--servers', 'private'], {group: true, onSpawn: (p) => (pid = p)})
    let setDir = ''
    // Ready once a server of the run's set has been spawned (recorded the moment it is), before they answer.
    const spawned = await eventually(() => {
      const found = existsSync(runs) ? readdirSync(runs).filter((name) => name.startsWith(`${pid}-`)) : []
      setDir = found[0] ? path.join(runs, found[0]) : ''
      return setDir !== '' && existsSync(path.join(setDir, 'pids'))
    }, 20_000)
    assert.ok(spawned, 'the run began to start its servers')
    assert.equal(existsSync(path.join(setDir, 'state.json')), false, 'caught while starting')
    process.kill(-pid, 'SIGINT')
    // Until the run ends, watch for the set being written as started: an aborted start never is.
    let startedAfterCtrlC = false
    const watching = setInterval(() => (startedAfterCtrlC ||= existsSync(path.join(setDir, 'state.json'))), 5)
    const result = await running
    clearInterval(watching)
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /^interrupted by SIGINT/m)
    assert.equal(startedAfterCtrlC, false, 'the start went on to the end after Ctrl-C')
    assert.ok(await eventually(() => pidsUnder(setDir).length === 0, 5000), `left running: ${pidsUnder(setDir).join(', ')}`)
    assert.equal(existsSync(setDir), false, 'no half-started set is left')
  })

  it('kill -9 of cachesim: its reaper stops the servers and removes their data', async () => {
    const {pid, setDir, finished} = await runWithPrivateServers()
    const pids = recordedPids(setDir)
    process.kill(pid, 'SIGKILL')
    await finished
    assert.ok(await eventually(() => pids.every((p) => !running(p)) && !existsSync(setDir)), 'servers stopped and data removed')
  })

  it('kill -9 of cachesim and its reaper: servers status cleans up', async () => {
    const {pid, setDir, finished} = await runWithPrivateServers()
    const pids = recordedPids(setDir)
    for (const reaper of pidsWithCommandLine(`reaper.js ${setDir}`)) process.kill(reaper, 'SIGKILL')
    process.kill(pid, 'SIGKILL')
    await finished
    assert.ok(pids.some(running), 'the servers outlived both')
    const status = await runCli(['servers', 'status', '--dir', path.join(dir, 'none'), '--json'])
    assert.equal(status.code, 0, status.stderr)
    assert.deepEqual((JSON.parse(status.stdout) as ServersStatusResult).cleaned, [setDir])
    assert.ok(pids.every((p) => !running(p)))
    assert.equal(existsSync(setDir), false)
  })
})
