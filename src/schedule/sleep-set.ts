import {dependent, type StepOf} from '../history/independence.js'

/**
 * The reduced search's bookkeeping (sleep sets, Godefroid 1996). At each point of the search
 * some steps are asleep: steps waiting at their gates whose orders from here were already
 * explored, or will be, from an earlier sibling. A step stays asleep while the steps taken
 * commute with it (history/independence.ts); the first step that does not commute wakes it.
 * Taking only steps that are awake visits at least one order of every class of orders that
 * differ only by swapping adjacent commuting steps, and never two complete orders of one class.
 * An order that reaches a point where every step that can go is asleep is redundant: its class
 * was explored elsewhere.
 */
export type Sleeping = readonly StepOf[]

export function isAsleep(sleeping: Sleeping, step: StepOf): boolean {
  return sleeping.some((z) => z.actor === step.actor && z.step === step.step)
}

/** What stays asleep once `taken` has gone: the steps it commutes with. */
export function afterTaking(sleeping: Sleeping, taken: StepOf): StepOf[] {
  return sleeping.filter((z) => !dependent(z, taken))
}

/**
 * The sleep sets of the alternatives at one choice point, in the order they are explored after
 * the step that was taken there: each alternative sleeps on what was asleep at the point and on
 * every step explored before it there, as far as those commute with it.
 */
export function alternativesAt(sleeping: Sleeping, taken: StepOf, others: readonly StepOf[]): {step: StepOf; sleeping: StepOf[]}[] {
  const done: StepOf[] = [...sleeping, taken]
  return others.map((step) => {
    const result = {step, sleeping: afterTaking(done, step)}
    done.push(step)
    return result
  })
}

/**
 * How many orders one order stands for: the orders of its steps that keep every pair of
 * dependent steps as they are (the linear extensions of its trace), counted over the sets of
 * steps that can have gone first. Null past 30 steps (too many to count here).
 */
export function ordersOfClass(steps: readonly StepOf[]): number | null {
  const n = steps.length
  if (n > 30) return null
  // before[j]: the steps that must precede step j (earlier and dependent), as a bit mask.
  const before = steps.map((s, j) => steps.slice(0, j).reduce((mask, p, i) => (dependent(p, s) ? mask | (1 << i) : mask), 0))
  const full = 2 ** n - 1
  const memo = new Map<number, number>()
  const count = (placed: number): number => {
    if (placed === full) return 1
    const known = memo.get(placed)
    if (known !== undefined) return known
    let total = 0
    for (let j = 0; j < n; j++) {
      const bit = 1 << j
      if ((placed & bit) === 0 && (before[j]! & placed) === before[j]) total += count(placed | bit)
    }
    memo.set(placed, total)
    return total
  }
  return count(0)
}
