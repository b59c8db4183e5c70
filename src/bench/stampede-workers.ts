import {type ChildProcess, fork} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {CachesimError} from '../errors/cachesim-error.js'
import {ExitCode, type ExitCodeValue} from '../errors/exit-codes.js'
import {abortReason} from '../util/delay.js'
import type {FromWorker, ToWorker} from './stampede-protocol.js'

const WORKER = fileURLToPath(new URL('./stampede-worker.js', import.meta.url))
/** How long a worker may take to close its connections and leave before it is killed. */
const EXIT_GRACE_MS = 2000

/**
 * The worker processes of one stampede, spoken to as a group: send every worker a message and
 * wait for each one's answer. A worker that fails or dies fails the whole exchange at once.
 */
export class StampedeWorkers {
  private readonly children: ChildProcess[]
  private readonly stderr: string[]

  private constructor(count: number) {
    this.stderr = Array.from({length: count}, () => '')
    this.children = Array.from({length: count}, (_, i) => {
      // Settings travel over IPC, never on the command line, where `ps` would show a password.
      const child = fork(WORKER, [], {stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json'})
      child.stderr?.on('data', (chunk: Buffer) => (this.stderr[i] = (this.stderr[i]! + chunk.toString()).slice(-2000)))
      // A message to a worker that has just gone (Ctrl-C) fails with EPIPE or a closed channel:
      // its 'exit' tells the exchange, and an unheard 'error' event must not crash the process.
      child.on('error', () => {})
      return child
    })
  }

  static start(count: number): StampedeWorkers {
    return new StampedeWorkers(count)
  }

  get size(): number {
    return this.children.length
  }

  /** Sends each worker its message (by index) and resolves with their answers of type `expect`. */
  async exchange<T extends FromWorker['type']>(
    message: (index: number) => ToWorker,
    expect: T,
    signal: AbortSignal,
  ): Promise<Extract<FromWorker, {type: T}>[]> {
    let cleanup = () => {}
    const answers = this.children.map(
      (child, i) =>
        new Promise<Extract<FromWorker, {type: T}>>((resolve, reject) => {
          const onMessage = (answer: FromWorker) => {
            if (answer.type === 'error') reject(new CachesimError(answer.message, answer.exitCode as ExitCodeValue))
            else if (answer.type === expect) resolve(answer as Extract<FromWorker, {type: T}>)
          }
          const onExit = (code: number | null, signalName: string | null) => reject(this.died(i, code, signalName))
          child.on('message', onMessage)
          child.once('exit', onExit)
          const previous = cleanup
          cleanup = () => {
            previous()
            child.off('message', onMessage)
            child.off('exit', onExit)
          }
        }),
    )
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(abortReason(signal))
      signal.addEventListener('abort', () => reject(abortReason(signal)), {once: true})
    })
    aborted.catch(() => {})
    this.children.forEach((child, i) => {
      if (child.connected) child.send(message(i), () => {})
    })
    try {
      return await Promise.race([Promise.all(answers), aborted])
    } finally {
      cleanup()
    }
  }

  /** Asks every worker to close its connections and leave; kills those that do not in time. */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return
        const exited = new Promise((resolve) => child.once('exit', resolve))
        if (child.connected) child.send({type: 'close'} satisfies ToWorker, () => {})
        const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS)
        await exited
        clearTimeout(timer)
      }),
    )
  }

  /** Ctrl-C: every worker drops its connections and leaves at once. */
  kill(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGTERM')
  }

  private died(index: number, code: number | null, signalName: string | null): CachesimError {
    const said = this.stderr[index]!.trim().split('\n').find((line) => line.trim() !== '') ?? ''
    return new CachesimError(
      `internal: stampede worker ${index + 1} exited (${signalName ?? `code ${code}`})${said ? `: ${said}` : ''}`,
      ExitCode.internal,
    )
  }
}
