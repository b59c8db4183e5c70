import type {StepRecord} from '../history/types.js'

/** What a step did, in a few words: "miss", "hit 100", "read 100", "→ 99", "failed: …". */
export function describeStep(step: StepRecord): string {
  if (step.type === 'fail' || step.type === 'info') {
    return `${step.type === 'fail' ? 'failed' : 'outcome unknown'}: ${step.error ?? ''}`
  }
  if (step.type === 'pending') return 'did not finish'
  switch (step.step) {
    case 'cache.get':
      return step.value === null ? 'miss' : `hit ${step.value}`
    case 'db.select':
      return step.value === null ? 'no row' : `read ${step.value}`
    case 'db.update':
    case 'cache.set':
      return `→ ${step.value}`
    default:
      return step.value === null || step.value === undefined ? '' : String(step.value)
  }
}
