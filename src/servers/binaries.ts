import {execFile} from 'node:child_process'
import {access, constants, readFile, rename, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'

import {makeDir} from './make-dir.js'
import {cacheRoot} from './paths.js'

/** The programs private servers are made from. */
export interface ServerBinaries {
  mariadbd: string
  installDb: string
  redisServer: string
  /** e.g. "10.11.19-MariaDB"; part of the template's name, so an upgrade gets a fresh one. */
  mariadbVersion: string
}

/** Where package managers put servers that are not on a user's PATH (sbin, Homebrew). */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/opt/homebrew/bin', '/opt/homebrew/sbin', '/usr/local/opt/mariadb/bin']

/** How to get the servers, for the one line cachesim prints when it has none. */
export const INSTALL_HINT =
  'install them (Debian/Ubuntu: `sudo apt-get install mariadb-server redis-server`; macOS: `brew install mariadb redis`) so that cachesim can start its own, or run `docker compose up -d` with the docker-compose.yml in cachesim\'s folder (MySQL 8 and Redis 7)'

export type BinariesLookup = {found: true; binaries: ServerBinaries} | {found: false; missing: string[]}

let cached: Promise<BinariesLookup> | undefined

/** Finds mariadbd (or a mysqld that is MariaDB), mariadb-install-db and redis-server. */
export function findServerBinaries(): Promise<BinariesLookup> {
  cached ??= lookUp()
  return cached
}

async function lookUp(): Promise<BinariesLookup> {
  const [mariadbd, mysqld, installDb, oldInstallDb, redisServer] = await Promise.all(
    ['mariadbd', 'mysqld', 'mariadb-install-db', 'mysql_install_db', 'redis-server'].map(which),
  )
  const missing: string[] = []
  let server = mariadbd
  let version = server ? await mariadbVersion(server) : undefined
  if (!version && mysqld) {
    // Debian's mysqld is MariaDB's; MySQL's own mysqld initialises differently, so it is not used.
    version = await mariadbVersion(mysqld)
    if (version) server = mysqld
  }
  if (!server || !version) missing.push('mariadbd')
  const install = installDb ?? oldInstallDb
  if (!install) missing.push('mariadb-install-db')
  if (!redisServer) missing.push('redis-server')
  if (missing.length > 0 || !server || !version || !install || !redisServer) return {found: false, missing}
  return {found: true, binaries: {mariadbd: server, installDb: install, redisServer, mariadbVersion: version}}
}

/** CACHESIM_BIN_PATH, when set, is the only place looked in (servers installed somewhere unusual). */
async function which(name: string): Promise<string | undefined> {
  const only = process.env.CACHESIM_BIN_PATH
  const dirs = only === undefined ? [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS] : only.split(path.delimiter)
  for (const dir of dirs) {
    const file = path.join(dir, name)
    try {
      await access(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * "10.11.19-MariaDB" from `mariadbd --version`, or undefined when it is not MariaDB. Remembered
 * in the cache directory per binary (path, size, time): asking costs 40-100 ms a command.
 */
async function mariadbVersion(binary: string): Promise<string | undefined> {
  const stamp = await stat(binary).then((s) => `${binary}:${s.size}:${s.mtimeMs}`, () => binary)
  const memo = path.join(cacheRoot(), 'versions.json')
  const known = await readFile(memo, 'utf8').then((text) => JSON.parse(text) as Record<string, string>, () => ({}) as Record<string, string>)
  if (known[stamp]) return known[stamp]
  let version: string | undefined
  try {
    const {stdout} = await promisify(execFile)(binary, ['--version'], {timeout: 5000})
    version = /Ver\s+(\S+MariaDB)/.exec(stdout)?.[1]
  } catch {
    return undefined
  }
  if (version) {
    // Best effort, written whole (rename): a lost race only means asking again next time.
    const temporary = `${memo}.${process.pid}`
    await makeDir(cacheRoot())
      .then(() => writeFile(temporary, JSON.stringify({...known, [stamp]: version})))
      .then(() => rename(temporary, memo))
      .catch(() => {})
  }
  return version
}
