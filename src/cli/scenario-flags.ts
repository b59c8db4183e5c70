import {Flags} from '@oclif/core'

/** Flags that change what a scenario does, shared by run and explore. */
export const scenarioFlags = {
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
