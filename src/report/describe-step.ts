import type {StepRecord, Value} from '../history/types.js'
import {formatValue} from '../history/value.js'

/** What a step did, in a few words: "miss", "hit 100", "read 100", "→ 99", "failed: …". */
export function describeStep(step: StepRecord): string {
  if (step.type === 'fail' || step.type === 'info') {
    return `${step.type === 'fail' ? 'failed' : 'outcome unknown'}: ${step.error ?? ''}`
  }
  if (step.type === 'pending') return 'did not finish'
  const note = step.note === undefined ? '' : ` (${step.note})`
  // An app's client call: a Redis command as issued, or a statement whose answer was recorded (rows, a count).
  if (/^redis\.[A-Z]/.test(step.step) || (step.step.startsWith('db.') && step.value !== null && typeof step.value === 'object')) {
    return describeCall(step) + note
  }
  switch (step.step) {
    case 'cache.get':
      return (step.value === null ? 'miss' : `hit ${step.value}`) + note
    case 'db.select':
    case 'stream.read':
      return (step.value === null ? 'no row' : `read ${step.value}`) + note
    case 'db.update':
    case 'cache.set':
    case 'cache.fill':
    case 'cache.write':
      return `→ ${step.value}${note}`
    case 'cache.tombstone':
      return `tombstone${note}`
    case 'cache.lose':
      return `Redis lost the row's keys${note}`
    default:
      return ((step.value === null || step.value === undefined ? '' : String(step.value)) + note).trim()
  }
}

/** An app's client call: what it answered, and what it changed in the stores (observed). */
function describeCall(step: StepRecord): string {
  const parts: string[] = []
  const value = step.value as Value
  if (Array.isArray(value) && step.step.startsWith('db.')) {
    const first = value[0]
    const row = first && typeof first === 'object' && !Array.isArray(first) && Object.keys(first).length === 1 ? Object.values(first)[0]! : first
    parts.push(value.length === 0 ? 'no row' : `read ${formatValue(row ?? null)}`)
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'affectedRows' in value) {
    parts.push(`${String(value.affectedRows)} row(s)`)
  } else if (step.step.startsWith('redis.')) {
    parts.push(value === null ? (step.step === 'redis.GET' ? 'miss' : 'nil') : formatValue(value))
  }
  if (step.effect?.db !== undefined) parts.push(`row → ${formatValue(step.effect.db)}`)
  if (step.effect?.cache !== undefined) parts.push(step.effect.cache === null ? 'cache emptied' : `cache → ${formatValue(step.effect.cache)}`)
  return parts.join('; ')
}
