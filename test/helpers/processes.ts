import {readdirSync, readFileSync, readlinkSync} from 'node:fs'

/** Pids of running processes (not zombies) that `matches` accepts, given their command line and working directory (Linux /proc). */
function pidsWhere(matches: (cmdline: string, cwd: string) => boolean): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .flatMap((name) => {
      try {
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ')
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
        let cwd = ''
        try {
          cwd = readlinkSync(`/proc/${name}/cwd`)
        } catch {
          // another user's process
        }
        return !zombie && matches(cmdline, cwd) ? [Number(name)] : []
      } catch {
        return []
      }
    })
}

/** Pids of the running children of `parent` whose command line contains `text`. */
export function childPids(parent: number, text: string): number[] {
  return pidsWithCommandLine(text).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent
    } catch {
      return false
    }
  })
}

/** Pids of running processes whose command line contains `text`. */
export function pidsWithCommandLine(text: string): number[] {
  return pidsWhere((cmdline) => cmdline.includes(text))
}

/**
 * Pids of running processes that live in `dir`: a path under it in their command line, or their
 * working directory under it (Redis shows no path once started; it works in its --dir). Exactly
 * under it: /tmp/cache-t123 must never match the processes of /tmp/cache-t1234, another test
 * process's (pids wrap at 32768 here, so both can run at once).
 */
export function pidsUnder(dir: string): number[] {
  const inside = `${dir}/`
  return pidsWhere((cmdline, cwd) => cmdline.includes(inside) || `${cwd.replace(/ \(deleted\)$/, '')}/`.startsWith(inside))
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

/**
 * Whether a TCP connection to 127.0.0.1:`port` is established (Linux /proc/net/tcp): a client
 * that has connected and waits on the server, even a stopped server, whose kernel still accepts.
 */
export function connectedTo(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) => {
    try {
      return readFileSync(table, 'utf8')
        .split('\n')
        .slice(1)
        .some((line) => {
          const [, , remote, state] = line.trim().split(/\s+/)
          return remote?.endsWith(`:${hexPort}`) === true && state === '01'
        })
    } catch {
      return false
    }
  })
}
