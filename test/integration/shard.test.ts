import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {exploreScenario} from '../../src/run/explore-scenario.js'
import {type ExploreJson, toExploreJson} from '../../src/report/json.js'
import {mergeExplored} from '../../src/report/merge-explored.js'
import {loadBuiltInScenarios} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'
import {runCli, testWorkbenches} from '../helpers/stores.js'

const builtIn = await loadBuiltInScenarios()
const {benches, signal} = testWorkbenches()
const named = (name: string) => builtIn.find((s) => s.name === name)!

const explore = async (s: Scenario, shard?: {index: number; count: number}) =>
  toExploreJson(await exploreScenario(s, await benches.for(s), {signal, ...(shard ? {shard} : {})}))

/** What an unsharded explore and merged shards must agree on. */
const totals = (r: ExploreJson) => ({
  orders: r.orders,
  impossible: r.impossibleOrders,
  divergent: r.divergentOrders,
  stale: r.staleOrders,
  dirty: r.dirtyOrders,
  behaviours: [r.behaviours, r.divergentBehaviours, r.staleBehaviours, r.dirtyBehaviours],
  witness: r.witness,
  matchesExpected: r.matchesExpected,
  complete: r.complete,
  orderList: r.runs.map((run) => `${run.order} ${run.verdict}`),
})

describe('explore --shard i/n and merge', () => {
  // First, before this file's own connections hold the test namespace.
  it('cachesim merge joins shard files, and refuses a split with a shard missing', async () => {
    const dir = tmpdir()
    const files: string[] = []
    for (const i of [1, 2]) {
      const result = await runCli(['explore', 'utd-cold-cache-refill', '--shard', `${i}/2`, '--json'])
      assert.equal(result.code, 0, result.stderr)
      const file = path.join(dir, `cachesim-shard-${process.pid}-${i}.json`)
      await writeFile(file, result.stdout)
      files.push(file)
    }
    const merged = await runCli(['merge', ...files, '--json'])
    assert.equal(merged.code, 0, merged.stderr)
    const [r] = JSON.parse(merged.stdout) as ExploreJson[]
    assert.equal(r!.orders, 10)
    assert.equal(r!.divergentOrders, 1)
    assert.equal(r!.matchesExpected, true)
    const missing = await runCli(['merge', files[0]!])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /the shards do not make a whole/)
  })

  for (const [name, count] of [['dtu-reader-refills-old', 3], ['wl-reader-writer', 2], ['dcl-three-readers-redis-lock', 4], ['uu-normal-order', 5]] as const) {
    it(`${name}: ${count} shards merged give the unsharded totals, order for order`, async () => {
      const whole = await explore(named(name))
      const shards = []
      for (let index = 0; index < count; index++) shards.push(await explore(named(name), {index, count}))
      assert.ok(shards.every((s) => s.orders < whole.orders), 'every shard searches a part')
      const [merged] = mergeExplored(shards.map((s, i) => ({file: `shard-${i + 1}.json`, results: [s]})))
      assert.deepEqual(totals(merged!), totals(whole))
      assert.equal(merged!.witnessRun?.order ?? null, whole.witnessRun?.order ?? null)
    })
  }
})
