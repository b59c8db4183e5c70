import {spawn} from 'node:child_process'
import {readdir, rename} from 'node:fs/promises'
import path from 'node:path'

import {copyDir} from './copy-dir.js'
import {makeDir} from './make-dir.js'

/** Copies kept ready beside a template; one is enough for a start, a second for its replica. */
const SPARES = 2

/**
 * Puts a fresh copy of the template at `to`. A copy takes 50-200 ms on a busy disk, most of a
 * cached start; so copies are made ahead of time, in the background, and a start only renames
 * one into place (rename is atomic: two cachesims never get the same spare).
 */
export async function claimDataDir(template: string, to: string): Promise<void> {
  const spares = `${template}.spares`
  let claimed = false
  for (const name of await readySpares(spares)) {
    try {
      await rename(path.join(spares, name), to)
      claimed = true
      break
    } catch {
      // another process took it first
    }
  }
  if (!claimed) await copyDir(template, to)
}

async function readySpares(spares: string): Promise<string[]> {
  try {
    return (await readdir(spares)).filter((name) => name.startsWith('spare-'))
  } catch {
    return []
  }
}

/**
 * Starts a detached `cp` for each missing spare: it outlives this process, so the next start
 * finds it ready; it copies under a temporary name and renames when done, so a spare is whole.
 * Called once the servers answer, so that the copies do not slow their start.
 */
export async function refillSpares(template: string): Promise<void> {
  const spares = `${template}.spares`
  await makeDir(spares)
  const entries = await readdir(spares)
  const missing = SPARES - entries.length
  for (let i = 0; i < missing; i++) {
    const id = `${process.pid}-${Date.now()}-${i}`
    const temporary = path.join(spares, `.copying-${id}`)
    const ready = path.join(spares, `spare-${id}`)
    const child = spawn('sh', ['-c', 'cp -R "$1" "$2" && mv "$2" "$3" || rm -rf "$2"', 'sh', template, temporary, ready], {
      detached: true,
      stdio: 'ignore',
    })
    child.on('error', () => {})
    child.unref()
  }
}
