import {Flags} from '@oclif/core'

/** --app: race a user's app module (run, explore, matrix). */
export const appFlag = Flags.string({
  summary: "Race your own code: an app module (.ts or .js) in place of the scenario's strategy.",
  description:
    'Every Redis command (ioredis, node-redis) and SQL statement (mysql2) the app sends is a step, named as issued: redis.GET, redis.SET, db.update, … With --app, TARGET is a race of the matrix (two-writers, cold-refill, warm-read, cache-step-fails, crash-between, or "races" for all) or a scenario file. See "Race your own code" in the README.',
  helpValue: 'FILE',
})

/** Flags that change what a scenario does, shared by run and explore. */
export const scenarioFlags = {
  app: appFlag,
  fault: Flags.string({
    summary: 'Inject a fault at a step: ACTOR:STEP=KIND, KIND one of fail, crash, pause=MS, latency=MS (repeatable).',
    description:
      'fail: the store call errors; crash: the actor stops for good right after the step; pause=MS: the actor stalls before the call (locks and leases may expire); latency=MS: the answer comes back late. #N after the step picks its Nth occurrence, e.g. A:cache.del#2=fail.',
    multiple: true,
    multipleNonGreedy: true,
  }),
  'ddd-delay': Flags.integer({
    summary: "delayed-double-delete's wait before its second DEL, in ms.",
    min: 0,
    max: 600_000,
  }),
  lock: Flags.option({summary: 'Lock used by strategies that take one.', options: ['local', 'redis'] as const})(),
}
