import {writeFile} from 'node:fs/promises'

import {BadInputError} from '../errors/bad-input-error.js'

/** Writes a report file, with a one-line error that names the file when it cannot. */
export async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text)
  } catch (error) {
    throw new BadInputError(`cannot write ${file} (${(error as {code?: string}).code ?? String(error)})`)
  }
}
