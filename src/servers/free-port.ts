import {createServer} from 'node:net'

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now. Another process may take it before
 * our server binds it; the starters notice (the server exits) and try again with a new one.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}
