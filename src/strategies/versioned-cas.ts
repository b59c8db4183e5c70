import type {Actor, Strategy} from './types.js'

/**
 * Versions: MySQL bumps a version column in the same UPDATE; the cache holds {v, value}; every
 * fill and every invalidation goes through one Lua set-if-newer; an invalidation leaves a
 * tombstone carrying the new version, so an older fill that comes late is refused.
 */
interface Cached {
  v: number
  value: number | null
}

// Write ARGV[2] (JSON {v, value}) at version ARGV[1], unless the key holds something as new:
// a value of the same or a newer version, or a tombstone newer than this write. A fill of the
// tombstone's own version is what the tombstone waits for, so it goes through.
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded['v']) then
    local held = tonumber(decoded['v'])
    local wanted = tonumber(ARGV[1])
    local tombstone = decoded['value'] == nil or decoded['value'] == cjson.null
    if held > wanted or (held == wanted and not (tombstone and ARGV[4] == 'fill')) then return 0 end
  end
end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`

export function decodeVersioned(raw: string): Cached | null {
  try {
    const parsed = JSON.parse(raw) as Partial<Cached>
    return typeof parsed.v === 'number' ? {v: parsed.v, value: typeof parsed.value === 'number' ? parsed.value : null} : null
  } catch {
    return null
  }
}

async function setIfNewer(actor: Actor, step: 'cache.fill' | 'cache.tombstone', cached: Cached): Promise<void> {
  const {redis, key} = actor.stores
  const ttl = actor.settings.cacheTtlMs
  const px = ttl === undefined ? '' : String(actor.ttls.px(ttl))
  await actor.step(
    step,
    async (context) => {
      const mode = step === 'cache.fill' ? 'fill' : 'tombstone'
      const raw = JSON.stringify(cached)
      const written = (await redis.script(SET_IF_NEWER, [key], [cached.v, raw, px, mode])) === 1
      if (written && ttl !== undefined) actor.ttls.started(key, raw, ttl)
      context.note(written ? `v${cached.v}` : `rejected: the key already holds something as new as v${cached.v}`)
      return written
    },
    {sends: cached.value, effect: (written) => (written ? {cache: cached.value} : {})},
  )
}

export async function versionedRead(actor: Actor): Promise<number | null> {
  const {mysql, redis, key, rowId} = actor.stores
  const hit = await actor.step(
    'cache.get',
    async (context) => {
      const raw = await redis.get(key)
      const cached = raw === null ? null : decodeVersioned(raw)
      if (cached) context.note(cached.value === null ? `tombstone v${cached.v}` : `v${cached.v}`)
      return cached?.value ?? null
    },
  )
  if (hit !== null) return hit
  const row = await actor.step('db.select', async (context) => {
    const snapshot = await mysql.snapshot(rowId)
    if (snapshot) context.note(`v${snapshot.version}`)
    return snapshot
  }, {record: (r) => r?.value ?? null})
  if (row === null || row.value === null) return null
  await setIfNewer(actor, 'cache.fill', {v: row.version, value: row.value})
  return row.value
}

export async function versionedUpdate(actor: Actor, value: number): Promise<number> {
  const {mysql, rowId} = actor.stores
  return actor.step(
    'db.update',
    async (context) => {
      const version = await mysql.updateVersioned(rowId, value)
      context.note(`v${version}`)
      return version
    },
    {sends: value, record: () => null, effect: () => ({db: value})},
  )
}

export const versionedCas: Strategy = {
  name: 'versioned-cas',
  summary: 'cache holds {version, value}; fills are set-if-newer (Lua); writes leave a versioned tombstone',
  steps: ['cache.get', 'db.select', 'cache.fill', 'db.update', 'cache.tombstone'],
  read: versionedRead,
  async write(actor, value) {
    const version = await versionedUpdate(actor, value)
    await setIfNewer(actor, 'cache.tombstone', {v: version, value: null})
  },
  decodeCache: (raw) => decodeVersioned(raw)?.value ?? null,
  encodeCache: (value, version) => JSON.stringify({v: version, value}),
}
