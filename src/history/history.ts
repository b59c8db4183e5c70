import type {ActorName, HistoryEntry, StepEffect, StepName, StepRecord, StepValue} from './types.js'

/**
 * The one place that stamps entries with index and time. Actors append to it; checks and
 * reports only read it.
 */
export class History {
  readonly entries: HistoryEntry[] = []
  private readonly origin: number

  constructor(origin: number = performance.now()) {
    this.origin = origin
  }

  now(): number {
    return performance.now() - this.origin
  }

  invoke(actor: ActorName, step: StepName, value: StepValue, readOnly = false): HistoryEntry {
    return this.append({type: 'invoke', actor, step, value, ...(readOnly ? {readOnly} : {})})
  }

  complete(
    invocation: HistoryEntry,
    type: 'ok' | 'fail' | 'info',
    value: StepValue,
    extra: {error?: string | undefined; note?: string | undefined; effect?: StepEffect | undefined} = {},
  ): HistoryEntry {
    const entry: Omit<HistoryEntry, 'index' | 'time'> = {type, actor: invocation.actor, step: invocation.step, value}
    if (extra.error !== undefined) entry.error = extra.error
    if (extra.note !== undefined) entry.note = extra.note
    if (extra.effect !== undefined && Object.keys(extra.effect).length > 0) entry.effect = extra.effect
    return this.append(entry)
  }

  private append(entry: Omit<HistoryEntry, 'index' | 'time'>): HistoryEntry {
    const full = {index: this.entries.length, time: this.now(), ...entry}
    this.entries.push(full)
    return full
  }
}

/**
 * Folds each invoke with its completion into one record, in invoke order. A write step keeps the
 * value it sent; a read step shows the value it got.
 */
export function pairSteps(entries: readonly HistoryEntry[]): StepRecord[] {
  const records: StepRecord[] = []
  const open = new Map<ActorName, StepRecord>()
  for (const entry of entries) {
    if (entry.type === 'invoke') {
      const record: StepRecord = {
        index: records.length,
        actor: entry.actor,
        step: entry.step,
        type: 'pending',
        value: entry.value,
        startMs: entry.time,
        endMs: null,
      }
      records.push(record)
      open.set(entry.actor, record)
      continue
    }
    const record = open.get(entry.actor)
    if (!record) continue
    open.delete(entry.actor)
    record.type = entry.type
    record.endMs = entry.time
    if (entry.value !== null) record.value = entry.value
    if (entry.error !== undefined) record.error = entry.error
    if (entry.note !== undefined) record.note = entry.note
    if (entry.effect !== undefined) record.effect = entry.effect
  }
  return records
}
