import {randomUUID} from 'node:crypto'

import type {StepContext, Strategy} from './types.js'

/**
 * Leases, after Facebook's memcache (and rockscache's owner tokens): a miss atomically takes a
 * lease token in the key; other readers wait for the holder's fill instead of reading MySQL; a
 * writer's DEL removes the lease with the value; a fill whose token is no longer there is
 * rejected, atomically. A stale fill can never land after a write.
 */
const LEASE = 'lease:'

// GET; on a miss put a lease in the key. Returns {value} | {lease: token} | {wait}.
const GET_OR_LEASE = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], '${LEASE}' .. ARGV[1], 'PX', ARGV[2])
  return {'lease', ARGV[1]}
end
if string.sub(v, 1, ${LEASE.length}) == '${LEASE}' then return {'wait', ''} end
return {'value', v}`

// SET the value only while our lease is still in the key.
const FILL_IF_LEASED = `
if redis.call('GET', KEYS[1]) == '${LEASE}' .. ARGV[1] then
  if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
  return 1
end
return 0`

export const lease: Strategy = {
  name: 'lease',
  summary: 'a miss takes a lease; a DEL voids it; a fill with a voided lease is rejected (atomic Lua)',
  steps: ['cache.get', 'db.select', 'cache.fill', 'db.update', 'cache.del'],
  async read(actor) {
    const {redis, key} = actor.stores
    const got = await actor.step(
      'cache.get',
      async (context: StepContext) => {
        for (;;) {
          const token = randomUUID()
          const ttl = actor.settings.leaseTtlMs
          const [kind, payload] = (await redis.script(GET_OR_LEASE, [key], [token, actor.ttls.px(ttl)])) as [string, string]
          if (kind === 'value') return {value: Number(payload)}
          if (kind === 'lease') {
            actor.ttls.started(key, LEASE + payload, ttl)
            context.note('miss: lease taken')
            return {lease: payload}
          }
          await context.waitBlocked('waits for the lease holder to fill the key')
        }
      },
      {record: (r) => ('value' in r ? r.value : null)},
    )
    if ('value' in got) return got.value
    const value = await actor.db.select()
    if (value === null) return null
    await actor.step(
      'cache.fill',
      async (context) => {
        const ttl = actor.settings.cacheTtlMs
        const px = ttl === undefined ? '' : String(actor.ttls.px(ttl))
        const filled = (await redis.script(FILL_IF_LEASED, [key], [got.lease, String(value), px])) === 1
        if (!filled) context.note('rejected: the lease was voided by a write')
        else if (ttl !== undefined) actor.ttls.started(key, String(value), ttl)
        return filled
      },
      {sends: value, effect: (filled) => (filled ? {cache: value} : {})},
    )
    return value
  },
  async write(actor, value) {
    await actor.db.update(value)
    await actor.cache.del()
  },
  decodeCache: (raw) => (raw.startsWith(LEASE) ? null : Number(raw)),
}
