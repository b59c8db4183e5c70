import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, it} from 'node:test'

import {Redis} from 'ioredis'

import {exploreScenario, type ExploreResult} from '../../src/run/explore-scenario.js'
import {loadMatrixScenarios, loadScenarioFile, parseScenario} from '../../src/scenario/load.js'
import {appScenarios, APP_RACES} from '../../src/scenario/resolve.js'
import {runScenario} from '../../src/run/run-scenario.js'
import {pairSteps} from '../../src/history/history.js'
import {parseOrder} from '../../src/scenario/order.js'
import {scriptSelector} from '../../src/schedule/script.js'
import {SteppedSchedule} from '../../src/schedule/stepped.js'
import {keysMatching, testPrefix, testRedisUrl, testWorkbenches} from '../helpers/stores.js'

/** Sources, not dist: apps are loaded from their TypeScript, as a user's are. */
const root = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = (name: string) => path.join(root, 'test/fixtures/apps', name)
const example = (name: string) => path.join(root, 'examples', name)

const {benches, signal} = testWorkbenches()

const counts = (r: ExploreResult) => ({
  orders: r.orders,
  impossible: r.impossibleOrders,
  divergent: r.divergentOrders,
  stale: r.staleOrders,
  dirty: r.dirtyOrders,
  worst: r.worst,
})

async function explore(target: string, app: string): Promise<ExploreResult> {
  const [scenario] = await appScenarios(target, app)
  // Every order: these tests count the orders an app's steps make.
  return exploreScenario(scenario!, await benches.for(scenario!), {signal, reduce: false})
}

