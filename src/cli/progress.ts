/** A bar on stderr for the phases of a long run; nothing at all when it is not wanted. */
export interface Progress {
  /** A phase begins; `total` 0 means it has no count to show. */
  phase(label: string, total: number): void
  /** `total` changes the count when it was an estimate; `note` is shown after the counts. */
  update(done: number, more?: {total?: number; note?: string}): void
  stop(): void
}

/** A phase must have run this long before its bar appears: short runs print only their result. */
const SHOW_AFTER_MS = 1000

const silent: Progress = {phase() {}, update() {}, stop() {}}

/**
 * A progress bar when `wanted` (a TTY on both streams, no --json); cli-progress is loaded only
 * then, so a piped or --json run never touches the terminal.
 */
export async function createProgress(wanted: boolean): Promise<Progress> {
  if (!wanted) return silent
  const {SingleBar, Presets} = await import('cli-progress')
  let bar: InstanceType<typeof SingleBar> | null = null
  let label = ''
  let total = 0
  let startedAt = 0
  const stopBar = () => {
    bar?.stop()
    bar = null
  }
  return {
    phase(next, count) {
      stopBar()
      label = next
      total = count
      startedAt = performance.now()
    },
    update(done, more = {}) {
      if (more.total !== undefined) total = more.total
      if (total === 0) return
      const payload = {note: more.note ?? ''}
      if (!bar) {
        if (performance.now() - startedAt < SHOW_AFTER_MS) return
        bar = new SingleBar(
          {stream: process.stderr, format: `${label.padEnd(12)} {bar} {percentage}% {value}/{total}{note} · eta {eta_formatted}`, clearOnComplete: true, hideCursor: true},
          Presets.shades_classic,
        )
        bar.start(total, done, payload)
      }
      if (more.total !== undefined) bar.setTotal(total)
      bar.update(done, payload)
    },
    stop: stopBar,
  }
}
