import {BadInputError} from '../errors/bad-input-error.js'
import type {ReadBenchOptions, StampedeOptions} from './types.js'

/** The limits each flag's parser enforces; the checks below are those between flags. */
export const LIMITS = {
  requests: {min: 1, max: 10_000_000},
  concurrency: {min: 1, max: 256},
  keys: {min: 1, max: 1_000_000},
  ttlSeconds: {min: 0.001, max: 2_592_000},
  writeRatio: {min: 0, max: 1},
  seed: {min: 0, max: 4_294_967_295},
  readers: {min: 1, max: 1000},
  processes: {min: 1, max: 16},
} as const

export function checkReadBenchOptions(options: ReadBenchOptions): ReadBenchOptions {
  if (options.concurrency > options.requests) {
    throw new BadInputError(`--concurrency ${options.concurrency} is more than --requests ${options.requests}: each client needs at least one request`)
  }
  return options
}

export function checkStampedeOptions(options: StampedeOptions): StampedeOptions {
  if (options.processes > options.readers) {
    throw new BadInputError(`--processes ${options.processes} is more than --readers ${options.readers}: each process needs at least one reader`)
  }
  if (options.locks.length === 0) throw new BadInputError('--lock: name at least one of none, local, redis')
  return options
}
