import type {StampedeRound} from './result.js'
import type {StampedeOptions} from './types.js'

/** Plain-language readings of a stampede, for the table and for --json alike. */
export function stampedeNotes(options: StampedeOptions, rounds: readonly StampedeRound[]): string[] {
  const notes: string[] = []
  const round = (lock: StampedeRound['lock']) => rounds.find((r) => r.lock === lock)
  const none = round('none')
  const local = round('local')
  const redis = round('redis')
  const retried = rounds.filter((r) => r.attempts > 1 && r.missed === options.readers)
  if (retried.length > 0) {
    notes.push(
      `${retried.map((r) => `${r.lock} took ${r.attempts} attempts`).join(', ')}: in the earlier ones a busy machine started some readers after the refill, so not all of them missed; those runs are not counted.`,
    )
  }
  const scattered = rounds.filter((r) => r.missed < options.readers)
  if (scattered.length > 0) {
    notes.push(
      `Not every reader missed in ${scattered.map((r) => r.lock).join(', ')}, even after ${scattered[0]!.attempts} attempts: some arrived after the refill. The machine is too busy for ${options.readers} readers to start together; the SELECT counts then understate the stampede.`,
    )
  }
  if (none) notes.push(`Unprotected, every reader that missed went to MySQL: ${none.dbQueries} SELECTs for one row.`)
  if (local) {
    notes.push(
      `The in-process mutex lets at most one SELECT through per process (${local.dbQueriesPerProcess.join(' + ')} over ${options.processes} process${options.processes === 1 ? '' : 'es'}; a process whose lock holder looks again after another process's refill sends none), and makes each process's readers take turns for their second GET.`,
    )
  }
  if (redis) {
    notes.push(`The Redis lock lets one SELECT through across every process (${redis.dbQueries}); the others waited, looking in the cache every few milliseconds (${redis.redisCommands} Redis commands in all).`)
  }
  if (rounds.some((r) => r.failedReaders > 0)) notes.push('Some readers got no row: see failedReaders in --json.')
  return notes
}
