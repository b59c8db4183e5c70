import {randomUUID} from 'node:crypto'
import {hostname} from 'node:os'

import type {Redis} from 'ioredis'

import {NamespaceBusyError} from '../errors/namespace-busy-error.js'
import {namespaceLockKey} from '../stores/keys.js'
import {RedisStore} from '../stores/redis.js'
import type {RedisTarget} from '../stores/urls.js'

/**
 * The Redis side of the namespace lock. A MySQL named lock only stops runs that use the same
 * MySQL server; two runs on one Redis prefix with different MySQL servers (an auto-started
 * private MariaDB, another database) would still reset each other's keys. So the prefix itself
 * holds a lock key: SET NX PX with an owner token, renewed while held, deleted only by its owner.
 * Unlike a MySQL lock it outlives a killed process until it expires, so a holder that is
 * provably gone (same host, no such pid) is taken over at once.
 */
const TTL_MS = 15_000
const RENEW_EVERY_MS = 5000

/** Extends the key's life only while it still holds our token. */
const COMPARE_AND_EXPIRE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`
/** Deletes the key only while it still holds our token: never another run's lock. */
const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`
/** Replaces a dead holder's token with ours, only if it is still that holder's. */
const COMPARE_AND_SWAP = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) else return false end`

interface HeldLock {
  key: string
  client: Promise<Redis>
  /** Settles when the key is ours (or is refused): every sharer waits for it. */
  taken: Promise<void>
  token: string
  refs: number
  renewal?: NodeJS.Timeout
}

/** Within one process several workbenches may share a prefix: one key, counted. */
const held = new Map<string, HeldLock>()

/** Takes (or shares) the lock of the keys under `prefix`; resolves to its release. */
export async function lockRedisNamespace(redis: RedisTarget, prefix: string, what: string): Promise<() => Promise<void>> {
  const key = namespaceLockKey({prefix})
  const id = `${redis.url} ${key}`
  let lock = held.get(id)
  if (!lock) {
    const token = ownerToken()
    const client = RedisStore.openClient(redis)
    const fresh: HeldLock = {key, client, token, refs: 0, taken: client.then((c) => take(c, key, token, what))}
    held.set(id, fresh)
    fresh.taken.then(
      () => {
        fresh.renewal = setInterval(() => {
          void client.then((c) => c.eval(COMPARE_AND_EXPIRE, 1, key, token, TTL_MS)).catch(() => {})
        }, RENEW_EVERY_MS).unref()
      },
      () => {
        held.delete(id)
        client.then((c) => c.disconnect(), () => {})
      },
    )
    lock = fresh
  }
  lock.refs += 1
  await lock.taken
  const mine = lock
  let released = false
  return async () => {
    if (released) return
    released = true
    mine.refs -= 1
    if (mine.refs > 0) return
    held.delete(id)
    clearInterval(mine.renewal)
    const client = await mine.client
    await client.eval(COMPARE_AND_DELETE, 1, key, mine.token).catch(() => {})
    client.disconnect()
  }
}

/**
 * For a process about to exit before its cleanup finished (Ctrl-C on a busy machine): deletes
 * every lock key this process holds (only while it is still ours), waiting at most `withinMs`.
 */
export async function dropNamespaceLocksNow(withinMs: number): Promise<void> {
  const drops = [...held.entries()].map(async ([id, lock]) => {
    held.delete(id)
    clearInterval(lock.renewal)
    const client = await lock.client
    await client.eval(COMPARE_AND_DELETE, 1, lock.key, lock.token)
    client.disconnect()
  })
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))
  await Promise.race([Promise.allSettled(drops), bound])
  clearTimeout(timer)
}

async function take(client: Redis, key: string, token: string, what: string): Promise<void> {
  if ((await client.set(key, token, 'PX', TTL_MS, 'NX')) === 'OK') return
  const holder = await client.get(key)
  if (holder === null) {
    // Expired between the two calls: one more try, then the holder is whoever won.
    if ((await client.set(key, token, 'PX', TTL_MS, 'NX')) === 'OK') return
  } else if (holderIsGone(holder) && (await client.eval(COMPARE_AND_SWAP, 1, key, holder, token, TTL_MS)) !== null) {
    return
  }
  throw new NamespaceBusyError(what, `held by ${describeHolder((await client.get(key)) ?? holder ?? '?')} in Redis key ${key}`)
}

/** `host pid uuid`: enough to tell a holder that died on this host from one that runs elsewhere. */
function ownerToken(): string {
  return `${hostname()} ${process.pid} ${randomUUID()}`
}

function describeHolder(token: string): string {
  const [host, pid] = token.split(' ')
  return pid === undefined ? token : `process ${pid} on ${host}`
}

/** True only when the holder ran on this host and its process no longer exists. */
function holderIsGone(token: string): boolean {
  const [host, pid] = token.split(' ')
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (error) {
    return (error as {code?: string}).code === 'ESRCH'
  }
}
