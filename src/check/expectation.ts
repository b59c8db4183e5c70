import type {RunExpectation} from '../scenario/types.js'

export interface ObservedRun {
  divergent: boolean
  db: number | null
  cache: number | null
  staleReads: number
  dirtyReads: number
  dbQueries: number
}

const LABELS: Record<keyof RunExpectation, string> = {
  divergent: 'divergent',
  db: 'MySQL value',
  cache: 'Redis value',
  staleReads: 'stale reads',
  dirtyReads: 'dirty reads',
  dbQueries: 'DB queries',
}

/** Every way the run differs from its `expect:`, as short phrases; empty when it matches. */
export function compareExpectation(expect: RunExpectation, observed: ObservedRun): string[] {
  const mismatches: string[] = []
  for (const key of Object.keys(LABELS) as (keyof RunExpectation)[]) {
    if (!(key in expect)) continue
    const want = expect[key]
    const got = observed[key]
    if (want !== got) mismatches.push(`${LABELS[key]}: expected ${show(want)}, got ${show(got)}`)
  }
  return mismatches
}

function show(value: unknown): string {
  return value === null ? 'none' : String(value)
}
