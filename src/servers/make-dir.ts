import {mkdir, realpath, stat} from 'node:fs/promises'
import path from 'node:path'

import {BadInputError} from '../errors/bad-input-error.js'

/** The kernel's own file systems: nothing can be kept there (and Node's recursive mkdir spins forever under /proc). */
const KERNEL_DIRS = ['/proc', '/sys', '/dev']

/**
 * Makes `dir` and its missing parents, one level at a time, so that the work is bounded by the
 * path's depth, or throws a one-line BadInputError that names the directory and says why not.
 * Used for every directory cachesim makes for servers: `{recursive: true}` is never used.
 */
export async function makeDir(dir: string): Promise<void> {
  const target = path.resolve(dir)
  const missing: string[] = []
  let existing = target
  while (!(await exists(existing, dir)) && path.dirname(existing) !== existing) {
    missing.unshift(path.basename(existing))
    existing = path.dirname(existing)
  }
  const real = path.join(await realpath(existing).catch((error: unknown) => Promise.reject(cannotMake(dir, reasonOf(error, existing)))), ...missing)
  const kernel = KERNEL_DIRS.find((root) => real === root || real.startsWith(`${root}/`))
  if (kernel) throw cannotMake(dir, `${kernel} belongs to the kernel, not a place for files`)
  let made = existing
  for (const name of ['', ...missing]) {
    made = path.join(made, name)
    if (name !== '') {
      try {
        await mkdir(made)
      } catch (error) {
        // Another cachesim may have made it in between: only a directory there will do.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotMake(dir, reasonOf(error, made))
      }
    }
    if (!(await stat(made)).isDirectory()) throw cannotMake(dir, `${made} is a file, not a directory`)
  }
}

/** Whether something is at `file`; ENOTDIR counts as nothing, so that the walk up finds the file in the way. */
async function exists(file: string, dir: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return false
    throw cannotMake(dir, reasonOf(error, file))
  }
}

function reasonOf(error: unknown, made: string): string {
  const e = error as NodeJS.ErrnoException
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied for ${made}`
    case 'EROFS':
      return `${made} is on a read-only file system`
    case 'ENOSPC':
      return 'no space left on the device'
    default:
      return `${e.code ?? 'error'}: ${e.message}`
  }
}

function cannotMake(dir: string, reason: string): BadInputError {
  return new BadInputError(`cannot make the servers' directory ${dir}: ${reason}`)
}
