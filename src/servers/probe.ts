import {connect} from 'node:net'

/**
 * Asks a port once whether a server is ready: MySQL sends its handshake (protocol 10) as soon as
 * it accepts connections; Redis answers PING with +PONG (not -LOADING). A raw socket, so that
 * waiting for a server costs no driver and no login.
 */
export function probeOnce(kind: 'mysql' | 'redis', port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port})
    let data = Buffer.alloc(0)
    const done = (ready: boolean) => {
      socket.destroy()
      resolve(ready)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => {
      if (kind === 'redis') socket.write('PING\r\n')
    })
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      if (kind === 'mysql' && data.length >= 5) done(data[4] === 10)
      if (kind === 'redis' && data.includes(0x0a)) done(data.toString('latin1').startsWith('+PONG'))
    })
    socket.once('close', () => done(false))
  })
}

/** Polls until the server is ready, `failed()` says it never will be, or the deadline passes. */
export async function waitReady(kind: 'mysql' | 'redis', port: number, options: {deadline: number; failed: () => boolean}): Promise<boolean> {
  for (;;) {
    if (options.failed()) return false
    if (await probeOnce(kind, port)) return true
    if (Date.now() > options.deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
