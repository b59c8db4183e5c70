import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {InterruptedError} from '../../src/errors/interrupted-error.js'
import {BlockDetector, type ServerWaitProbe, StepTimeoutError} from '../../src/schedule/block-detector.js'
import type {StepRequest} from '../../src/schedule/types.js'

/**
 * The block detector alone: no schedule, no actors, no servers. The test plays the actors by
 * telling the detector what each does (arrive at a gate, be released, end a step, block, end).
 */

const signal = new AbortController().signal

const request = (actor: string, step = 'db.update'): StepRequest => ({actor, step, occurrence: 1, sends: null})

/** A promise's state without waiting for it: settled or not, a few turns of the event loop on. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false
  promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  await new Promise((resolve) => setTimeout(resolve, ms))
  return settled
}

/** A probe that says every step could be waiting, and answers from `answers` in turn (the last one repeats). */
function scriptedProbe(...answers: string[][]): ServerWaitProbe & {calls: string[][]} {
  const calls: string[][] = []
  return {
    calls,
    mayWait: () => true,
    waiting: async (actors) => {
      calls.push([...actors])
      const answer = answers[Math.min(calls.length, answers.length) - 1] ?? []
      return new Set(actors.filter((a) => answer.includes(a)))
    },
  }
}

const neverWaits: ServerWaitProbe = {mayWait: () => false, waiting: async () => assert.fail('a step that cannot wait is never asked about')}

