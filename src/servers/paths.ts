import {homedir} from 'node:os'
import path from 'node:path'

/**
 * Where cachesim keeps what it starts: the user's cache directory (XDG on Linux, Library/Caches
 * on macOS), or CACHESIM_CACHE_DIR. Nothing here is precious: every file can be rebuilt.
 */
export function cacheRoot(): string {
  const override = process.env.CACHESIM_CACHE_DIR
  if (override) return path.resolve(override)
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'cachesim')
  const xdg = process.env.XDG_CACHE_HOME
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache'), 'cachesim')
}

/** The servers `cachesim servers up` starts, unless --dir names another directory. */
export function defaultServersDir(): string {
  return path.join(cacheRoot(), 'servers')
}

/** Servers started for one command run (--servers private|auto), one directory per run. */
export function runsDir(): string {
  return path.join(cacheRoot(), 'runs')
}

/** Ready MariaDB data directories, copied instead of running mariadb-install-db each time. */
export function templatesDir(): string {
  return path.join(cacheRoot(), 'templates')
}
