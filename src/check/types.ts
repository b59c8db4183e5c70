/**
 * A check's answer, after Jepsen's checkers: true, false, or 'unknown' when the check could not
 * tell (a step whose outcome is unknown, a check that threw). false beats unknown beats true.
 */
export type Validity = true | false | 'unknown'

export function composeValidity(values: readonly Validity[]): Validity {
  if (values.includes(false)) return false
  if (values.includes('unknown')) return 'unknown'
  return true
}
