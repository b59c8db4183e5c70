/**
 * The same user cache with a per-key generation counter (the fix logto shipped): every update
 * bumps the key's generation, and a read that loaded the row fills the cache only if the
 * generation is still the one it saw before it loaded. The check and the SET are one Lua script,
 * so no update can slip in between them.
 */
import type {Redis} from 'ioredis'
import type {Connection} from 'mysql2/promise'

import {TTL_SECONDS} from './user-cache.js'
import {findUser, updateUser, type User} from './users-table.js'

/** SET the value only while the generation is still ARGV[2]: KEYS = value key, generation key. */
const FILL_IF_SAME_GENERATION = `
local generation = redis.call('GET', KEYS[2]) or '0'
if generation == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
  return 1
end
return 0`

export class FixedUserCache {
  constructor(
    private readonly redis: Redis,
    private readonly mysql: Connection,
    private readonly prefix: string,
  ) {}

  key(id: number): string {
    return `${this.prefix}user:${id}`
  }

  generationKey(id: number): string {
    return `${this.prefix}user:${id}:generation`
  }

  async get(id: number): Promise<User | null> {
    const generation = (await this.redis.get(this.generationKey(id))) ?? '0'
    const cached = await this.redis.get(this.key(id))
    if (cached !== null) return JSON.parse(cached) as User
    const user = await findUser(this.mysql, id)
    if (user) await this.redis.eval(FILL_IF_SAME_GENERATION, 2, this.key(id), this.generationKey(id), JSON.stringify(user), generation, TTL_SECONDS)
    return user
  }

  async update(id: number, user: User): Promise<void> {
    await updateUser(this.mysql, id, user)
    // One MULTI: the generation moves on and the old copy goes, together.
    await this.redis.multi().incr(this.generationKey(id)).del(this.key(id)).exec()
  }
}
