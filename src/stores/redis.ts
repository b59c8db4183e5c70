import {Redis} from 'ioredis'

import {StoreError} from '../errors/store-error.js'
import {connectFailure} from './connect-error.js'
import {redisLost} from './store-failure.js'
import type {RedisTarget} from './urls.js'

/** Deletes the key only while it still holds our token: a lock is never released by a bare DEL. */
const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`

/** PEXPIRE each key (KEYS[i]) to ARGV[2i] ms while it still holds ARGV[2i-1]. */
const EXPIRE_IF_EQUALS = `
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[2 * i - 1] then redis.call('PEXPIRE', key, ARGV[2 * i]) end
end
return 0`

/**
 * One Redis connection. It is handed full key names built from cachesim's prefix (see keys.ts)
 * and never runs a command that reaches beyond them (no FLUSHDB, FLUSHALL, KEYS). Every command
 * is counted.
 */
export class RedisStore {
  readonly target: RedisTarget
  /** Commands sent on this connection. */
  commands = 0

  private constructor(
    private readonly client: Redis,
    target: RedisTarget,
  ) {
    this.target = target
  }

  static async connect(target: RedisTarget): Promise<RedisStore> {
    return new RedisStore(await RedisStore.openClient(target), target)
  }

  /** Runs one command; a connection that is gone is said so (exit 3), not taken for a bug. */
  private async send<T>(command: () => Promise<T>): Promise<T> {
    this.commands += 1
    try {
      return await command()
    } catch (error) {
      throw redisLost(this.target, error) ?? error
    }
  }

  /**
   * A connected ioredis client that fails fast, for code that needs more than this adapter's
   * commands (sync's scripts and pub/sub). Its user keeps to cachesim's prefix all the same.
   * `queueWhileConnecting`: commands wait for a connection being made (an app's client, whose
   * duplicate() connects on its first command); cachesim's own clients refuse them instead.
   */
  static async openClient(target: RedisTarget, options: {queueWhileConnecting?: boolean} = {}): Promise<Redis> {
    const client = new Redis(target.url, {
      lazyConnect: true,
      connectTimeout: 3000,
      // Fail fast and say so, rather than retrying forever behind the user's back.
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      // With no retries, a connection that is gone fails queued commands at once all the same.
      enableOfflineQueue: options.queueWhileConnecting === true,
    })
    let lastError: unknown
    client.on('error', (error: unknown) => {
      lastError = error
    })
    try {
      await client.connect()
      // ioredis carries on in database 0 when the URL's SELECT is refused: ask again, and stop.
      const db = client.options.db ?? 0
      if (db !== 0) await client.select(db)
    } catch (error) {
      client.disconnect()
      const e = (lastError ?? error) as {code?: string; message?: string}
      if (/DB index is out of range/i.test(e.message ?? '')) {
        throw new StoreError('Redis', `${target.display} has no database ${client.options.db}; use a smaller number in the URL's path, e.g. /0`, {cause: error})
      }
      throw connectFailure('Redis', target.display, lastError ?? error)
    }
    return client
  }

  /** The ioredis client itself, for an app (src/app/) that sends its own commands under cachesim's prefix. */
  get raw(): Redis {
    return this.client
  }

  async get(key: string): Promise<string | null> {
    return this.send(() => this.client.get(key))
  }

  /** SET, with a time to live in milliseconds when given. */
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.send(() => (ttlMs === undefined ? this.client.set(key, value) : this.client.set(key, value, 'PX', ttlMs)))
  }

  /** DEL; returns how many keys it removed (0 or 1). */
  async del(key: string): Promise<number> {
    return this.send(() => this.client.del(key))
  }

  /** SET key token NX PX ttl: true when we took the lock. */
  async setIfAbsent(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.send(() => this.client.set(key, token, 'PX', ttlMs, 'NX'))) === 'OK'
  }

  /** Deletes the key only if it still holds `token`; true when it did. */
  async deleteIfEquals(key: string, token: string): Promise<boolean> {
    return (await this.send(() => this.client.eval(COMPARE_AND_DELETE, 1, key, token))) === 1
  }

  /** Gives each key still holding `value` a time to live of `ms`, in one round trip. */
  async expireIfEquals(keys: readonly {key: string; value: string; ms: number}[]): Promise<void> {
    if (keys.length === 0) return
    const args = keys.flatMap((k) => [k.value, String(k.ms)])
    await this.send(() => this.client.eval(EXPIRE_IF_EQUALS, keys.length, ...keys.map((k) => k.key), ...args))
  }

  /**
   * Runs a Lua script on keys cachesim built (under its prefix). Scripts make a check and a
   * write one atomic step: a lease fill, a set-if-newer.
   */
  async script(lua: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.send(() => this.client.eval(lua, keys.length, ...keys, ...args))
  }

  /** SET the key and append the value to a stream, atomically (MULTI/EXEC): a write-behind write. */
  async setAndEnqueue(key: string, stream: string, value: string): Promise<void> {
    const results = await this.send(() => this.client.multi().set(key, value).xadd(stream, '*', 'value', value).exec())
    const failed = results?.find(([error]) => error)
    if (!results || failed) throw failed?.[0] ?? new Error('MULTI was discarded')
  }

  /** The oldest entry of a stream, or null when it is empty. */
  async firstInStream(stream: string): Promise<{id: string; value: string} | null> {
    const entries = await this.send(() => this.client.xrange(stream, '-', '+', 'COUNT', 1))
    const first = entries[0]
    if (!first) return null
    const [id, fields] = first
    const at = fields.indexOf('value')
    return {id, value: at === -1 ? '' : (fields[at + 1] ?? '')}
  }

  async removeFromStream(stream: string, id: string): Promise<void> {
    await this.send(() => this.client.xdel(stream, id))
  }

  /**
   * Sets or deletes each key in one round trip (observer only); set keys get `ttlMs` when given,
   * as the strategy's own writes would.
   */
  async reset(values: ReadonlyMap<string, string | null>, ttlMs?: number): Promise<void> {
    const pipeline = this.client.multi()
    for (const [key, value] of values) {
      if (value === null) pipeline.del(key)
      else if (ttlMs === undefined) pipeline.set(key, value)
      else pipeline.set(key, value, 'PX', ttlMs)
    }
    this.commands += values.size - 1
    await this.send(() => pipeline.exec())
  }

  /** Deletes exactly these keys, which the caller created. */
  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return
    await this.send(() => this.client.del(...keys))
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect())
  }

  destroy(): void {
    this.client.disconnect()
  }
}
