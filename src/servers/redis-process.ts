import {mkdir} from 'node:fs/promises'
import path from 'node:path'

import {PrivateServerError} from '../errors/private-server-error.js'
import {startServerProcess, type StartedProcess} from './server-process.js'

/** Starts redis-server on 127.0.0.1 only, keeping nothing on disk (no RDB, no AOF). */
export async function startRedis(redisServer: string, setDir: string): Promise<StartedProcess> {
  const dir = path.join(setDir, 'redis')
  await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw new PrivateServerError('Redis', `cannot make ${dir}: ${error.message}`, {cause: error})
  })
  const logFile = path.join(setDir, 'redis.log')
  return startServerProcess({
    name: 'redis',
    label: 'Redis',
    kind: 'redis',
    binary: redisServer,
    setDir,
    logFile,
    // redis-server starts with the arguments below, and once it has set up replaces them with
    // "redis-server 127.0.0.1:PORT": a stop in between must still find it.
    markers: (port) => [`--port ${port}`, `127.0.0.1:${port}`],
    args: (port) => [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--dir', dir,
      '--logfile', logFile,
    ],
  })
}
