import type {HistoryEntry} from '../history/types.js'

/** GETs that found nothing in the cache (a strategy's cache.get, an app's redis.GET): each is a trip to MySQL a cache was meant to save. */
export function countCacheMisses(entries: readonly HistoryEntry[]): number {
  return entries.filter((e) => e.type === 'ok' && (e.step === 'cache.get' || e.step === 'redis.GET') && e.value === null).length
}
