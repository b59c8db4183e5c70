import type {Value} from '../history/types.js'

/**
 * What an app returned or stored, as plain data the checks compare: a class instance by its JSON
 * form, a Date as its ISO string, a BigInt as its decimal string; undefined is null.
 */
export function toValue(value: unknown): Value {
  if (value === undefined || value === null) return null
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  return json === undefined ? null : (JSON.parse(json) as Value)
}