describe('an app module raced like a strategy', () => {
  it('update-then-delete written as an app explores exactly like the built-in, race by race', async () => {
    const builtIn = await loadMatrixScenarios()
    for (const race of APP_RACES) {
      const template = builtIn.find((s) => s.name === `${race}.update-then-delete`)!
      const expected = await exploreScenario(template, await benches.for(template), {signal, reduce: false})
      const raced = await explore(race, example('update-then-delete/app.ts'))
      assert.deepEqual(counts(raced), counts(expected), race)
      // And reduced: its steps commute as the built-in's do.
      const [app] = await appScenarios(race, example('update-then-delete/app.ts'))
      const reducedApp = await exploreScenario(app!, await benches.for(app!), {signal, reduce: true})
      const reducedBuiltIn = await exploreScenario(template, await benches.for(template), {signal, reduce: true})
      if (race === 'two-writers') {
        // Except that the built-in's two DELs commute (their counts are dropped), and the app's
        // do not (its code may read how many keys a DEL removed): fewer classes, the same outcomes.
        assert.ok(reducedBuiltIn.orders < reducedApp.orders, `${race}, reduced: ${reducedBuiltIn.orders} against ${reducedApp.orders}`)
        assert.deepEqual({...counts(reducedApp), orders: 0}, {...counts(reducedBuiltIn), orders: 0}, `${race}, reduced`)
      } else {
        assert.deepEqual(counts(reducedApp), counts(reducedBuiltIn), `${race}, reduced`)
      }
    }
  })

  it('a cache kept in a hash (readCache, writeCache) races as update-then-delete does', async () => {
    const builtIn = await loadMatrixScenarios()
    for (const race of ['cold-refill', 'warm-read', 'two-writers']) {
      const template = builtIn.find((s) => s.name === `${race}.update-then-delete`)!
      const expected = await exploreScenario(template, await benches.for(template), {signal, reduce: false})
      assert.deepEqual(counts(await explore(race, fixture('hash-cache.ts'))), counts(expected), race)
    }
  })

  it("a step on another key changes nothing in the cache, whatever went while it waited at its gate", async () => {
    // C reaches its SET NX of the lock key before B fills the cache, and goes after: its step
    // says nothing of the cache (it said "cache → null", the value when C reached its gate).
    const scenario = await loadScenarioFile(fixture('locked-refill-two-readers.yaml'))
    const order = 'B:redis.GET B:redis.SET B:redis.GET B:db.select C:redis.GET B:redis.SET C:redis.SET B:redis.EVAL C:timer C:redis.GET'
    const run = await runScenario(scenario, await benches.for(scenario), {
      schedule: (hooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(parseOrder(order)), ...hooks}),
      signal,
    })
    const effects = pairSteps(run.entries).map((s) => `${s.actor}:${s.step}${s.effect ? ' ' + JSON.stringify(s.effect) : ''}`)
    assert.deepEqual(effects, [
      'B:redis.GET', 'B:redis.SET', 'B:redis.GET', 'B:db.select', 'C:redis.GET', 'B:redis.SET {"cache":100}', 'C:redis.SET', 'B:redis.EVAL', 'C:timer', 'C:redis.GET',
    ])
    assert.deepEqual(run.operations.map((o) => o.value), [100, 100])
  })

  it('the user cache before its fix: a stale refill lands in some order of the cold-refill race', async () => {
    const result = await explore('cold-refill', example('user-cache/app.ts'))
    assert.ok(result.divergentOrders > 0)
    assert.equal(result.witness, 'B:redis.GET B:db.select A:db.update A:redis.DEL B:redis.SET')
  })

  it('the user cache after its fix (a generation counter): consistent in every order of the same race', async () => {
    const result = await explore('cold-refill', example('user-cache/app-fixed.ts'))
    assert.ok(result.orders > 10, `${result.orders} orders`)
    assert.equal(result.divergentOrders, 0)
    assert.equal(result.impossibleOrders, 0)
  })

  // Each client API the seam gates, in an app whose race is update-then-delete's: if a call slipped
  // past its gate, the orders (10) and the divergent one (1) would not be found.
  for (const [file, fill, invalidate] of [
    ['ioredis-duplicate.ts', 'redis.PIPELINE', 'redis.UNLINK'],
    ['node-redis-v5.ts', 'redis.MULTI', 'redis.DEL'],
    ['node-redis-v4.ts', 'redis.MULTI', 'redis.DEL'],
  ] as const) {
    it(`gates ${file.replace('.ts', '')}: its fill (${fill}) and invalidation (${invalidate}) are steps`, async () => {
      const result = await explore('cold-refill', fixture(file))
      assert.equal(result.orders, 10)
      assert.equal(result.divergentOrders, 1)
      assert.equal(result.witness, `B:redis.GET B:db.select A:db.update A:${invalidate} B:${fill}`)
    })
  }

  for (const file of ['transaction.ts', 'pool-transaction.ts']) {
    it(`an app's transaction is followed (${file}): a second writer's UPDATE waiting for the row lock is seen, not timed out`, async () => {
      const started = performance.now()
      const result = await explore('two-writers', fixture(file))
      assert.equal(result.impossibleOrders, 0)
      assert.equal(result.divergentOrders, 0)
      assert.ok(result.orders > 8, `${result.orders} orders`)
      // A wait the schedule missed would cost InnoDB's 10 s lock-wait timeout in some order.
      assert.ok(result.orderRuns.every((run) => run.durationMs < 5000), `${Math.round(performance.now() - started)} ms`)
    })
  }

  it("a refresh an app leaves running after read() resolved is its reader's steps, and its SET can land after the delete", async () => {
    const result = await explore('warm-read', fixture('background-refresh.ts'))
    // B: GET, then in the background SELECT and SET; A: UPDATE, DEL. Every order completes.
    assert.deepEqual(counts(result), {orders: 10, impossible: 0, divergent: 1, stale: 3, dirty: 0, worst: 'divergent'})
    assert.equal(result.witness, 'B:redis.GET B:db.select A:db.update A:redis.DEL B:redis.SET')
  })

  it("an example scenario names its app relative to itself and pins the app's outcome", async () => {
    const scenario = await loadScenarioFile(example('user-cache/scenarios/cold-refill-before.yaml'))
    assert.equal(scenario.strategy, 'user-cache')
    assert.equal(scenario.app?.file, example('user-cache/app.ts'))
    const result = await exploreScenario(scenario, await benches.for(scenario), {signal})
    assert.equal(result.matchesExpected, true, result.mismatches.join('; '))
  })

  // Runs side by side each get a prefix of their own (and reset only their own keys): a bus or sync
  // channel an app names from its prefix is then one run's, and no run loses a key another just set.
  for (const file of ['bentocache-l1-bus-cold-refill.yaml', 'cacheable-sync-cold-refill.yaml', 'bentocache-cold-refill.yaml']) {
    it(`explore --parallel 3 finds what one at a time finds (${file.replace('.yaml', '')})`, async () => {
      const scenario = await loadScenarioFile(example(`libraries/scenarios/${file}`))
      const bench = await benches.for(scenario)
      const outcome = (r: ExploreResult) => ({...counts(r), behaviours: r.behaviours, divergentBehaviours: r.divergentBehaviours})
      const alone = outcome(await exploreScenario(scenario, bench, {signal, reduce: false}))
      assert.ok(alone.divergent > 0, `${file}: ${alone.divergent} divergent`)
      for (let i = 0; i < 2; i += 1) {
        assert.deepEqual(outcome(await exploreScenario(scenario, bench, {signal, reduce: false, parallel: 3})), alone, `${file}, --parallel 3, try ${i + 1}`)
      }
      // And the extra runs' keys are gone when it ends.
      const redis = new Redis(testRedisUrl)
      try {
        assert.deepEqual([...(await keysMatching(redis, `${testPrefix}2:*`)), ...(await keysMatching(redis, `${testPrefix}3:*`))], [])
      } finally {
        await redis.quit()
      }
    })
  }

  // soft-timeout.ts: B's refill on a miss is waited for at most 100 ms (then B answers null and
  // the refill leaves the cache alone); A yields to a 0 ms timer between its UPDATE and its DEL.
  describe("an app's timers go by the run's clock, not the machine's", () => {
    const ordered = async (order: string, pauseMs: number | null, race = 'cold-refill', app = fixture('soft-timeout.ts')) => {
      const [template] = await appScenarios(race, app)
      const scenario = {...template!, faults: pauseMs === null ? [] : [{actor: 'B', step: 'db.select', kind: 'pause' as const, ms: pauseMs}]}
      return runScenario(scenario, await benches.for(scenario), {
        schedule: (hooks) => new SteppedSchedule({kind: 'script', selector: scriptSelector(parseOrder(order)), ...hooks}),
        signal,
      })
    }

    it('a soft timeout fires at a pause that passes its deadline: the read answers null and its refill sets nothing', async () => {
      const run = await ordered('B:redis.GET B:pause B:db.select A:db.update A:timer A:redis.DEL', 500)
      assert.equal(run.operations.find((o) => o.op === 'read')?.value, null)
      const pause = run.entries.find((e) => e.type !== 'invoke' && e.step === 'pause')
      assert.equal(pause?.note, "500 ms before db.select (injected); then B's 100 ms timer fired")
      assert.deepEqual({db: run.db, cache: run.cache}, {db: 99, cache: null})
    })

    it("a pause shorter than the soft timeout leaves it set: the refill answers (A's 0 ms timer, due, fires there)", async () => {
      const run = await ordered('B:redis.GET A:db.update B:pause B:db.select B:redis.SET A:redis.DEL', 50)
      assert.equal(run.operations.find((o) => o.op === 'read')?.value, 99)
      const pause = run.entries.find((e) => e.type !== 'invoke' && e.step === 'pause')
      assert.equal(pause?.note, "50 ms before db.select (injected); then A's 0 ms timer fired")
    })

    it("bentocache's soft timeout (200 ms) fires in a longer pause: getOrSet answers the stale 100, and the factory goes on to SET the 99 it read", async () => {
      const order = 'B:redis.GET B:redis.GET A:db.update B:pause B:db.select A:redis.UNLINK B:redis.SET'
      const soft = example('libraries/bentocache-grace-soft.ts')
      const timedOut = await ordered(order, 500, 'warm-read', soft)
      assert.equal(timedOut.operations.find((o) => o.op === 'read')?.value, 100)
      assert.equal(timedOut.entries.find((e) => e.type !== 'invoke' && e.step === 'pause')?.note, "500 ms before db.select (injected); then B's 200 ms timer fired")
      assert.deepEqual({db: timedOut.db, cache: timedOut.cache}, {db: 99, cache: 99})
      // Within the soft timeout, getOrSet waits for its factory and answers what it read.
      const inTime = await ordered(order, 100, 'warm-read', soft)
      assert.equal(inTime.operations.find((o) => o.op === 'read')?.value, 99)
    })

    it("A's 0 ms yield is a step of its own (A:timer), which B's steps may come before or after: the race is update-then-delete's", async () => {
      const [scenario] = await appScenarios('cold-refill', fixture('soft-timeout.ts'))
      for (let i = 0; i < 2; i += 1) {
        const result = await exploreScenario(scenario!, await benches.for(scenario!), {signal, reduce: false, keep: 'runs'})
        // update-then-delete's 10 orders, A's timer step placed among them: 6!/(3!·3!).
        assert.deepEqual(counts(result), {orders: 20, impossible: 0, divergent: 1, stale: 0, dirty: 0, worst: 'divergent'}, `try ${i + 1}`)
        assert.equal(result.witness, 'B:redis.GET B:db.select A:db.update A:timer A:redis.DEL B:redis.SET')
        for (const run of result.runs) assert.match(run.order.join(' '), /A:db\.update.*A:timer.*A:redis\.DEL/)
      }
    })

    it('delayed double delete written as an app (a timers/promises sleep) explores exactly like the built-in, race by race', async () => {
      const builtIn = await loadMatrixScenarios()
      for (const race of APP_RACES) {
        const template = builtIn.find((s) => s.name === `${race}.delayed-double-delete`)!
        const expected = await exploreScenario(template, await benches.for(template), {signal, reduce: false})
        assert.deepEqual(counts(await explore(race, example('delayed-double-delete/app.ts'))), counts(expected), race)
      }
    })

    it("a sleeper polling for a change wakes again only after a step that may change something: the search ends", async () => {
      const [scenario] = await appScenarios('cold-refill', fixture('polls.ts'))
      const result = await exploreScenario(scenario!, await benches.for(scenario!), {signal, reduce: false, keep: 'runs'})
      assert.ok(result.complete)
      for (const run of result.runs) {
        const order = run.order.join(' ')
        // Between two of B's polls (a GET, then a sleep) A has taken a step.
        assert.doesNotMatch(order, /B:timer B:redis\.GET B:timer/, order)
        assert.equal(run.operations.find((o) => o.op === 'read')?.value, 99, order)
      }
      assert.ok(result.orders > 1 && result.orders < 100, `${result.orders} orders`)
    })

    it('a poll made with a MULTI of reads changes nothing either: it explores as the plain GET poll does', async () => {
      const plain = await explore('cold-refill', fixture('polls.ts'))
      const batched = await explore('cold-refill', fixture('polls-multi.ts'))
      assert.deepEqual(counts(batched), counts(plain))
      assert.equal(batched.timersCutOrders, 0)
    })

    it('a sleep that is not a poll (a second sleep after a DEL that found no key) is a step again: the SET that lands after the last DEL is found', async () => {
      const result = await explore('cold-refill', fixture('ddd-two-sleeps.ts'))
      assert.deepEqual({orders: result.orders, divergent: result.divergentOrders, complete: result.complete}, {orders: 56, divergent: 1, complete: true})
      assert.match(result.witness ?? '', /A:redis\.DEL A:timer A:redis\.DEL B:redis\.SET$/)
    })

    it("an order without the timer steps (as a run under real time prints it) replays: each sleeper's timer step goes just before its next step", async () => {
      const run = await ordered('B:redis.GET B:db.select A:redis.DEL A:db.update A:redis.DEL B:redis.SET', null, 'cold-refill', example('delayed-double-delete/app.ts'))
      assert.deepEqual(run.order, ['B:redis.GET', 'B:db.select', 'A:redis.DEL', 'A:db.update', 'A:timer', 'A:redis.DEL', 'B:redis.SET'])
      assert.deepEqual({db: run.db, cache: run.cache}, {db: 99, cache: 100})
    })

    it("two pollers do not wake each other: a poll that found nothing and a timer step change no store, so the search ends", async () => {
      const scenario = await loadScenarioFile(fixture('polls-two-readers.yaml'))
      const result = await exploreScenario(scenario, await benches.for(scenario), {signal, reduce: true, keep: 'runs', maxOrders: 5000})
      assert.ok(result.complete, `${result.orders} orders and more`)
      for (const run of result.runs) {
        const order = run.order.join(' ')
        assert.deepEqual(run.operations.filter((o) => o.op === 'read').map((o) => o.value), [99, 99], order)
        assert.equal(run.timersCut, undefined, order)
      }
    })

    it("a lock poll that failed (SET NX answered nil) changed nothing: the poller sleeps until the holder's next write, and the search stays small", async () => {
      const scenario = await loadScenarioFile(fixture('locked-refill-two-readers.yaml'))
      const result = await exploreScenario(scenario, await benches.for(scenario), {signal, reduce: false, maxOrders: 2000})
      // Were the failed poll a change, the poller would wake itself again and again while the
      // holder waits at its gate: over 10,000 orders.
      assert.deepEqual({orders: result.orders, complete: result.complete, divergent: result.divergentOrders}, {orders: 790, complete: true, divergent: 0})
    })

    it('a writer that sleeps three times (three delayed double deletes in a row) explores like the built-in: no sleep after the first is cut', async () => {
      const yaml = (target: string) =>
        `name: ddd-three-writes\n${target}\ninitial: { db: 100, cache: 100 }\nactors:\n  A: { ops: [ {op: write, value: 91}, {op: write, value: 92}, {op: write, value: 93} ] }\n  B: { op: read }\n`
      const builtIn = parseScenario(yaml('strategy: delayed-double-delete'), 'ddd-three-writes.yaml')
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'cachesim-ddd-')), 'ddd-three-writes.yaml')
      writeFileSync(file, yaml(`app: ${JSON.stringify(example('delayed-double-delete/app.ts'))}`))
      const asApp = await loadScenarioFile(file)
      const expected = counts(await exploreScenario(builtIn, await benches.for(builtIn), {signal, reduce: false}))
      assert.deepEqual(counts(await exploreScenario(asApp, await benches.for(asApp), {signal, reduce: false})), expected)
      assert.equal(expected.orders, 365)
    })

    it("a heartbeat interval in the sleeper does not end its sleep: its timer step fires its timers until it goes on, and it explores like the built-in", async () => {
      const builtIn = await loadMatrixScenarios()
      const template = builtIn.find((s) => s.name === 'cold-refill.delayed-double-delete')!
      const expected = await exploreScenario(template, await benches.for(template), {signal, reduce: false})
      const heartbeat = await explore('cold-refill', fixture('ddd-heartbeat.ts'))
      assert.deepEqual(counts(heartbeat), counts(expected))
      assert.ok(counts(heartbeat).divergent > 0)
    })

    it("a sleeper's timer step fires the due timers of an actor held at its gate: B's soft timeout has run out when B goes on", async () => {
      const run = await ordered('B:redis.GET A:db.update A:timer B:db.select A:redis.DEL', null, 'cold-refill', fixture('soft-timeout-sleeper.ts'))
      assert.equal(run.operations.find((o) => o.op === 'read')?.value, null)
      const timer = run.entries.find((e) => e.type !== 'invoke' && e.step === 'timer')
      assert.equal(timer?.note, "B's 100 ms timer fired, A's 500 ms timer fired")
      assert.deepEqual({db: run.db, cache: run.cache}, {db: 99, cache: null})
    })
  })
})
