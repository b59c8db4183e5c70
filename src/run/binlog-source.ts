import type {BinlogReader} from '../cdc/binlog-reader.js'
import type {BinlogSource, RowChange} from '../strategies/types.js'

/**
 * The binlog as one run sees it: only the changes to its own row (runs in other slots change
 * other rows), each as a value, oldest first.
 */
export function binlogSource(reader: BinlogReader, key: string): BinlogSource {
  const take = (): RowChange | null => {
    for (let event = reader.take(); event; event = reader.take()) {
      if (event.key !== key) continue
      const value = event.after?.value
      return {type: event.type, value: value === null || value === undefined ? null : Number(value), position: `${event.binlogFile}:${event.binlogPos}`}
    }
    return null
  }
  return {
    take,
    caughtUp: (signal) => reader.caughtUp(signal),
    async waitForChange(ms, signal) {
      const timeout = new AbortController()
      const timer = setTimeout(() => timeout.abort(), ms)
      try {
        await reader.waitForEvent(AbortSignal.any([signal, timeout.signal]))
        return true
      } catch (error) {
        if (signal.aborted) throw error
        return false
      } finally {
        clearTimeout(timer)
      }
    },
  }
}
