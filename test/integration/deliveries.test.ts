import assert from 'node:assert/strict'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, it} from 'node:test'

import {exploreScenario} from '../../src/run/explore-scenario.js'
import {runScenario} from '../../src/run/run-scenario.js'
import {parseOrder} from '../../src/scenario/order.js'
import {appScenarios} from '../../src/scenario/resolve.js'
import {scriptSelector} from '../../src/schedule/script.js'
import {SteppedSchedule} from '../../src/schedule/stepped.js'
import {testWorkbenches} from '../helpers/stores.js'

/** Sources, not dist: apps are loaded from their TypeScript, as a user's are. */
const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string) => path.join(root, 'test/fixtures/apps', name)

const {benches, signal} = testWorkbenches()

// warm-read: A writes 99 (UPDATE, then PUBLISH 99), B reads (GET, then its L1 if a message filled
// it). Each subscriber's listener takes 100 ms before it fills its L1: left to timing, B's GET
// would go while the message is still being handled, and B would read Redis's 100.
describe('a PUBLISH inside a MULTI is waited for as a PUBLISH is', () => {
  // pubsub-l1-multi-pattern.ts (and the node-redis v5 and v4 MULTIs after it): the subscribers
  // are pattern ones, which PUBSUB NUMSUB does not count; the PUBLISH's own reply in the EXEC's
  // answer does.
  for (const file of ['pubsub-l1-multi.ts', 'pubsub-l1-multi-pattern.ts', 'pubsub-l1-multi-node-redis.ts', 'pubsub-l1-multi-node-redis-v4.ts']) {
    it(`B's GET after A's MULTI finds the message handled, and the MULTI's note says whom it reached (${file})`, async () => {
      const [scenario] = await appScenarios('warm-read', fixture(file))
      const order = parseOrder('A:db.update A:redis.MULTI B:redis.GET')
      const run = await runScenario(scenario!, await benches.for(scenario!), {
        schedule: (hooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(order), ...hooks}),
        signal,
      })
      assert.equal(run.operations.find((o) => o.op === 'read')?.value, 99)
      assert.deepEqual(run.views, {A: 99, B: 99})
      assert.equal(run.entries.find((e) => e.type !== 'invoke' && e.step === 'redis.MULTI')?.note, 'delivered to A and B before the next step')
    })
  }
})

for (const file of ['pubsub-l1.ts', 'pubsub-l1-node-redis.ts']) {
  describe(`pub/sub delivery is a matter of the schedule (${file})`, () => {
    it("B's GET after A's PUBLISH finds the message handled: B reads 99 from its L1, and the history says who it reached", async () => {
      const [scenario] = await appScenarios('warm-read', fixture(file))
      const order = parseOrder('A:db.update A:redis.PUBLISH B:redis.GET')
      const run = await runScenario(scenario!, await benches.for(scenario!), {
        schedule: (hooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(order), ...hooks}),
        signal,
      })
      assert.deepEqual(run.order, ['A:db.update', 'A:redis.PUBLISH', 'B:redis.GET'])
      const read = run.operations.find((o) => o.op === 'read')
      assert.equal(read?.value, 99)
      assert.deepEqual(run.views, {A: 99, B: 99})
      const publish = run.entries.find((e) => e.type !== 'invoke' && e.step === 'redis.PUBLISH')
      assert.equal(publish?.note, 'delivered to A and B before the next step')
    })

    it('every order of the race: each ends with both L1s holding 99, and B reads 99 in every order where the PUBLISH goes first', async () => {
      const [scenario] = await appScenarios('warm-read', fixture(file))
      const result = await exploreScenario(scenario!, await benches.for(scenario!), {signal, reduce: false, keep: 'runs'})
      assert.equal(result.orders, 3)
      for (const run of result.runs) {
        assert.deepEqual(run.views, {A: 99, B: 99}, run.order.join(' '))
        const read = run.operations.find((o) => o.op === 'read')
        const published = run.order.indexOf('A:redis.PUBLISH') < run.order.indexOf('B:redis.GET')
        assert.equal(read?.value, published ? 99 : 100, run.order.join(' '))
      }
    })
  })
}
