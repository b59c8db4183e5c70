import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {promisify} from 'node:util'

import {lanes} from '../../src/app/gate.js'
import {installTimers, laneTimers, VirtualTimeout} from '../../src/app/timers.js'
import {TtlClock} from '../../src/schedule/ttl-clock.js'

describe("an app's timers on the run's clock", () => {
  it('fire where a pause passes their deadline, in deadline order, an interval as often as it falls due', async () => {
    const clock = new TtlClock(true)
    const fired: string[] = []
    clock.timers.add('B', 200, false, () => fired.push('B 200'))
    clock.timers.add('A', 50, true, () => fired.push('A every 50'))
    clock.timers.add('A', 0, false, () => fired.push('A 0'))
    clock.pass(120)
    assert.deepEqual(await clock.timers.fireDue(), [
      {owner: 'A', ms: 0},
      {owner: 'A', ms: 50},
      {owner: 'A', ms: 50},
    ])
    assert.deepEqual(fired, ['A 0', 'A every 50', 'A every 50'])
    // Nothing else can go: the clock moves to the next deadline (150: the interval) and it fires.
    clock.untilNextTimer()
    await clock.timers.fireDue()
    assert.deepEqual(fired.slice(3), ['A every 50'])
    assert.equal(clock.timers.owns('B'), true)
    clock.timers.dropAll()
    assert.equal(clock.timers.size, 0)
  })

  it("setTimeout in a lane with the run's timers is virtual and behaves as a Timeout; outside one it is Node's own", async () => {
    installTimers()
    const clock = new TtlClock(true)
    const lane = {step: () => Promise.reject(new Error('no steps here')), timers: laneTimers(clock.timers, 'B')}
    const fired: string[] = []
    const handle = lanes.run(lane, () => setTimeout(() => fired.push('soft timeout'), 100))
    assert.ok(handle instanceof VirtualTimeout)
    assert.equal(handle.unref().hasRef(), false)
    assert.equal(handle.ref().hasRef(), true)
    assert.ok(Number(handle) >= 1_000_000_000)
    // Refreshed at 60, it is due at 160.
    clock.pass(60)
    handle.refresh()
    clock.pass(90)
    await clock.timers.fireDue()
    assert.equal(fired.length, 0)
    clock.pass(10)
    await clock.timers.fireDue()
    assert.deepEqual(fired, ['soft timeout'])
    // Cleared by its number, as clearTimeout may be given it.
    const cleared = lanes.run(lane, () => setTimeout(() => fired.push('cleared'), 10))
    clearTimeout(Number(cleared))
    clock.pass(100)
    await clock.timers.fireDue()
    assert.deepEqual(fired, ['soft timeout'])
    const real = setTimeout(() => {}, 1)
    assert.ok(!(real instanceof VirtualTimeout))
    clearTimeout(real)
  })

  it("a sleep (timers/promises, scheduler.wait, util.promisify) in a lane is on the run's clock, and aborts as Node's does", async () => {
    installTimers()
    // Imported after the patch, as an app module is: the named export is the patched one.
    const {setTimeout: sleep, scheduler} = await import('node:timers/promises')
    const clock = new TtlClock(true)
    const lane = {step: () => Promise.reject(new Error('no steps here')), timers: laneTimers(clock.timers, 'A')}
    const woke: string[] = []
    void lanes.run(lane, () => sleep(500, 'slept').then((value) => woke.push(value)))
    void lanes.run(lane, () => scheduler.wait(300).then(() => woke.push('waited')))
    void lanes.run(lane, () => promisify(setTimeout)(400).then(() => woke.push('promisified')))
    const aborted = new AbortController()
    const cancelled = lanes.run(lane, () => sleep(100, 'never', {signal: aborted.signal}))
    assert.equal(clock.timers.size, 4)
    aborted.abort()
    await assert.rejects(cancelled, {name: 'AbortError', code: 'ABORT_ERR'})
    assert.equal(clock.timers.size, 3)
    // However long the machine takes, nothing wakes until the clock passes the deadlines.
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(woke, [])
    clock.untilNextTimer('A')
    await clock.timers.fireDue((owner) => owner === 'A')
    clock.pass(300)
    await clock.timers.fireDue()
    assert.deepEqual(woke, ['waited', 'promisified', 'slept'])
    // Outside a lane a sleep is Node's own.
    assert.equal(await sleep(1, 'real'), 'real')
    assert.equal(clock.timers.size, 0)
  })
})
