import {Flags} from '@oclif/core'

import type {StoreTargets} from '../stores/targets.js'
import {SERVERS_MODES} from '../servers/modes.js'
import {
  DEFAULT_MYSQL_URL,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  parseMysqlUrl,
  parseRedisUrl,
  validatePrefix,
} from '../stores/urls.js'

/** The flags of every command that talks to the stores. */
export const storeFlags = {
  mysql: Flags.string({
    summary: 'MySQL URL; cachesim works only in the database it names (created if missing).',
    env: 'CACHESIM_MYSQL_URL',
    default: DEFAULT_MYSQL_URL,
    helpGroup: 'STORES',
  }),
  redis: Flags.string({
    summary: 'Redis URL; cachesim touches only keys under --prefix.',
    env: 'CACHESIM_REDIS_URL',
    default: DEFAULT_REDIS_URL,
    helpGroup: 'STORES',
  }),
  prefix: Flags.string({
    summary: 'Prefix of every Redis key cachesim uses.',
    env: 'CACHESIM_PREFIX',
    default: DEFAULT_PREFIX,
    helpGroup: 'STORES',
  }),
  servers: Flags.option({
    summary: 'auto: the URLs above when they answer, else private servers for this run; external: only the URLs; private: always private servers.',
    description:
      'Private servers are a MariaDB (ROW binlog on) and a Redis that cachesim starts from the binaries on this machine, on free loopback ports, and stops when the command ends (see cachesim servers).',
    options: SERVERS_MODES,
    env: 'CACHESIM_SERVERS',
    default: 'auto' as const,
    helpGroup: 'STORES',
  })(),
}

/** What the store flags parse to. */
export interface StoreFlagValues {
  mysql: string
  redis: string
  prefix: string
  servers: (typeof SERVERS_MODES)[number]
}

export function storeOptions(flags: {mysql: string; redis: string; prefix: string}): StoreTargets {
  return {mysql: parseMysqlUrl(flags.mysql), redis: parseRedisUrl(flags.redis), prefix: validatePrefix(flags.prefix)}
}
