import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {InterruptedError} from '../../src/errors/interrupted-error.js'
import type {InjectedDelay} from '../../src/scenario/delays.js'
import {DelaySchedule} from '../../src/schedule/delays.js'
import {exploreAllOrders, planSelector, prefixSelector} from '../../src/schedule/explore.js'
import {type ServerWaitProbe, SteppedSchedule, StepTimeoutError} from '../../src/schedule/stepped.js'
import {deferred} from '../../src/util/deferred.js'
import {type FakeActor, fakeActors, type FakeStep} from '../helpers/fake-actors.js'

const signal = new AbortController().signal

describe('DelaySchedule: real time, with pauses at named steps', () => {
  const run = async (actors: FakeActor[], delays: InjectedDelay[], abort = signal) => {
    const schedule = new DelaySchedule(delays)
    const log: string[] = []
    const outcome = await schedule.run(fakeActors(schedule, actors, abort, log), abort)
    return {outcome, log}
  }

  it('a pause after A\'s first step lets B go in between (the seed articles\' races)', async () => {
    const {outcome, log} = await run(
      [
        {name: 'A', steps: ['db.update', 'cache.del']},
        {name: 'B', steps: ['cache.get'], startAfterMs: 10},
      ],
      [{actor: 'A', when: 'after', step: 'db.update', ms: 150}],
    )
    assert.deepEqual(outcome.order, ['A:db.update', 'B:cache.get', 'A:cache.del'])
    assert.deepEqual(log, outcome.order)
    assert.equal(outcome.injectedMs, 150)
    assert.deepEqual(outcome.unfiredDelays, [])
    assert.deepEqual(outcome.decisions, [])
    assert.equal(outcome.stuck, null)
  })

  it('a pause with an occurrence waits only that time; one whose step never comes is reported unfired', async () => {
    const second: InjectedDelay = {actor: 'A', when: 'before', step: 'cache.set', ms: 150, occurrence: 2}
    const never: InjectedDelay = {actor: 'B', when: 'before', step: 'cache.get', ms: 500, occurrence: 2}
    const {outcome} = await run(
      [
        {name: 'A', steps: ['cache.set', 'cache.set']},
        {name: 'B', steps: ['cache.get'], startAfterMs: 30},
      ],
      [second, never],
    )
    assert.deepEqual(outcome.order, ['A:cache.set', 'B:cache.get', 'A:cache.set'])
    assert.equal(outcome.injectedMs, 150)
    assert.deepEqual(outcome.unfiredDelays, [never])
  })

  it('Ctrl-C during a pause ends the run at once', async () => {
    const controller = new AbortController()
    const started = performance.now()
    setTimeout(() => controller.abort(new InterruptedError()), 20)
    await assert.rejects(run([{name: 'A', steps: ['db.update']}], [{actor: 'A', when: 'before', step: 'db.update', ms: 5000}], controller.signal), InterruptedError)
    assert.ok(performance.now() - started < 2000)
  })
})

/** A row lock as InnoDB holds it: an UPDATE in A's transaction takes it, A's COMMIT frees it, B's UPDATE waits meanwhile. */
function rowLock() {
  let holder: string | null = null
  let freed = deferred()
  const waiting = new Set<string>()
  const update = (actor: string, transaction: boolean): FakeStep => ({
    name: 'db.update',
    run: async () => {
      while (holder !== null && holder !== actor) {
        waiting.add(actor)
        await freed.promise
        waiting.delete(actor)
      }
      if (transaction) holder = actor
    },
  })
  const commit: FakeStep = {
    name: 'db.commit',
    run: () => {
      holder = null
      freed.resolve()
      freed = deferred()
    },
  }
  const probe: ServerWaitProbe = {
    mayWait: (actor) => holder !== null && holder !== actor,
    waiting: async (actors) => new Set(actors.filter((a) => waiting.has(a))),
  }
  return {update, commit, probe}
}

describe('SteppedSchedule: one step at a time, through its public hooks', () => {
  it('asks before each release, and releases in the order it chose', async () => {
    const seen: string[] = []
    const schedule = new SteppedSchedule({
      kind: 'script',
      selector: prefixSelector(['B', 'A', 'B']),
      beforeRelease: async (next, position) => void seen.push(`${position}:${next.actor}:${next.step}`),
    })
    const log: string[] = []
    const actors = [
      {name: 'A', steps: ['cache.get']},
      {name: 'B', steps: ['db.update', 'cache.del']},
    ]
    const outcome = await schedule.run(fakeActors(schedule, actors, signal, log), signal)
    assert.deepEqual(outcome.order, ['B:db.update', 'A:cache.get', 'B:cache.del'])
    assert.deepEqual(log, outcome.order)
    assert.deepEqual(seen, ['0:B:db.update', '1:A:cache.get', '2:B:cache.del'])
    assert.deepEqual(outcome.decisions.map((d) => d.position), [0, 1])
  })

  for (const withProbe of [true, false]) {
    it(`a statement waiting for a row lock at the server lets the others go on (${withProbe ? 'the probe says so' : 'no probe: taken as blocked after 200 ms'})`, async () => {
      const runOrder = async (plan: Parameters<typeof planSelector>[0]) => {
        const lock = rowLock()
        const schedule = new SteppedSchedule({kind: 'explore', selector: planSelector(plan), ...(withProbe ? {probe: lock.probe} : {})})
        const actors = [
          {name: 'A', steps: [lock.update('A', true), lock.commit]},
          {name: 'B', steps: [lock.update('B', false)]},
        ]
        return schedule.run(fakeActors(schedule, actors, signal), signal)
      }
      const explored = await exploreAllOrders(runOrder, {signal, maxOrders: 100, parallel: 1})
      assert.deepEqual(explored.runs.map((r) => r.order.join(' ')).sort(), [
        'A:db.update A:db.commit B:db.update',
        'A:db.update B:db.update A:db.commit',
        'B:db.update A:db.update A:db.commit',
      ])
      assert.ok(explored.runs.every((r) => r.stuck === null))
    })
  }

  it('a step that neither ends nor waits on a lock times out, and its call is ended (unstick)', async () => {
    const hung = deferred()
    const unstuck: string[] = []
    const schedule = new SteppedSchedule({
      kind: 'explore',
      selector: prefixSelector([]),
      probe: {mayWait: () => false, waiting: async () => new Set()},
      stepTimeoutMs: 300,
      unstick: async (actors) => {
        unstuck.push(...actors)
        hung.reject(new Error('KILL QUERY'))
      },
    })
    const actors = [{name: 'A', steps: [{name: 'db.update', run: () => hung.promise}]}]
    await assert.rejects(schedule.run(fakeActors(schedule, actors, signal), signal), (e: unknown) => e instanceof StepTimeoutError && /A's db\.update did not finish within 300 ms/.test(e.message))
    assert.deepEqual(unstuck, ['A'])
  })

  it('Ctrl-C while actors wait at their gates ends the run with the abort reason', async () => {
    const controller = new AbortController()
    const schedule = new SteppedSchedule({
      kind: 'script',
      selector: prefixSelector([]),
      beforeRelease: async (_next, position) => {
        if (position === 1) controller.abort(new InterruptedError())
      },
    })
    const actors = [{name: 'A', steps: ['cache.get', 'cache.set', 'cache.del']}]
    await assert.rejects(schedule.run(fakeActors(schedule, actors, controller.signal), controller.signal), InterruptedError)
  })
})
