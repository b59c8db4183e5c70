import {Flags} from '@oclif/core'

import {BadInputError} from '../errors/bad-input-error.js'

export interface NumberFlagOptions {
  summary: string
  description?: string
  default: number
  min: number
  max: number
  /** Whole numbers only (the default), or any decimal. */
  integer?: boolean
  /** How to describe a good value when the given one is not, e.g. "the share of requests that are writes". */
  what?: string
  helpGroup?: string
}

/**
 * A numeric flag whose bad value is one precise line that names the flag, the value and the
 * range, e.g. `--write-ratio 2 is out of range: the share of requests that are writes, from 0 to 1`.
 */
export function numberFlag(options: NumberFlagOptions) {
  return Flags.custom<number>({
    summary: options.summary,
    ...(options.description === undefined ? {} : {description: options.description}),
    ...(options.helpGroup === undefined ? {} : {helpGroup: options.helpGroup}),
    default: options.default,
    async parse(input, _context, flag) {
      return parseNumber(`--${flag.name}`, input, options)
    },
  })()
}

export function parseNumber(flag: string, input: string, options: Pick<NumberFlagOptions, 'min' | 'max' | 'integer' | 'what'>): number {
  const integer = options.integer ?? true
  const range = `${integer ? 'a whole number' : 'a number'} from ${options.min.toLocaleString('en-US')} to ${options.max.toLocaleString('en-US')}`
  const expected = options.what ? `${options.what}, ${range.replace(/^a (whole )?number /, '')}` : range
  const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(input) ? Number(input) : Number.NaN
  if (Number.isNaN(value)) throw new BadInputError(`${flag} "${input}" is not a number: expected ${expected}`)
  if (integer && !Number.isInteger(value)) throw new BadInputError(`${flag} ${input} is not a whole number: expected ${expected}`)
  if (value < options.min || value > options.max) throw new BadInputError(`${flag} ${input} is out of range: expected ${expected}`)
  return value
}

/**
 * oclif wraps an error thrown by a flag's parser in "Parsing --flag" and a --help hint, on three
 * lines; ours already name the flag, so they go back to one line. Use as `parse(...).catch(...)`.
 */
export function oneLineFlagError(error: unknown): never {
  if (error instanceof BadInputError) {
    error.message = error.message.replace(/^Parsing --\S+ *\n\t/, '').replace(/\nSee more help with --help$/, '')
  }
  throw error
}
