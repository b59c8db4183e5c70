import {Command, Flags} from '@oclif/core'
import chalk from 'chalk'

import {CachesimError} from '../errors/cachesim-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import {InterruptedError} from '../errors/interrupted-error.js'
import type {StoreNeed, StoreTargets, TargetsFor} from '../stores/targets.js'
import type {Workbench} from '../run/workbench.js'
import type {Workbenches} from '../run/workbenches.js'
import type {Scenario} from '../scenario/types.js'
import type {ResolvedServers} from '../servers/resolve-servers.js'
import {parseMysqlUrl} from '../stores/urls.js'
import {type StoreFlagValues, storeOptions} from './store-flags.js'

/** After Ctrl-C, how long cleanup may take before the process is ended anyway. */
const CLEANUP_GRACE_MS = 3000
/** Then, how long giving back the key prefix's lock may take. */
const LAST_UNLOCK_MS = 500

/**
 * What every cachesim command shares: --debug, colour only on a TTY without NO_COLOR, Ctrl-C
 * that closes everything and exits 130, and errors printed once, on one line, with the exit
 * code from errors/exit-codes.ts.
 */
export abstract class CachesimCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      summary: 'Print stack traces with errors.',
      helpGroup: 'GLOBAL',
    }),
  }

  /** Aborted on Ctrl-C or SIGTERM: pass it to everything that waits. */
  protected readonly interrupt = new AbortController()
  private readonly cleanups: (() => void)[] = []
  private toldInterrupted = false

  override async init(): Promise<void> {
    await super.init()
    if (!process.stdout.isTTY || process.env.NO_COLOR !== undefined) chalk.level = 0
    const onSignal = (signal: NodeJS.Signals) => {
      const code = signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted
      if (this.interrupt.signal.aborted) process.exit(code)
      const reason = new InterruptedError(signal)
      this.interrupt.abort(reason)
      for (const cleanup of this.cleanups) cleanup()
      // Cleanup that outlives its grace (a busy machine) is cut short, but the user is still told,
      // and the key prefix is given back rather than left locked until its lock key expires.
      setTimeout(() => {
        if (!this.toldInterrupted) process.stderr.write(`${reason.message}\n`)
        // Loaded already by whoever took a lock; imported lazily so that a command starts (and
        // hears Ctrl-C) without loading the Redis client first.
        void import('../run/redis-namespace-lock.js')
          .then(({dropNamespaceLocksNow}) => dropNamespaceLocksNow(LAST_UNLOCK_MS))
          .finally(() => process.exit(code))
      }, CLEANUP_GRACE_MS).unref()
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }

  /** A progress bar (on stderr) only on a terminal, both streams, and never with --json. */
  protected showsProgress(): boolean {
    return !this.jsonEnabled() && Boolean(process.stdout.isTTY && process.stderr.isTTY)
  }

  /** Registers something to tear down at once on Ctrl-C (e.g. dropping connections). */
  protected onInterrupt(cleanup: () => void): void {
    this.cleanups.push(cleanup)
  }

  /**
   * Runs `work` on the stores the flags name (--servers auto: private servers when those do not
   * answer), and stops any private servers it started when `work` ends, however it ends.
   */
  protected withStores<T>(flags: StoreFlagValues, work: (stores: StoreTargets) => Promise<T>): Promise<T> {
    return this.withTargets(flags, async (targetsFor) => work(await targetsFor('plain')))
  }

  /**
   * Runs `work` on the workbenches of the stores the flags name: each opened when a scenario
   * first needs it (on stores with a binlog or a replica, found on first use, for the scenarios
   * that need one), dropped at once on Ctrl-C, closed when `work` ends.
   */
  protected withWorkbenches<T>(flags: StoreFlagValues, work: (benches: Workbenches) => Promise<T>): Promise<T> {
    return this.withTargets(flags, async (targetsFor) => {
      const {withWorkbenches} = await import('../run/workbenches.js')
      const onOpen = (bench: Workbench) => this.onInterrupt(() => bench.destroy())
      return withWorkbenches(targetsFor, {signal: this.interrupt.signal, onOpen}, work)
    })
  }

  /**
   * Keeps the scenarios these stores can run. Those that need a binlog or a replica the stores
   * cannot give are left out with a one-line warning when others remain; when none would remain,
   * the reason is the error.
   */
  protected runnable(scenarios: readonly Scenario[], benches: Workbenches): Promise<Scenario[]> {
    return benches.runnable(scenarios, (left, reason) => process.stderr.write(`warning: leaving out ${left.map((s) => s.name).join(', ')}: ${reason}\n`), this.interrupt.signal)
  }

  /**
   * The one place the stores for each need are found: the ones the flags name, and, on first
   * use, ones whose MySQL keeps a ROW binlog or has a replica (private servers, started then).
   */
  private async withTargets<T>(flags: StoreFlagValues, work: (targetsFor: TargetsFor) => Promise<T>): Promise<T> {
    const {resolveServers} = await import('../servers/resolve-servers.js')
    const onNote = (line: string) => process.stderr.write(`${line}\n`)
    const {signal} = this.interrupt
    const started: ResolvedServers[] = []
    const keep = (resolved: ResolvedServers): StoreTargets => {
      started.push(resolved)
      this.onInterrupt(() => resolved.releaseNow())
      const {replicaUrl} = resolved
      return replicaUrl === undefined ? resolved.stores : {...resolved.stores, replica: parseMysqlUrl(replicaUrl)}
    }
    let unlockKeys = async () => {}
    try {
      const plain = keep(await resolveServers({mode: flags.servers, stores: storeOptions(flags), onNote, signal}))
      // The key prefix is this run's before any private server starts for a replica or a binlog.
      const {lockKeyNamespace} = await import('../run/namespace-lock.js')
      unlockKeys = await lockKeyNamespace(plain)
      const found = new Map<StoreNeed, Promise<StoreTargets>>([['plain', Promise.resolve(plain)]])
      const find = (need: StoreNeed): Promise<StoreTargets> => {
        if (need === 'replica') return resolveServers({mode: flags.servers, stores: plain, replica: true, onNote, signal}).then(keep)
        // A primary started for a replica keeps a binlog too: binlog scenarios reuse it.
        return (found.get('replica')?.catch(() => null) ?? Promise.resolve(null)).then(async (primary) => {
          const {replica: _replica, ...stores} = primary ?? plain
          return keep(await resolveServers({mode: flags.servers, stores, binlog: true, onNote, signal}))
        })
      }
      return await work((need) => {
        let targets = found.get(need)
        if (!targets) {
          targets = find(need)
          found.set(need, targets)
        }
        return targets
      })
    } finally {
      await unlockKeys()
      for (const resolved of started.reverse()) await resolved.release()
    }
  }

  protected override async catch(thrown: Error & {exitCode?: number; oclif?: {exit?: number | false}}): Promise<never> {
    // Once interrupted, whatever failed on the way out (a dropped connection) is Ctrl-C's doing.
    const error = this.interrupt.signal.aborted ? (this.interrupt.signal.reason as InterruptedError) : thrown
    const {message, exitCode} = describe(error)
    if (this.jsonEnabled()) {
      this.logJson({error: {name: error.name, message, exitCode}})
    } else if (error instanceof InterruptedError) {
      this.toldInterrupted = true
      process.stderr.write(`${message}\n`)
    } else {
      process.stderr.write(`${chalk.red('Error:')} ${message}\n`)
      if (wantsDebug()) process.stderr.write(`${error.stack ?? ''}\n`)
    }
    return this.exit(exitCode)
  }
}

