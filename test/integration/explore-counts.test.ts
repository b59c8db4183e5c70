import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import {behaviourKey} from '../../src/history/behaviour.js'
import {type ExploreResult, exploreScenario} from '../../src/run/explore-scenario.js'
import type {RunResult} from '../../src/run/result.js'
import {loadBuiltInScenarios, loadMatrixScenarios, loadScenarioFile, parseScenario} from '../../src/scenario/load.js'
import {appScenarios} from '../../src/scenario/resolve.js'
import type {Scenario} from '../../src/scenario/types.js'
import {seededRandom} from '../../src/util/random.js'
import {testWorkbenches} from '../helpers/stores.js'

/**
 * Every order of every built-in and matrix scenario, counted as the explorer counted them
 * before steps carried their effects (test/fixtures/explore-counts.json, written from
 * `cachesim explore all --json` and `cachesim matrix --json`). A change to how steps, checks
 * or the scheduler work must leave every count, witness and verdict as it was.
 *
 * And the reduced search's soundness: for each of them, exploring one order per class finds
 * exactly the outcomes that every order finds (final states, divergent or not, stale and dirty
 * reads, lost writes, stuck), the same behaviours, and classes that stand for every order.
 */
interface Counts {
  orders: number
  impossibleOrders: number
  divergentOrders: number
  staleOrders: number
  dirtyOrders: number
  witness: string | null
  verdict?: string
}
const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/explore-counts.json', import.meta.url), 'utf8')) as {
  builtIn: Record<string, Counts>
  matrix: Record<string, Counts>
}

const {benches, signal} = testWorkbenches()

interface Seen {
  result: ExploreResult
  outcomes: Set<string>
  behaviours: Set<string>
}

async function explore(scenario: Scenario, reduce: boolean): Promise<Seen> {
  const outcomes = new Set<string>()
  const behaviours = new Set<string>()
  const onRunResult = (run: RunResult) => {
    outcomes.add(JSON.stringify([run.db, run.cache, run.views ?? null, run.divergent, run.staleReads > 0, run.dirtyReads > 0, run.lostWrites > 0, run.stuck !== null]))
    behaviours.add(behaviourKey(run))
  }
  // Reduced as a scenario with no pinned counts would be (a pinned one is always searched in full).
  const plain = reduce ? {...scenario, expect: {}} : scenario
  const result = await exploreScenario(plain, await benches.for(scenario), {signal, parallel: 2, keep: 'counts', reduce, onRunResult})
  return {result, outcomes, behaviours}
}

function counts(explored: ExploreResult): Counts {
  const {orders, impossibleOrders, divergentOrders, staleOrders, dirtyOrders, witness} = explored
  return {orders, impossibleOrders, divergentOrders, staleOrders, dirtyOrders, witness}
}

async function check(scenario: Scenario, want: Counts | null): Promise<void> {
  const full = await explore(scenario, false)
  assert.equal(full.result.reduced, false)
  if (want) assert.deepEqual(counts(full.result), want, scenario.name)
  const reduced = await explore(scenario, true)
  assert.equal(reduced.result.reduced, true, scenario.name)
  assert.deepEqual([...reduced.outcomes].sort(), [...full.outcomes].sort(), `${scenario.name}: the reduced search finds what every order finds`)
  assert.deepEqual([...reduced.behaviours].sort(), [...full.behaviours].sort(), `${scenario.name}: the same behaviours`)
  assert.ok(reduced.result.orders <= full.result.orders, `${scenario.name}: ${reduced.result.orders} classes of ${full.result.orders} orders`)
  if (reduced.result.ordersRepresented !== null) {
    assert.equal(reduced.result.ordersRepresented, full.result.orders, `${scenario.name}: the classes stand for every order`)
  }
}

describe('explore counts stay what they were, and the reduced search finds the same', () => {
  it('every built-in scenario', async () => {
    const scenarios = await loadBuiltInScenarios()
    assert.deepEqual(scenarios.map((s) => s.name).sort(), Object.keys(fixture.builtIn).sort())
    for (const scenario of scenarios) await check(scenario, fixture.builtIn[scenario.name]!)
  })

  it('every matrix cell', async () => {
    const scenarios = await loadMatrixScenarios()
    assert.deepEqual(scenarios.map((s) => s.name).sort(), Object.keys(fixture.matrix).sort())
    for (const scenario of scenarios) {
      const {verdict: _verdict, ...want} = fixture.matrix[scenario.name]!
      await check(scenario, want)
    }
  })
})

describe("the reduced search on apps (a sleep's end is a step; a lock key besides the cache key)", () => {
  it('finds what every order finds', async () => {
    const apps = fileURLToPath(new URL('../../../test/fixtures/apps/', import.meta.url))
    for (const app of ['locked-refill.ts', 'hash-cache.ts', 'polls.ts']) {
      for (const race of ['two-writers', 'cold-refill', 'warm-read']) {
        const [scenario] = await appScenarios(race, path.join(apps, app))
        await check(scenario!, null)
      }
    }
    // Two readers: one holds the lock while the other's steps on the cache key go between.
    await check(await loadScenarioFile(path.join(apps, 'locked-refill-two-readers.yaml')), null)
  })
})

/** Strategies that need no binlog and no replica: a random scenario runs on the plain servers. */
const PLAIN = ['update-then-delete', 'update-then-update', 'delete-then-update', 'cache-first', 'delayed-double-delete', 'double-check-lock', 'lease', 'ttl-only', 'versioned-cas', 'versioned-cas-bare-del', 'write-lock']

describe('the reduced search on randomly made small scenarios', () => {
  it('finds what every order finds', async () => {
    const random = seededRandom(2026)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
    for (let trial = 0; trial < 8; trial++) {
      const strategy = pick(PLAIN)
      const names = ['A', 'B', 'C'].slice(0, 2 + Math.floor(random() * 2))
      const actors = names.map((name, i) => `  ${name}: { op: ${pick(['read', 'write'])}, value: ${90 - i} }`).join('\n')
      const yaml = `name: random-${trial}\nstrategy: ${strategy}\ninitial: { db: 100, cache: ${pick(['null', '100'])} }\nactors:\n${actors}\n`
      await check(parseScenario(yaml.replace(/op: read, value: \d+/g, 'op: read'), `random-${trial}.yaml`), null)
    }
  })
})
