import type {StepRecord} from '../history/types.js'
import type {RunResult} from '../run/result.js'
import type {RunExpectation} from '../scenario/types.js'

/** One step in `--json` output. Field names are an interface: add, never rename. */
export interface StepJson {
  index: number
  actor: string
  step: string
  /** ok, fail, info (outcome unknown), or pending (the run ended first). */
  type: StepRecord['type']
  value: StepRecord['value']
  startMs: number
  endMs: number | null
  error?: string
}

/** One run in `--json` output. Field names are an interface: add, never rename. */
export interface RunJson {
  scenario: string
  strategy: string
  source: string
  schedule: RunResult['schedule']
  db: number | null
  cache: number | null
  divergent: boolean
  staleReads: number
  dirtyReads: number
  dbQueries: number
  expected: RunExpectation | null
  matchesExpected: boolean | null
  mismatches: string[]
  durationMs: number
  injectedDelayMs: number
  /** The order the servers saw the steps in; `cachesim run <scenario> --order "<order>"` replays it. */
  order: string
  /** Actors left blocked when the run could not finish (null when it finished). */
  stuck: {actor: string; step: string; reason: string}[] | null
  history: StepJson[]
}

export function toRunJson(run: RunResult): RunJson {
  return {
    scenario: run.scenario,
    strategy: run.strategy,
    source: run.source,
    schedule: run.schedule,
    db: run.db,
    cache: run.cache,
    divergent: run.divergent,
    staleReads: run.staleReads,
    dirtyReads: run.dirtyReads,
    dbQueries: run.dbQueries,
    expected: run.expected,
    matchesExpected: run.matchesExpected,
    mismatches: run.mismatches,
    durationMs: round(run.durationMs),
    injectedDelayMs: run.injectedDelayMs,
    order: run.order.join(' '),
    stuck: run.stuck,
    history: run.steps.map((s) => {
      const step: StepJson = {
        index: s.index,
        actor: s.actor,
        step: s.step,
        type: s.type,
        value: s.value,
        startMs: round(s.startMs),
        endMs: s.endMs === null ? null : round(s.endMs),
      }
      if (s.error !== undefined) step.error = s.error
      return step
    }),
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
