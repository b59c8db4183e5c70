/** external: the URLs given, as they are; private: servers of cachesim's own; auto: the URLs when they answer, else private ones. */
export const SERVERS_MODES = ['auto', 'external', 'private'] as const
export type ServersMode = (typeof SERVERS_MODES)[number]
