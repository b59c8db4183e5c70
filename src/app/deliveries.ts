import {AsyncLocalStorage} from 'node:async_hooks'

/**
 * Pub/sub delivery, ordered: a PUBLISH step of an actor ends only once every subscriber
 * connection in this process that Redis delivered the message to (PUBLISH answers how many) has
 * handed it to its listeners and those listeners are done (their promises settled, then one turn
 * of the event loop). So no step of any actor is released while a message is on its way: what an
 * actor's in-process cache holds when its next step goes is the schedule's doing, not timing's.
 *
 * The clients' dispatch is hooked in gate.ts (node-redis's PubSub, ioredis's subscriber replies);
 * this module matches what they dispatch to the PUBLISH steps waiting for it, by channel and
 * message. A listener runs outside every actor's lane: a command it sends is refused (its
 * subscriber's `refuse`), since it would be a step nobody's schedule orders.
 */

/** Whose a subscriber is: an actor of one run, and what a command its listener sends meets. */
export interface Owner {
  actor: string
  /** Stops the run the actor is in; returns the error the listener's command fails with. */
  refuse(command: string): Error
}

/** The actor whose app instance is being created: a subscription made then is that actor's. */
export const creating = new AsyncLocalStorage<Owner>()

/** Each subscriber (a node-redis PubSub, an ioredis client) and whom it subscribed for. */
const owners = new WeakMap<object, Owner>()

/** Notes whose `subscriber` is: the actor being created, else the actor whose lane it subscribes in. */
export function noteSubscriber(subscriber: object, lane: Owner | undefined): void {
  const owner = creating.getStore() ?? lane
  if (owner !== undefined && !owners.has(subscriber)) owners.set(subscriber, owner)
}

/** How long a PUBLISH step waits for its deliveries before it says the rest were left to timing. */
export const DELIVERY_WAIT_MS = 2000

interface Expected {
  channel: string
  message: string
  /** Subscribers whose delivery has been handled, by actor (`?` for a subscriber of no actor). */
  handled: string[]
  /** Deliveries matched to this PUBLISH so far (handled or not). */
  matched: number
  /** How many Redis said it delivered to, once PUBLISH has answered. */
  receivers: number | null
  wake: (() => void) | null
}

const expected: Expected[] = []

/** What a PUBLISH step learns of its message's deliveries. */
export interface DeliveryReport {
  /** The actors whose subscribers handled it, in the order they did. */
  to: string[]
  /** Subscribers Redis counted that had not handled it when the wait gave up. */
  missing: number
}

/**
 * Called just before a PUBLISH goes out: returns the wait to call with PUBLISH's answer (the
 * number of receivers), which settles once that many deliveries of this message are handled.
 */
export function expectDeliveries(channel: string, message: string): {wait(receivers: unknown): Promise<DeliveryReport>; cancel(): void} {
  const entry: Expected = {channel, message, handled: [], matched: 0, receivers: null, wake: null}
  expected.push(entry)
  const cancel = () => {
    const i = expected.indexOf(entry)
    if (i >= 0) expected.splice(i, 1)
  }
  return {
    cancel,
    async wait(receivers) {
      entry.receivers = typeof receivers === 'number' ? receivers : Number(receivers)
      if (!Number.isFinite(entry.receivers)) entry.receivers = 0
      if (entry.handled.length < entry.receivers) {
        let timer: NodeJS.Timeout | undefined
        await new Promise<void>((resolve) => {
          entry.wake = resolve
          timer = setTimeout(resolve, DELIVERY_WAIT_MS)
        })
        clearTimeout(timer)
      }
      cancel()
      return {to: [...entry.handled], missing: Math.max(0, entry.receivers - entry.handled.length)}
    },
  }
}

/** One message reaching one subscriber connection, while the client calls its listeners. */
export interface Delivery {
  /** The actor whose subscriber it is (its listeners then run outside every lane, their commands refused). */
  owner: Owner | undefined
  /** A listener's answer: the delivery is handled once every promise among them has settled. */
  track(result: unknown): void
}

/** The delivery being dispatched now (listeners are called synchronously by the clients). */
let current: Delivery | null = null

export function currentDelivery(): Delivery | null {
  return current
}

/**
 * A message reached `subscriber`: runs `dispatch` (the client calling its listeners) and keeps
 * count of it for the PUBLISH step waiting for this message, if there is one.
 */
export function deliver<T>(subscriber: object, channel: unknown, message: unknown, dispatch: () => T): T {
  const entry = expected.find((e) => e.channel === text(channel) && e.message === text(message) && (e.receivers === null || e.matched < e.receivers))
  const pending: Array<Promise<unknown>> = []
  const delivery: Delivery = {
    owner: owners.get(subscriber),
    track(result) {
      if (result && typeof (result as {then?: unknown}).then === 'function') pending.push(Promise.resolve(result as Promise<unknown>))
    },
  }
  if (entry) entry.matched += 1
  const outer = current
  current = delivery
  try {
    return dispatch()
  } finally {
    current = outer
    if (entry) {
      void Promise.allSettled(pending)
        .then(() => new Promise((resolve) => setImmediate(resolve)))
        .then(() => {
          entry.handled.push(owners.get(subscriber)?.actor ?? '?')
          if (entry.receivers !== null && entry.handled.length >= entry.receivers) entry.wake?.()
        })
    }
  }
}

/** The note a PUBLISH step carries: who its message reached before the next step went. */
export function deliveryNote(report: DeliveryReport): string {
  const names = [...report.to].sort().map((a) => (a === '?' ? 'a subscriber of no actor' : a))
  const to = names.length === 0 ? 'no subscriber' : names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`
  const said = `delivered to ${to} before the next step`
  return report.missing === 0 ? said : `${said}; ${report.missing} more subscriber${report.missing === 1 ? '' : 's'} had not handled it after ${DELIVERY_WAIT_MS / 1000} s: left to timing`
}

function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString() : String(value)
}
