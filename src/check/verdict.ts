import {checkDivergence} from './divergence.js'
import {checkLostWrites} from './lost-writes.js'
import {checkDirtyReads, checkStaleReads} from './reads.js'
import {type Check, type CheckName, type CheckResult, composeValidity, type Observation, type Validity} from './types.js'

/**
 * The one verdict of a run, composed from every check: valid is false if any check is false,
 * else 'unknown' if any is unknown, else true (Jepsen's `compose`). Every report reads this
 * value; none works out its own.
 */
export interface Verdict {
  valid: Validity
  /** The worst thing the run showed, in one word (its order is WORDS below). */
  word: VerdictWord
  checks: CheckResult[]
}

/** From worst to best: what `--json` calls `verdict`, and the matrix sums up per cell. */
export const WORDS = ['impossible', 'divergent', 'lost', 'stale', 'dirty', 'unknown', 'consistent'] as const
export type VerdictWord = (typeof WORDS)[number]

const WORD_OF: Record<CheckName, VerdictWord> = {
  completed: 'impossible',
  divergence: 'divergent',
  'lost-writes': 'lost',
  'stale-reads': 'stale',
  'dirty-reads': 'dirty',
  certain: 'unknown',
}

/** The run finished: an order in which every remaining actor was blocked cannot happen. */
const checkCompleted: Check = ({stuck}) => ({check: 'completed', valid: stuck ? 'unknown' : true, count: stuck ? 1 : 0})

/** A step whose outcome is unknown (a dropped connection, a timeout) leaves the run's verdict unknown. */
const checkCertain: Check = ({entries}) => {
  const unknown = entries.filter((e) => e.type === 'info').length
  return {check: 'certain', valid: unknown > 0 ? 'unknown' : true, count: unknown}
}

/** Every check, by name: each answers for its name alone. */
export const CHECKS: Readonly<Record<CheckName, Check>> = {
  completed: checkCompleted,
  divergence: checkDivergence,
  'lost-writes': checkLostWrites,
  'stale-reads': checkStaleReads,
  'dirty-reads': checkDirtyReads,
  certain: checkCertain,
}

/** Runs every check; a check that throws answers 'unknown', as Jepsen's check-safe does. */
export function judge(observation: Observation): Verdict {
  const checks = (Object.keys(CHECKS) as CheckName[]).map((name): CheckResult => {
    try {
      return CHECKS[name](observation)
    } catch {
      return {check: name, valid: 'unknown', count: 0}
    }
  })
  return {valid: composeValidity(checks.map((c) => c.valid)), word: wordOf(checks), checks}
}

function wordOf(checks: readonly CheckResult[]): VerdictWord {
  const failed = checks.filter((c) => c.valid !== true).map((c) => WORD_OF[c.check])
  return worstWord(failed)
}

/** The worst of several words (consistent when there are none). */
export function worstWord(words: readonly VerdictWord[]): VerdictWord {
  let worst: VerdictWord = 'consistent'
  for (const word of words) if (WORDS.indexOf(word) < WORDS.indexOf(worst)) worst = word
  return worst
}

/** How many anomalies of one kind a verdict holds (0 when that check passed). */
export function countOf(verdict: Verdict, check: CheckName): number {
  return verdict.checks.find((c) => c.check === check)?.count ?? 0
}
