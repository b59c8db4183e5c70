import type {StepRecord, Value} from '../history/types.js'
import {formatValue} from '../history/value.js'

/**
 * What a step did, in a few words: "miss", "hit 100", "read 100", "→ 99", "failed: …". `show`
 * writes a value (a report may name wide ones v1, v2, or spell them out in full).
 */
export function describeStep(step: StepRecord, show: (value: Value) => string = (value) => formatValue(value)): string {
  if (step.type === 'fail' || step.type === 'info') {
    return `${step.type === 'fail' ? 'failed' : 'outcome unknown'}: ${step.error ?? ''}`
  }
  if (step.type === 'pending') return 'did not finish'
  const note = step.note === undefined ? '' : ` (${step.note})`
  // An app's client call: a Redis command as issued, or a statement whose answer was recorded (rows, a count).
  if (/^redis\.[A-Z]/.test(step.step) || (step.step.startsWith('db.') && step.value !== null && typeof step.value === 'object')) {
    return describeCall(step, show) + note
  }
  switch (step.step) {
    case 'cache.get':
      return (step.value === null ? 'miss' : `hit ${plain(step.value, show)}`) + note
    case 'db.select':
    case 'stream.read':
      return (step.value === null ? 'no row' : `read ${plain(step.value, show)}`) + note
    case 'db.update':
    case 'cache.set':
    case 'cache.fill':
    case 'cache.write':
      return `→ ${plain(step.value, show)}${note}`
    case 'cache.tombstone':
      return `tombstone${note}`
    case 'cache.lose':
      return `Redis lost the row's keys${note}`
    default:
      return ((step.value === null || step.value === undefined ? '' : plain(step.value, show)) + note).trim()
  }
}

/** An app's client call: what it answered, and what it changed in the stores (observed). */
function describeCall(step: StepRecord, show: (value: Value) => string): string {
  const parts: string[] = []
  const value = step.value as Value
  if (Array.isArray(value) && step.step.startsWith('db.')) {
    const first = value[0]
    const row = first && typeof first === 'object' && !Array.isArray(first) && Object.keys(first).length === 1 ? Object.values(first)[0]! : first
    parts.push(value.length === 0 ? 'no row' : `read ${show(row ?? null)}`)
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'affectedRows' in value) {
    parts.push(`${String(value.affectedRows)} row(s)`)
  } else if (step.step.startsWith('redis.')) {
    parts.push(value === null ? (step.step === 'redis.GET' ? 'miss' : 'nil') : show(value))
  }
  if (step.effect?.db !== undefined) parts.push(`row → ${show(step.effect.db)}`)
  if (step.effect?.cache !== undefined) parts.push(step.effect.cache === null ? 'cache emptied' : `cache → ${show(step.effect.cache)}`)
  return parts.join('; ')
}

/** A built-in step's value as it always read (100, v3:99); a structured one as `show` writes it. */
function plain(value: Value, show: (value: Value) => string): string {
  return value !== null && typeof value === 'object' ? show(value) : String(value)
}