describe('BlockDetector: when no actor can move on its own', () => {
  it('settles at once when every actor is at its gate or done', async () => {
    const detector = new BlockDetector()
    detector.track(['A', 'B'])
    detector.arrive(request('A'))
    detector.end('B')
    await detector.settle(signal)
    assert.deepEqual(detector.blocked(), [])
    assert.deepEqual(detector.finished(), ['B'])
  })

  it('waits for an actor running between steps until it reaches its gate', async () => {
    const detector = new BlockDetector()
    detector.track(['A', 'B'])
    detector.arrive(request('A'))
    const settled = detector.settle(signal)
    assert.equal(await settledWithin(settled, 50), false)
    detector.arrive(request('B'))
    assert.equal(await settledWithin(settled, 10), true)
  })

  it('a released step that cannot be waiting on a lock is awaited until it ends, without asking the probe', async () => {
    const detector = new BlockDetector({probe: neverWaits})
    detector.track(['A', 'B'])
    detector.arrive(request('B'))
    detector.release('A')
    const settled = detector.settle(signal)
    assert.equal(await settledWithin(settled, 250), false)
    detector.stepEnded('A')
    detector.end('A')
    assert.equal(await settledWithin(settled, 10), true)
    assert.deepEqual(detector.blocked(), [])
  })

  it('a step the probe says waits for a row lock counts as blocked, and is asked about afresh once another step has ended', async () => {
    const probe = scriptedProbe(['A'])
    const detector = new BlockDetector({probe})
    detector.track(['A', 'B'])
    detector.arrive(request('A', 'db.update'))
    detector.arrive(request('B', 'db.commit'))
    detector.release('A')
    const started = performance.now()
    await detector.settle(signal)
    assert.ok(performance.now() - started < 150, 'the probe is asked, not a timeout waited for')
    assert.deepEqual(probe.calls, [['A']])
    assert.deepEqual(detector.blocked(), [{actor: 'A', step: 'db.update', reason: 'waits for a row lock held by an open transaction'}])
    // B's COMMIT goes and ends: A's UPDATE may have its lock now, so the probe is asked again.
    detector.release('B')
    detector.stepEnded('B')
    detector.end('B')
    await detector.settle(signal)
    assert.deepEqual(probe.calls, [['A'], ['A']])
  })

  it('a just-released step gets one turn of the event loop before the probe is asked: one that ends in it is never asked about', async () => {
    const probe = scriptedProbe(['A'])
    const detector = new BlockDetector({probe})
    detector.track(['A', 'B'])
    detector.arrive(request('B'))
    detector.release('A')
    // The call's answer is already there: it ends before the event loop turns.
    void Promise.resolve().then(() => {
      detector.stepEnded('A')
      detector.arrive(request('A', 'cache.del'))
    })
    await detector.settle(signal)
    assert.deepEqual(probe.calls, [])
    assert.deepEqual(detector.blocked(), [])
  })

  it('the probe is asked again every 20 ms while it says the step is not waiting', async () => {
    const probe = scriptedProbe([], [], [], ['A'])
    const detector = new BlockDetector({probe})
    detector.track(['A'])
    detector.release('A')
    const started = performance.now()
    await detector.settle(signal)
    assert.equal(probe.calls.length, 4)
    assert.ok(performance.now() - started >= 55, `${performance.now() - started} ms`)
    assert.equal(detector.blocked()[0]?.actor, 'A')
  })

  it('an answer that comes back after something moved is thrown away, and the probe asked again', async () => {
    const calls: string[][] = []
    let detector!: BlockDetector
    const probe: ServerWaitProbe = {
      mayWait: () => true,
      async waiting(actors) {
        calls.push([...actors])
        // While the first answer is on its way, B finishes: the answer may be out of date.
        if (calls.length === 1) detector.end('B')
        return new Set(actors)
      },
    }
    detector = new BlockDetector({probe})
    detector.track(['A', 'B'])
    detector.arrive(request('B'))
    detector.release('A')
    await detector.settle(signal)
    assert.deepEqual(calls, [['A'], ['A']])
    assert.deepEqual(detector.finished(), ['B'])
  })

  it('without a probe, a step that has not ended within 200 ms is taken as blocked', async () => {
    const detector = new BlockDetector()
    detector.track(['A'])
    detector.arrive(request('A', 'db.update'))
    detector.release('A')
    const started = performance.now()
    await detector.settle(signal)
    const took = performance.now() - started
    assert.ok(took >= 190 && took < 1000, `${took} ms`)
    assert.deepEqual(detector.blocked(), [{actor: 'A', step: 'db.update', reason: 'waits for a row lock held by an open transaction'}])
  })

  it('actors blocked in their steps try again after another step ends, one at a time, in name order', async () => {
    const detector = new BlockDetector({probe: neverWaits})
    detector.track(['A', 'B', 'C'])
    const tries: string[] = []
    // A and B wait for a lock C holds; each takes it when it is its turn and it is free.
    let holder: string | null = 'C'
    const take = async (actor: string) => {
      const mine = request(actor, 'lock.acquire')
      while (holder !== null) {
        await detector.waitBlocked(mine, `waits for the lock, held by ${holder}`)
        tries.push(actor)
      }
      holder = actor
      detector.stepEnded(actor)
      holder = null
      detector.end(actor)
    }
    const a = take('A')
    const b = take('B')
    detector.arrive(request('C', 'lock.release'))
    await detector.settle(signal)
    assert.deepEqual(
      detector.blocked().map((x) => `${x.actor}: ${x.reason}`),
      ['A: waits for the lock, held by C', 'B: waits for the lock, held by C'],
    )
    assert.deepEqual(tries, [], 'nothing has ended since they blocked: no one tries again')
    detector.release('C')
    holder = null
    detector.stepEnded('C')
    detector.end('C')
    await detector.settle(signal)
    await Promise.all([a, b])
    // A goes first and takes the lock; B tries after A's step ends.
    assert.deepEqual(tries, ['A', 'B'])
    assert.deepEqual(detector.finished(), ['A', 'B', 'C'])
  })

  it('a blocked actor whose retry finds the lock still taken blocks again, and the next in name order tries', async () => {
    const detector = new BlockDetector({probe: neverWaits})
    detector.track(['A', 'B', 'C'])
    const tries: string[] = []
    let free = false
    const wait = async (actor: string) => {
      const mine = request(actor, 'lock.acquire')
      while (!free) {
        await detector.waitBlocked(mine, 'waits for the lock')
        tries.push(actor)
      }
      detector.stepEnded(actor)
      detector.end(actor)
    }
    const waits = [wait('A'), wait('B')]
    detector.arrive(request('C', 'cache.get'))
    await detector.settle(signal)
    // C's step ends without freeing anything: A and B each try once, A first, and block again.
    detector.release('C')
    detector.stepEnded('C')
    detector.arrive(request('C', 'lock.release'))
    await detector.settle(signal)
    assert.deepEqual(tries, ['A', 'B'])
    assert.deepEqual(detector.blocked().map((x) => x.actor), ['A', 'B'])
    free = true
    detector.release('C')
    detector.stepEnded('C')
    detector.end('C')
    await detector.settle(signal)
    await Promise.all(waits)
    assert.deepEqual(tries, ['A', 'B', 'A', 'B'])
  })

  it('an actor between steps past the in-process bound, while another is at its gate, is left behind', async () => {
    const detector = new BlockDetector({inProcessWaitMs: 50})
    detector.track(['A', 'B'])
    detector.arrive(request('A', 'cache.get'))
    detector.arrive(request('B', 'cache.get'))
    detector.release('B')
    detector.stepEnded('B')
    const started = performance.now()
    await detector.settle(signal)
    const took = performance.now() - started
    assert.ok(took >= 45 && took < 1000, `${took} ms`)
    const [b] = detector.blocked()
    assert.equal(b?.actor, 'B')
    assert.equal(b?.step, 'after cache.get')
    assert.match(b?.reason ?? '', /^waits in-process: it neither sent a call nor finished within \d+ ms of its last step$/)
    assert.equal(detector.leftBehind(), true)
    // It comes back: it is no longer left behind.
    detector.arrive(request('B', 'cache.set'))
    assert.equal(detector.leftBehind(), false)
    assert.deepEqual(detector.blocked(), [])
  })

  it('alone, an actor between steps gets four times the in-process bound', async () => {
    const detector = new BlockDetector({inProcessWaitMs: 50})
    detector.track(['A', 'B'])
    detector.end('A')
    const started = performance.now()
    await detector.settle(signal)
    const took = performance.now() - started
    assert.ok(took >= 190 && took < 1500, `${took} ms`)
    assert.deepEqual(detector.blocked().map((b) => `${b.actor} ${b.step}`), ['B after its start'])
  })

  it('without an in-process bound, an actor between steps is waited for until the step timeout, which names it', async () => {
    const detector = new BlockDetector({stepTimeoutMs: 200})
    detector.track(['A', 'B'])
    detector.arrive(request('B'))
    const stop = detector.watch(signal)
    try {
      await assert.rejects(detector.settle(signal), (e: unknown) => e instanceof StepTimeoutError && /^A \(between steps\) did not finish within 200 ms/.test(e.message))
    } finally {
      stop()
    }
  })

  it('a step that neither ends nor waits on a lock times out, woken by the watchdog', async () => {
    const detector = new BlockDetector({probe: neverWaits, stepTimeoutMs: 200})
    detector.track(['A'])
    detector.arrive(request('A', 'db.select'))
    detector.release('A')
    const stop = detector.watch(signal)
    const started = performance.now()
    try {
      await assert.rejects(detector.settle(signal), (e: unknown) => e instanceof StepTimeoutError && /^A's db\.select did not finish within 200 ms and is not waiting on a lock/.test(e.message))
    } finally {
      stop()
    }
    assert.ok(performance.now() - started < 1000)
  })

  it('Ctrl-C wakes settle wherever it waits, with the abort reason', async () => {
    const controller = new AbortController()
    const detector = new BlockDetector({probe: neverWaits})
    detector.track(['A'])
    detector.release('A')
    const stop = detector.watch(controller.signal)
    const started = performance.now()
    setTimeout(() => controller.abort(new InterruptedError()), 30)
    try {
      await assert.rejects(detector.settle(controller.signal), InterruptedError)
    } finally {
      stop()
    }
    assert.ok(performance.now() - started < 500)
  })

  it('abandon rejects every blocked wait and names the actors whose call is still in flight', async () => {
    const detector = new BlockDetector()
    detector.track(['A', 'B', 'C'])
    const waiting = detector.waitBlocked(request('A', 'lock.acquire'), 'waits for the lock')
    detector.release('B')
    detector.arrive(request('C'))
    const reason = new Error('the run is over')
    assert.deepEqual(detector.abandon(reason), ['B'])
    await assert.rejects(waiting, (e: unknown) => e === reason)
  })

  it('an actor it was not told about is an internal error', () => {
    const detector = new BlockDetector()
    detector.track(['A'])
    assert.throws(() => detector.arrive(request('Z')), /internal: unknown actor Z/)
  })
})
