import {spawn} from 'node:child_process'
import {readFile} from 'node:fs/promises'

import {PrivateServerError} from '../errors/private-server-error.js'
import {freeLoopbackPort} from './free-port.js'
import {waitReady} from './probe.js'
import {recordProcess} from './processes.js'

export interface ServerProcessSpec {
  /** The name the pid is recorded under, e.g. mysql, redis, replica. */
  name: string
  /** What a user reads in an error: MariaDB, Redis. */
  label: string
  kind: 'mysql' | 'redis'
  binary: string
  args: (port: number) => string[]
  /** Strings one of which the process's command line contains from the moment it runs, so that its pid is never mistaken. */
  markers: (port: number) => string[]
  setDir: string
  /** The server's own log, quoted when it fails to start. */
  logFile: string
  timeoutMs?: number
}

export interface StartedProcess {
  pid: number
  port: number
  /** Spawn to first answer. */
  readyMs: number
}

const PORT_TRIES = 3

/**
 * Starts one server on a free loopback port, in its own session (so that Ctrl-C at a terminal
 * reaches cachesim, which stops it, rather than the server), records its pid before anything
 * else can happen, and waits until it answers. A port taken in between is tried again.
 */
export async function startServerProcess(spec: ServerProcessSpec): Promise<StartedProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort()
    const started = performance.now()
    const child = spawn(spec.binary, spec.args(port), {detached: true, stdio: 'ignore', cwd: spec.setDir})
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve))
      throw new PrivateServerError(spec.label, `${spec.binary}: ${error.message}`, {cause: error})
    }
    try {
      recordProcess(spec.setDir, {name: spec.name, pid: child.pid, markers: spec.markers(port)})
    } catch (error) {
      // Unrecorded, nothing could ever find it again: it must not outlive this moment.
      child.kill('SIGKILL')
      throw new PrivateServerError(spec.label, `${spec.setDir} was removed while it started`, {cause: error})
    }
    child.unref()
    let exited: number | string | null | undefined
    child.once('exit', (code, signal) => (exited = code ?? signal))
    child.once('error', () => (exited = 'error'))
    const ready = await waitReady(spec.kind, port, {
      deadline: Date.now() + (spec.timeoutMs ?? 30_000),
      failed: () => exited !== undefined,
    })
    if (ready) return {pid: child.pid, port, readyMs: performance.now() - started}
    if (exited === undefined) child.kill('SIGKILL')
    const log = await lastLines(spec.logFile)
    if (attempt < PORT_TRIES && /address already in use|bind on tcp\/ip port|could not create server tcp/i.test(log)) continue
    const reason = exited === undefined ? 'no answer within 30 s' : `it exited (${exited})`
    throw new PrivateServerError(spec.label, `${reason}: ${lastError(log)} (log: ${spec.logFile})`)
  }
}

async function lastLines(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-30).join('\n')
  } catch {
    return ''
  }
}

/** The line of a server log that says what went wrong, else its last line. */
function lastError(log: string): string {
  const lines = log.split('\n').map((l) => l.trim()).filter(Boolean)
  return (lines.filter((l) => /\[ERROR\]|# oO0OoO0OoO0Oo|error|fatal/i.test(l)).pop() ?? lines.pop() ?? 'no log').slice(0, 300)
}
