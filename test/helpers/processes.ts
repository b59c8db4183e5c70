import {readdirSync, readFileSync} from 'node:fs'

/** Pids of running processes whose command line contains `text` (Linux /proc). */
export function pidsWithCommandLine(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ')
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
        return cmdline.includes(text) && !zombie ? [Number(name)] : []
      } catch {
        return []
      }
    })
}

/** Polls `check` every 20 ms until it is true or `ms` have passed; returns its last answer. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms
  for (;;) {
    if (await check()) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
