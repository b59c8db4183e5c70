/**
 * A count and its noun, agreeing: "1 scenario", "2 scenarios", "1,000 rows". `many` is for nouns
 * that do not just take an s ("process", "processes").
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${Math.round(n).toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/** n orders, or n classes of orders when a reduced search counted one order per class. */
export function pluralOrders(n: number, reduced: boolean): string {
  return reduced ? plural(n, 'class of orders', 'classes of orders') : plural(n, 'order')
}
