import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {exploreScenario} from '../../src/run/explore-scenario.js'
import {loadBuiltInScenarios, loadMatrixScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {testWorkbenches} from '../helpers/stores.js'

/**
 * Every order of every built-in and matrix scenario, counted as the explorer counted them
 * before steps carried their effects (test/fixtures/explore-counts.json, written from
 * `cachesim explore all --json` and `cachesim matrix --json`). A change to how steps, checks
 * or the scheduler work must leave every count, witness and verdict as it was.
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

async function counts(scenario: Scenario): Promise<Counts> {
  const explored = await exploreScenario(scenario, await benches.for(scenario), {signal, parallel: 2})
  const {orders, impossibleOrders, divergentOrders, staleOrders, dirtyOrders, witness} = explored
  return {orders, impossibleOrders, divergentOrders, staleOrders, dirtyOrders, witness}
}

describe('explore counts stay what they were', () => {
  it('every built-in scenario', async () => {
    const scenarios = await loadBuiltInScenarios()
    assert.deepEqual(scenarios.map((s) => s.name).sort(), Object.keys(fixture.builtIn).sort())
    for (const scenario of scenarios) assert.deepEqual(await counts(scenario), fixture.builtIn[scenario.name], scenario.name)
  })

  it('every matrix cell', async () => {
    const scenarios = await loadMatrixScenarios()
    assert.deepEqual(scenarios.map((s) => s.name).sort(), Object.keys(fixture.matrix).sort())
    for (const scenario of scenarios) {
      const {verdict: _verdict, ...want} = fixture.matrix[scenario.name]!
      assert.deepEqual(await counts(scenario), want, scenario.name)
    }
  })
})