function describe(error: Error & {exitCode?: number; oclif?: {exit?: number | false}}): {message: string; exitCode: number} {
  if (error instanceof CachesimError) return {message: error.message, exitCode: error.exitCode}
  // oclif's own parse errors (unknown flag, missing argument) carry exit code 2.
  if (typeof error.oclif?.exit === 'number') return {message: oneLine(error.message), exitCode: error.oclif.exit}
  const hint = wantsDebug() ? '' : ' (run again with --debug for the stack trace)'
  return {message: `internal error: ${error.message}${hint}`, exitCode: ExitCode.internal}
}

function wantsDebug(): boolean {
  return process.argv.includes('--debug') || Boolean(process.env.CACHESIM_DEBUG)
}


/** oclif's parse errors come on several lines, with tabs and a header: make them one sentence. */
export function oneLine(message: string): string {
  const lines = message
    .replace(/^The following errors? occurred:\s*/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const help = lines.some((line) => /^See more help with --help/.test(line))
  const [first = '', ...rest] = lines.filter((line) => !/^See more help with --help/.test(line))
  const joined = rest.length === 0 ? first : `${first}${/[.:!?]$/.test(first) ? ' ' : ': '}${rest.join(' ')}`
  return `${joined.replace(/\s+/g, ' ').replace(/\.$/, '')}${help ? '. See more help with --help' : ''}`
}
