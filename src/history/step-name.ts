/** A step's name as it is written: `store.verb` (db.update, cache.fill), or one word (wait, pause). */
export const STEP_NAME = '[a-z]+(?:\\.[a-z-]+)?'
