import type {StepRecord} from '../history/types.js'

/** What a step did, in a few words: "miss", "hit 100", "read 100", "→ 99", "failed: …". */
export function describeStep(step: StepRecord): string {
  if (step.type === 'fail' || step.type === 'info') {
    return `${step.type === 'fail' ? 'failed' : 'outcome unknown'}: ${step.error ?? ''}`
  }
  if (step.type === 'pending') return 'did not finish'
  const note = step.note === undefined ? '' : ` (${step.note})`
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
