import {constants} from 'node:fs'
import {access, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {BadInputError} from '../errors/bad-input-error.js'

/**
 * Writes a report file, with a one-line error that names the file when it cannot, and says
 * "wrote FILE" on stderr (stdout stays the report, or the JSON) so a user knows where to look.
 */
export async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text)
  } catch (error) {
    throw new BadInputError(`cannot write ${file} (${(error as {code?: string}).code ?? String(error)})`)
  }
  process.stderr.write(`wrote ${file}\n`)
}

/** Checks before any work is done that a report can be written there: its folder exists and takes files. */
export async function checkWritable(file: string | undefined, flag: string): Promise<void> {
  if (file === undefined) return
  const folder = path.dirname(path.resolve(file))
  const info = await stat(folder).catch(() => null)
  if (!info?.isDirectory()) throw new BadInputError(`${flag} ${file}: there is no folder ${folder}`)
  if ((await stat(path.resolve(file)).catch(() => null))?.isDirectory()) throw new BadInputError(`${flag} ${file} is a folder; give a file name`)
  await access(folder, constants.W_OK).catch(() => {
    throw new BadInputError(`${flag} ${file}: the folder ${folder} is not writable`)
  })
}
