import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import {rename, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'

import {PrivateServerError} from '../errors/private-server-error.js'
import type {ServerBinaries} from './binaries.js'
import {makeDir} from './make-dir.js'
import {templatesDir} from './paths.js'

/** Small InnoDB files: a throwaway server needs no 96 MB redo log, and copying stays ~tens of ms. */
export const INNODB_SIZES = ['--innodb-log-file-size=4M', '--innodb-buffer-pool-size=32M']

/** Ran as root, MariaDB refuses to start unless told which user to be. */
export function userArgs(): string[] {
  return process.getuid?.() === 0 ? ['--user=root'] : []
}

/**
 * A ready MariaDB data directory (system tables, root@localhost with no password, reachable on
 * 127.0.0.1), made once with mariadb-install-db and then copied: a copy takes tens of ms where
 * install-db takes half a second or more. Made under a temporary name and renamed, so that two
 * cachesim processes never see half a template.
 */
export async function mariadbTemplate(binaries: ServerBinaries): Promise<{dir: string; created: boolean}> {
  const dir = path.join(templatesDir(), `mariadb-${binaries.mariadbVersion}-${await binaryStamp(binaries.mariadbd)}`)
  if (await exists(path.join(dir, 'mysql'))) return {dir, created: false}
  await makeDir(templatesDir())
  const temporary = `${dir}.tmp-${process.pid}-${Date.now()}`
  try {
    await promisify(execFile)(
      binaries.installDb,
      [
        '--no-defaults',
        `--datadir=${temporary}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        ...INNODB_SIZES,
        ...userArgs(),
      ],
      {timeout: 60_000},
    )
  } catch (error) {
    await rm(temporary, {recursive: true, force: true})
    const e = error as {stderr?: string; message?: string}
    const reason = (e.stderr ?? e.message ?? '').trim().split('\n').filter(Boolean).pop() ?? 'unknown error'
    throw new PrivateServerError('MariaDB', `${path.basename(binaries.installDb)} failed: ${reason}`, {cause: error})
  }
  try {
    await rename(temporary, dir)
    return {dir, created: true}
  } catch {
    // Another cachesim made the same template meanwhile: use theirs.
    await rm(temporary, {recursive: true, force: true})
    return {dir, created: false}
  }
}

/** The binary's size and time, so that an upgraded mariadbd of the same version still gets a new template. */
async function binaryStamp(file: string): Promise<string> {
  const info = await stat(file)
  return createHash('sha1').update(`${file}:${info.size}:${info.mtimeMs}`).digest('hex').slice(0, 8)
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}
