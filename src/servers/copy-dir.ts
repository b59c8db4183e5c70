import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

/** Copies a data directory; the system's cp is about twice as fast as fs.cp on a template. */
export async function copyDir(from: string, to: string): Promise<void> {
  await promisify(execFile)('cp', ['-R', from, to])
}
