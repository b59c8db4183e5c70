/**
 * A user cache in front of MySQL, as teams write it: cache-aside with ioredis, JSON values, a
 * 30-minute TTL, and "update the row, then delete the key" on writes.
 *
 * The bug (the one logto fixed in its PR #9428): a read that misses and loads the row *before*
 * an update can write its old copy back *after* the update's DEL, and the stale user is served
 * for up to 30 minutes.
 */
import type {Redis} from 'ioredis'
import type {Connection} from 'mysql2/promise'

import {findUser, updateUser, type User} from './users-table.js'

export const TTL_SECONDS = 30 * 60

export class UserCache {
  constructor(
    private readonly redis: Redis,
    private readonly mysql: Connection,
    private readonly prefix: string,
  ) {}

  key(id: number): string {
    return `${this.prefix}user:${id}`
  }

  async get(id: number): Promise<User | null> {
    const cached = await this.redis.get(this.key(id))
    if (cached !== null) return JSON.parse(cached) as User
    const user = await findUser(this.mysql, id)
    if (user) await this.redis.set(this.key(id), JSON.stringify(user), 'EX', TTL_SECONDS)
    return user
  }

  async update(id: number, user: User): Promise<void> {
    await updateUser(this.mysql, id, user)
    await this.redis.del(this.key(id))
  }
}
