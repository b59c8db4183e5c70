import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {prefixSelector} from '../../src/schedule/explore.js'
import {MAX_TIMER_STEPS, type PendingStep, type ScheduleTimers, type SelectionContext, type Selector, SteppedSchedule, StuckError} from '../../src/schedule/stepped.js'
import type {ActorTask, Schedule, StepRequest} from '../../src/schedule/types.js'
import {deferred} from '../../src/util/deferred.js'
import {fakeActors, FakeLock} from '../helpers/fake-actors.js'

/**
 * The gate-and-select loop of SteppedSchedule with fake actors: what the selector is shown, what
 * is recorded, and how a run ends. The block detector has tests of its own (block-detector.test.ts).
 */

const signal = new AbortController().signal

/** A selector that follows `inner` and keeps what it was shown at each choice. */
function watching(inner: Selector): Selector & {shown: {enabled: PendingStep[]; context: SelectionContext}[]; finished: number[]} {
  const shown: {enabled: PendingStep[]; context: SelectionContext}[] = []
  const finished: number[] = []
  return {
    shown,
    finished,
    choose(enabled, context) {
      shown.push({enabled: [...enabled], context: {...context, blocked: [...context.blocked], finished: [...context.finished]}})
      return inner.choose(enabled, context)
    },
    finish: (steps) => void finished.push(steps),
  }
}

/**
 * An actor written by hand: its steps go through the gates as the step seam sends them, and
 * between two steps it may await something of its own (`between`), as an app does.
 */
function handActor(
  schedule: Schedule,
  name: string,
  steps: string[],
  between: (index: number) => Promise<void> = async () => {},
  operation?: 'read' | 'write',
): ActorTask {
  return {
    name,
    startAfterMs: 0,
    body: async () => {
      for (const [index, step] of steps.entries()) {
        if (index > 0) await between(index)
        const request: StepRequest = {actor: name, step, occurrence: 1, sends: null, ...(operation ? {operation} : {})}
        await schedule.beforeStep(request, signal)
        await schedule.afterStep(request, signal)
      }
    },
  }
}

