import {z} from 'zod'

/**
 * The shape of a scenario file. Strict everywhere: an unknown key is an error, not a silent
 * no-op. Meaning (strategy names, step names, actors named in delays) is checked in validate.ts.
 */
const rowValue = z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1)
const ms = z.number().min(0).max(600_000)

const opKind = z.enum(['read', 'write', 'drain', 'sync', 'lose'])

const operationSchema = z.strictObject({
  op: opKind,
  value: rowValue.optional(),
  count: z.number().int().min(1).max(1000).optional(),
})

const actorSchema = z.strictObject({
  op: opKind.optional(),
  value: rowValue.optional(),
  count: z.number().int().min(1).max(1000).optional(),
  ops: z.array(operationSchema).min(1).optional(),
  startAfterMs: ms.optional(),
})

const faultSchema = z.strictObject({
  actor: z.string(),
  step: z.string(),
  kind: z.enum(['fail', 'crash', 'pause', 'latency']),
  ms: ms.optional(),
  occurrence: z.number().int().min(1).optional(),
})

const delaySchema = z.strictObject({
  actor: z.string(),
  before: z.string().optional(),
  after: z.string().optional(),
  ms,
  occurrence: z.number().int().min(1).optional(),
})

/** A count, exact (2) or compared (">0", "<=3"). */
const count = z.union([
  z.number().int().min(0),
  z.string().regex(/^\s*(>=|<=|>|<|=|!=)?\s*\d+\s*$/, 'use a number or a comparison such as ">0" or "<=3"'),
])

export const exploreExpectationSchema = z.strictObject({
  orders: count.optional(),
  impossibleOrders: count.optional(),
  divergentOrders: count.optional(),
  staleOrders: count.optional(),
  dirtyOrders: count.optional(),
  witness: z.string().optional(),
})

export const runExpectationSchema = z.strictObject({
  divergent: z.boolean().optional(),
  db: rowValue.nullable().optional(),
  cache: rowValue.nullable().optional(),
  staleReads: z.number().int().min(0).optional(),
  dirtyReads: z.number().int().min(0).optional(),
  dbQueries: z.number().int().min(0).optional(),
  lostWrites: z.number().int().min(0).optional(),
  cacheMisses: z.number().int().min(0).optional(),
  convergedWithinMs: z.number().int().min(0).optional(),
  views: z.record(z.string(), rowValue.nullable()).optional(),
  explore: exploreExpectationSchema.optional(),
})

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'use letters, digits, ".", "_" and "-" (at most 80)'),
  description: z.string().optional(),
  race: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and "-"').optional(),
  strategy: z.string().optional(),
  /** A user's app module, relative to the scenario file, raced in place of a strategy. */
  app: z.string().min(1).max(1000).optional(),
  lock: z.enum(['local', 'redis']).optional(),
  lockTtlMs: z.number().int().min(1).max(600_000).optional(),
  cacheTtlMs: z.number().int().min(1).max(86_400_000).optional(),
  doubleDeleteDelayMs: ms.optional(),
  leaseTtlMs: z.number().int().min(1).max(600_000).optional(),
  initial: z.strictObject({db: rowValue.nullable(), cache: rowValue.nullable()}),
  actors: z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, 'actor names are a letter then letters, digits or _ (e.g. A, B, reader1)'),
    actorSchema,
  ),
  replica: z
    .strictObject({
      readers: z.array(z.string()).min(1),
      lagMs: ms.optional(),
    })
    .optional(),
  delays: z.array(delaySchema).optional(),
  /** The order the delays are meant to produce (`actor:step` tokens). */
  order: z.string().max(10_000).optional(),
  faults: z.array(faultSchema).optional(),
  expect: runExpectationSchema.optional(),
})

export type ScenarioInput = z.infer<typeof scenarioSchema>
