/** A step's name as it is written: `store.verb` (db.update, cache.fill), or one word (wait, pause). */
export const STEP_NAME = '[a-z]+(?:\\.[a-z-]+)?'

/** The store part of a step's name (`db` of db.update, `redis` of redis.SET); null for a one-word step (wait, pause). */
export function storeOf(step: string): string | null {
  const dot = step.indexOf('.')
  return dot === -1 ? null : step.slice(0, dot)
}