describe('SteppedSchedule: the gate-and-select loop', () => {
  it('shows the selector every step at its gate, in actor-name order, and records a decision only where more than one could go', async () => {
    const selector = watching(prefixSelector([]))
    const schedule = new SteppedSchedule({kind: 'explore', selector})
    // Given out of name order: the selector still sees A before B.
    const actors = [
      {name: 'B', steps: ['db.update', 'cache.del']},
      {name: 'A', steps: ['cache.get']},
    ]
    const outcome = await schedule.run(fakeActors(schedule, actors, signal), signal)
    assert.deepEqual(outcome.order, ['A:cache.get', 'B:db.update', 'B:cache.del'])
    assert.deepEqual(
      selector.shown.map(({enabled}) => enabled.map((p) => `${p.actor}:${p.step}`).join(' ')),
      ['A:cache.get B:db.update', 'B:db.update', 'B:cache.del'],
    )
    assert.deepEqual(selector.shown.map(({context}) => context.position), [0, 1, 2])
    assert.deepEqual(selector.shown.map(({context}) => context.finished), [[], ['A'], ['A']])
    assert.deepEqual(outcome.decisions, [
      {position: 0, enabled: ['A', 'B'], steps: [{actor: 'A', step: 'cache.get'}, {actor: 'B', step: 'db.update'}], chosen: 'A'},
    ])
    assert.deepEqual(outcome.released.map((r) => `${r.actor}:${r.step}`), outcome.order)
    assert.deepEqual(selector.finished, [3])
    assert.equal(outcome.stuck, null)
  })

  it('shows the selector who is blocked and what for, and lets the blocked actor try again after each step', async () => {
    const selector = watching(prefixSelector(['A', 'B']))
    const schedule = new SteppedSchedule({kind: 'explore', selector})
    const lock = new FakeLock()
    const actors = ['A', 'B'].map((name) => ({name, steps: [lock.acquire(name), lock.release(name)]}))
    const outcome = await schedule.run(fakeActors(schedule, actors, signal), signal)
    assert.deepEqual(outcome.order, ['A:lock.acquire', 'B:lock.acquire', 'A:lock.release', 'B:lock.release'])
    // After B's acquire found the lock taken, only A can go, and B is shown as blocked.
    assert.deepEqual(selector.shown[2]?.context.blocked, [{actor: 'B', step: 'lock.acquire', reason: 'waits for lock, held by A'}])
    assert.deepEqual(selector.shown[2]?.enabled.map((p) => p.actor), ['A'])
    assert.deepEqual(selector.shown[3]?.context.blocked, [])
    assert.deepEqual(
      outcome.decisions.map(({position, enabled, chosen}) => ({position, enabled, chosen})),
      [
        {position: 0, enabled: ['A', 'B'], chosen: 'A'},
        {position: 1, enabled: ['A', 'B'], chosen: 'B'},
      ],
    )
  })

  it('a step of a read path is shown to the selector as reading, and recorded so in decisions and released steps', async () => {
    const selector = watching(prefixSelector([]))
    const schedule = new SteppedSchedule({kind: 'explore', selector})
    const actors = [handActor(schedule, 'A', ['db.update'], undefined, 'write'), handActor(schedule, 'B', ['cache.get'], undefined, 'read')]
    const outcome = await schedule.run(actors, signal)
    assert.deepEqual(selector.shown[0]?.enabled.map((p) => `${p.actor} ${p.reading}`), ['A false', 'B true'])
    assert.deepEqual(outcome.decisions[0]?.steps, [{actor: 'A', step: 'db.update'}, {actor: 'B', step: 'cache.get', reading: true}])
    assert.deepEqual(outcome.released, [{actor: 'A', step: 'db.update'}, {actor: 'B', step: 'cache.get', reading: true}])
  })

  it('a selector that picks an actor that cannot go is an internal error, and every held actor is let go', async () => {
    const schedule = new SteppedSchedule({kind: 'explore', selector: {choose: () => 'C'}})
    const log: string[] = []
    const actors = [
      {name: 'A', steps: ['cache.get']},
      {name: 'B', steps: ['cache.get']},
    ]
    const tasks = fakeActors(schedule, actors, signal, log)
    const ended: string[] = []
    const watched = tasks.map((task) => ({...task, body: () => task.body().catch(() => void ended.push(task.name))}))
    await assert.rejects(schedule.run(watched, signal), /internal: the selector chose C, who cannot go now/)
    assert.deepEqual(log, [])
    assert.deepEqual(ended.sort(), ['A', 'B'])
  })

  it('when every actor left is blocked the run is stuck: it says who waits for what, refuses later calls, and the selector is not told it finished', async () => {
    const selector = watching(prefixSelector(['A', 'B']))
    const unstuck: string[][] = []
    const schedule = new SteppedSchedule({kind: 'explore', selector, unstick: async (actors) => void unstuck.push([...actors])})
    const [one, two] = [new FakeLock('one'), new FakeLock('two')]
    const actors = [
      {name: 'A', steps: [one.acquire('A'), two.acquire('A'), two.release('A'), one.release('A')]},
      {name: 'B', steps: [two.acquire('B'), one.acquire('B'), one.release('B'), two.release('B')]},
    ]
    const outcome = await schedule.run(fakeActors(schedule, actors, signal), signal)
    assert.deepEqual(outcome.order, ['A:one.acquire', 'B:two.acquire', 'A:two.acquire', 'B:one.acquire'])
    assert.deepEqual(outcome.stuck, [
      {actor: 'A', step: 'two.acquire', reason: 'waits for two, held by B'},
      {actor: 'B', step: 'one.acquire', reason: 'waits for one, held by A'},
    ])
    assert.deepEqual(selector.finished, [])
    // Blocked in-process, not at the server: no store call is in flight.
    assert.deepEqual(unstuck, [])
    // The run is over: a late call is refused at its gate with the reason.
    await assert.rejects(schedule.beforeStep({actor: 'A', step: 'cache.get', occurrence: 1, sends: null}, signal), StuckError)
  })

  it('an actor that waits in-process between steps is passed over while the others go, and comes back when another step frees it', async () => {
    const selector = watching(prefixSelector(['B']))
    const schedule = new SteppedSchedule({kind: 'explore', selector, inProcessWaitMs: 50})
    // B's second step waits for something A's first step brings (a promise shared between callers).
    const shared = deferred()
    const actors = [
      handActor(schedule, 'A', ['db.update', 'cache.del'], async () => shared.resolve()),
      handActor(schedule, 'B', ['cache.get', 'cache.set'], () => shared.promise),
    ]
    const outcome = await schedule.run(actors, signal)
    assert.deepEqual(outcome.order, ['B:cache.get', 'A:db.update', 'A:cache.del', 'B:cache.set'])
    assert.equal(outcome.stuck, null)
    const [b] = selector.shown[1]?.context.blocked ?? []
    assert.equal(b?.actor, 'B')
    assert.equal(b?.step, 'after cache.get')
    assert.match(b?.reason ?? '', /^waits in-process/)
    assert.deepEqual(selector.finished, [4])
  })

  it('an actor that never comes back is left behind: the run ends stuck, says so, and does not wait for it', async () => {
    const schedule = new SteppedSchedule({kind: 'explore', selector: prefixSelector(['B']), inProcessWaitMs: 50})
    const never = new Promise<void>(() => {})
    const actors = [handActor(schedule, 'A', ['db.update']), handActor(schedule, 'B', ['cache.get', 'cache.set'], () => never)]
    const started = performance.now()
    const outcome = await schedule.run(actors, signal)
    assert.ok(performance.now() - started < 2000)
    assert.deepEqual(outcome.order, ['B:cache.get', 'A:db.update'])
    assert.deepEqual(outcome.stuck?.map((s) => `${s.actor} ${s.step}`), ['B after cache.get'])
    assert.match(outcome.stuck?.[0]?.reason ?? '', /waits in-process/)
  })
})

