import path from 'node:path'

import type {ServerBinaries} from './binaries.js'
import {INNODB_SIZES, userArgs} from './mariadb-template.js'
import {startServerProcess, type StartedProcess} from './server-process.js'

export interface MariadbOptions {
  binaries: ServerBinaries
  setDir: string
  /** The recorded name, and the name of its data directory and files under the set: mysql, replica. */
  name: string
  serverId: number
  /** Keep a ROW binlog with full row images and column names (for sync and for replicas). */
  binlog: boolean
}

/**
 * Starts mariadbd on a data directory already in place (a copy of the template), bound to
 * 127.0.0.1 only and reading no my.cnf, so that nothing about the user's own server applies.
 */
export function startMariadb(options: MariadbOptions): Promise<StartedProcess> {
  const {setDir, name} = options
  const datadir = path.join(setDir, name)
  const logFile = path.join(setDir, `${name}.err`)
  return startServerProcess({
    name,
    label: name === 'mysql' ? 'MariaDB' : `MariaDB ${name}`,
    kind: 'mysql',
    binary: options.binaries.mariadbd,
    setDir,
    logFile,
    markers: () => [`--datadir=${datadir}`],
    args: (port) => [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socketPath(setDir, name)}`,
      `--pid-file=${path.join(setDir, `${name}.pid`)}`,
      `--log-error=${logFile}`,
      `--server-id=${options.serverId}`,
      '--skip-name-resolve',
      '--performance-schema=OFF',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      // Throwaway data: no fsync per commit.
      '--innodb-flush-log-at-trx-commit=2',
      '--sync-binlog=0',
      ...INNODB_SIZES,
      ...(options.binlog
        ? ['--log-bin=binlog', '--binlog-format=ROW', '--binlog-row-image=FULL', '--binlog-row-metadata=FULL']
        : ['--skip-log-bin']),
      ...userArgs(),
    ],
  })
}

/** A Unix socket path must stay under ~100 bytes; a long --dir falls back to the temp dir. */
function socketPath(setDir: string, name: string): string {
  const inSet = path.join(setDir, `${name}.sock`)
  if (inSet.length < 100) return inSet
  return path.join('/tmp', `cachesim-${process.pid}-${Date.now()}-${name}.sock`)
}
