import {compareExploreExpectation} from '../check/expectation.js'
import {BadInputError} from '../errors/bad-input-error.js'
import type {ExploreJson, RunJson} from './json.js'

/**
 * Joins the `explore --shard i/n --json` outputs of every shard into the report one unsharded
 * search would have made: counts summed (the shards' orders are disjoint), behaviours united by
 * their keys, the shortest witness of all, what was expected checked against the totals.
 */
export function mergeExplored(files: readonly {file: string; results: readonly ExploreJson[]}[]): ExploreJson[] {
  const groups = new Map<string, {file: string; result: ExploreJson}[]>()
  for (const {file, results} of files) {
    for (const result of results) {
      if (!result.shard) throw new BadInputError(`${file}: ${result.scenario} was not explored with --shard: nothing to merge`)
      const key = `${result.source}\u0000${result.scenario}`
      groups.set(key, [...(groups.get(key) ?? []), {file, result}])
    }
  }
  return [...groups.values()].map(mergeScenario)
}

function mergeScenario(parts: readonly {file: string; result: ExploreJson}[]): ExploreJson {
  const first = parts[0]!.result
  const count = first.shard!.count
  const indexes = parts.map((p) => p.result.shard!.index).sort((a, b) => a - b)
  const want = Array.from({length: count}, (_, i) => i)
  if (parts.some((p) => p.result.shard!.count !== count) || indexes.join() !== want.join()) {
    const have = parts.map((p) => `${p.result.shard!.index + 1}/${p.result.shard!.count} (${p.file})`).join(', ')
    throw new BadInputError(`${first.scenario}: the shards do not make a whole: need 1/${count} … ${count}/${count} once each, have ${have}`)
  }
  const results = parts.map((p) => p.result)
  // A shard of a reduced search counts classes, of a full one orders: they do not add up.
  if (results.some((r) => (r.reduced ?? false) !== (first.reduced ?? false))) {
    throw new BadInputError(`${first.scenario}: some shards were reduced and some not (--no-reduce): explore every shard the same way`)
  }
  const represented = results.every((r) => typeof r.ordersRepresented === 'number') ? results.reduce((n, r) => n + r.ordersRepresented!, 0) : null
  const sum = (field: 'orders' | 'distinctOrders' | 'impossibleOrders' | 'divergentOrders' | 'staleOrders' | 'dirtyOrders' | 'durationMs') =>
    results.reduce((n, r) => n + r[field], 0)
  const union = (which: 'all' | 'divergent' | 'stale' | 'dirty') => new Set(results.flatMap((r) => r.shard!.behaviourKeys[which])).size
  const witnessRun = shortest(results.flatMap((r) => (r.witnessRun ? [r.witnessRun] : [])))
  const exampleRun = witnessRun ? null : shortest(results.flatMap((r) => (r.exampleRun ? [r.exampleRun] : [])))
  const observed = {
    orders: sum('orders'),
    impossibleOrders: sum('impossibleOrders'),
    divergentOrders: sum('divergentOrders'),
    staleOrders: sum('staleOrders'),
    dirtyOrders: sum('dirtyOrders'),
    witness: witnessRun?.order ?? null,
    complete: results.every((r) => r.complete),
  }
  const mismatches = first.expected ? compareExploreExpectation(first.expected, observed) : []
  return {
    scenario: first.scenario,
    strategy: first.strategy,
    source: first.source,
    mode: 'all',
    reduced: first.reduced ?? false,
    notReduced: first.notReduced ?? null,
    redundantOrders: results.reduce((n, r) => n + (r.redundantOrders ?? 0), 0),
    ordersRepresented: represented,
    ...observed,
    ...(results.some((r) => r.timersCutOrders) ? {timersCutOrders: results.reduce((n, r) => n + (r.timersCutOrders ?? 0), 0)} : {}),
    distinctOrders: sum('distinctOrders'),
    sampled: null,
    behaviours: union('all'),
    divergentBehaviours: union('divergent'),
    staleBehaviours: union('stale'),
    dirtyBehaviours: union('dirty'),
    expected: first.expected,
    matchesExpected: first.expected ? mismatches.length === 0 : null,
    mismatches,
    durationMs: sum('durationMs'),
    witnessRun,
    exampleRun,
    unfired: first.unfired.filter((what) => results.every((r) => r.unfired.includes(what))),
    runs: results.flatMap((r) => r.runs).sort((a, b) => compareText(a.order, b.order)),
  }
}

/** Fewest steps, then fewest switches between actors, then the first order string: as explore picks its witness. */
function shortest(runs: readonly RunJson[]): RunJson | null {
  const steps = (r: RunJson) => r.order.split(' ')
  const switches = (r: RunJson) => steps(r).filter((t, i, all) => i > 0 && t.split(':')[0] !== all[i - 1]!.split(':')[0]).length
  let best: RunJson | null = null
  for (const run of runs) {
    if (!best) {
      best = run
      continue
    }
    const byLength = steps(run).length - steps(best).length
    const bySwitches = switches(run) - switches(best)
    if (byLength < 0 || (byLength === 0 && (bySwitches < 0 || (bySwitches === 0 && compareText(run.order, best.order) < 0)))) best = run
  }
  return best
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