/**
 * Timers an actor sleeps on, fired by hand: what an app's virtual timers are to the schedule
 * (run-scenario.ts gives the real ones). Each actor sleeps on one timer at a time.
 */
function handTimers(): {timers: ScheduleTimers; sleep: (actor: string) => Promise<void>} {
  const sleeping = new Map<string, () => void>()
  const fire = async (actor: string) => {
    const wake = sleeping.get(actor)
    sleeping.delete(actor)
    wake?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return {
    sleep: (actor) => new Promise<void>((resolve) => sleeping.set(actor, resolve)),
    timers: {
      waiting: (actor) => sleeping.has(actor),
      pending: () => sleeping.size > 0,
      fireNext: () => fire([...sleeping.keys()][0]!),
      async fireFor(actor, _others, more) {
        while (sleeping.has(actor) && (await more())) await fire(actor)
      },
    },
  }
}

describe("SteppedSchedule: a sleeper's timer step", () => {
  it('two pollers whose polls change nothing do not wake each other: each wakes again only after a step that may change a store', async () => {
    const {timers, sleep} = handTimers()
    // A selector that takes a timer step whenever one is offered: were a timer step (or a failed
    // poll) taken as a change, B and C would wake each other for ever.
    const eager: Selector = {
      choose(enabled, context) {
        if (context.position > 200) throw new Error('the run does not end')
        return (enabled.find((p) => p.step === 'timer') ?? enabled.find((p) => p.actor !== 'A') ?? enabled[0]!).actor
      },
    }
    const schedule = new SteppedSchedule({kind: 'explore', selector: eager, timers})
    let written = false
    // A poller: SET NX of a lock another holds (its reply says it did nothing), then a sleep, until A has written.
    const poller = (name: string): ActorTask => ({
      name,
      startAfterMs: 0,
      body: async () => {
        for (;;) {
          const request: StepRequest = {actor: name, step: 'redis.SET', occurrence: 1, sends: null}
          await schedule.beforeStep(request, signal)
          const found = written
          await schedule.afterStep(request, signal, false)
          if (found) return
          await sleep(name)
        }
      },
    })
    const writer: ActorTask = {
      name: 'A',
      startAfterMs: 0,
      body: async () => {
        const request: StepRequest = {actor: 'A', step: 'db.update', occurrence: 1, sends: 99}
        await schedule.beforeStep(request, signal)
        written = true
        await schedule.afterStep(request, signal, true)
      },
    }
    const outcome = await schedule.run([writer, poller('B'), poller('C')], signal)
    assert.equal(outcome.stuck, null)
    // Each poller: its first wake, then one more after A's write (the only change).
    for (const poller of ['B', 'C']) {
      const wakes = outcome.order.flatMap((t, i) => (t === `${poller}:timer` ? [i] : []))
      assert.equal(wakes.length, 2, outcome.order.join(' '))
      assert.ok(wakes[0]! < outcome.order.indexOf('A:db.update') && outcome.order.indexOf('A:db.update') < wakes[1]!, outcome.order.join(' '))
    }
    assert.equal(outcome.timersCut, undefined)
  })

  it('a sleeper that changes a store on every wake gets MAX_TIMER_STEPS timer steps while another can go, and the run says they were cut', async () => {
    const {timers, sleep} = handTimers()
    const eager: Selector = {choose: (enabled) => (enabled.find((p) => p.step === 'timer') ?? enabled[0]!).actor}
    const schedule = new SteppedSchedule({kind: 'explore', selector: eager, timers})
    const bumps = 2 * MAX_TIMER_STEPS
    const actors = [
      handActor(schedule, 'A', Array.from({length: bumps}, () => 'redis.INCR'), () => sleep('A')),
      handActor(schedule, 'B', ['cache.get']),
    ]
    const outcome = await schedule.run(actors, signal)
    const wakes = outcome.order.filter((t) => t === 'A:timer').length
    assert.equal(wakes, MAX_TIMER_STEPS)
    // B went once A's timer steps ran out, and A's later sleeps ended when nothing else could go.
    assert.equal(outcome.order.indexOf('B:cache.get'), 2 * MAX_TIMER_STEPS + 1)
    assert.equal(outcome.order.filter((t) => t === 'A:redis.INCR').length, bumps)
    assert.deepEqual(outcome.timersCut, ['A'])
  })
})
