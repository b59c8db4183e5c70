import {isDeepStrictEqual} from 'node:util'

import type {Value} from './types.js'

/** Two values are the same when they are structurally equal: {"a":1,"b":2} is {"b":2,"a":1}. */
export function sameValue(a: Value, b: Value): boolean {
  return a === b || isDeepStrictEqual(a, b)
}

/** A value in a few characters for a table cell or a history line: 99, "ann", {"name":"ann"}. */
export function formatValue(value: Value, max = 40): string {
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value)
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
