import {plural} from '../util/plural.js'
import type {StampedeRound} from './result.js'
import {LOCK_TTL_MS} from './stampede-readers.js'
import type {StampedeOptions} from './types.js'

/**
 * Plain-language readings of a stampede, for the table and for --json alike. What a protection
 * should do is said only when the round's counts show it; counts that do not are said as they are.
 */
export function stampedeNotes(options: StampedeOptions, rounds: readonly StampedeRound[]): string[] {
  const notes: string[] = []
  const round = (lock: StampedeRound['lock']) => rounds.find((r) => r.lock === lock)
  const none = round('none')
  const local = round('local')
  const redis = round('redis')
  const retried = rounds.filter((r) => r.attempts > 1 && r.missed === options.readers)
  if (retried.length > 0) {
    const earlier = retried.every((r) => r.attempts === 2) ? 'in the first' : 'in the earlier ones'
    notes.push(
      `${retried.map((r) => `${r.lock} took ${plural(r.attempts, 'attempt')}`).join(', ')}: ${earlier} a busy machine started some readers after the refill, so not all of them missed; those runs are not counted.`,
    )
  }
  const scattered = rounds.filter((r) => r.missed < options.readers)
  if (scattered.length > 0) {
    notes.push(
      `Not every reader missed in ${scattered.map((r) => `${r.lock} (${r.missed} of ${options.readers}, after ${plural(r.attempts, 'attempt')})`).join(', ')}: some arrived after the refill. The machine is too busy for ${plural(options.readers, 'reader')} to start together; the SELECT counts then understate the stampede.`,
    )
  }
  if (none) notes.push(unprotectedNote(none))
  if (local) notes.push(localLockNote(options, local))
  if (redis) notes.push(redisLockNote(options, redis))
  if (rounds.some((r) => r.failedReaders > 0)) notes.push('Some readers got no row: see failedReaders in --json.')
  return notes
}

function unprotectedNote(none: StampedeRound): string {
  const selects = `${plural(none.dbQueries, 'SELECT')} for one row`
  if (none.dbQueries === none.missed) {
    return none.missed === 1 ? `Unprotected, the one reader that missed went to MySQL: ${selects}.` : `Unprotected, every reader that missed went to MySQL: ${selects}.`
  }
  return `Unprotected, ${plural(none.missed, 'reader')} missed and ${selects} reached MySQL.`
}

function localLockNote(options: StampedeOptions, local: StampedeRound): string {
  const counts = `${local.dbQueriesPerProcess.join(' + ')} over ${plural(options.processes, 'process', 'processes')}`
  if (local.dbQueriesPerProcess.some((n) => n > 1)) {
    return `The in-process mutex let more than one SELECT through in a process (${counts}): it did not hold the others back.`
  }
  const none = options.processes > 1 && local.dbQueriesPerProcess.some((n) => n === 0)
  const why = none ? "; a process whose lock holder looked again after another process's refill sent none" : ''
  const turns = options.readers > options.processes ? ", and made each process's readers take turns for their second GET" : ''
  return `The in-process mutex let at most one SELECT through per process (${counts}${why})${turns}.`
}

function redisLockNote(options: StampedeOptions, redis: StampedeRound): string {
  const where = options.processes === 1 ? 'in the one process' : `across the ${options.processes} processes`
  const commands = `${plural(redis.redisCommands, 'Redis command')} in all`
  if (redis.dbQueries === 1) {
    return options.readers === 1
      ? `The Redis lock let the one reader's SELECT through (${commands}).`
      : `The Redis lock let one SELECT through ${where}; the others waited, looking in the cache every few milliseconds (${commands}).`
  }
  return redis.dbQueries === 0
    ? `The Redis lock let no SELECT through: no reader refilled the key (${commands}).`
    : `The Redis lock let ${plural(redis.dbQueries, 'SELECT')} through ${where}, not one: a refill outlasted the lock's ${LOCK_TTL_MS / 1000} s, or a holder failed, and another reader took the lock (${commands}).`
}
