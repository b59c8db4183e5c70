import type {StoreTargets} from '../stores/targets.js'
import type {HotKey} from './stampede-readers.js'
import type {QueryKind, StampedeLock} from './types.js'

/** Messages between `bench stampede` and its worker processes (Node IPC, JSON). */

export type ToWorker =
  | {type: 'open'; stores: StoreTargets; readers: number; query: QueryKind; readersFlag: number; warmUp: {key: string; id: number}}
  | {type: 'round'; lock: StampedeLock; hot: HotKey; startAt: number}
  | {type: 'close'}

export interface WorkerRound {
  type: 'round-done'
  lock: StampedeLock
  /** When this process released its readers (epoch ms, µs precision). */
  releasedAt: number
  /** When its last reader had its answer. */
  endedAt: number
  latenciesMs: number[]
  missed: number
  failed: number
  selects: number
  commands: number
  /** Com_select on the readers' sessions; null if the server would not say. */
  serverSelects: number | null
}

export type FromWorker =
  | {type: 'opened'}
  | WorkerRound
  | {type: 'error'; message: string; exitCode: number}

/** Wall-clock time in ms with sub-ms precision, comparable between processes on one machine. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now()
}
