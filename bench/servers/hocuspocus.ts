/**
 * Launches the reference: Hocuspocus 3 (@hocuspocus/server 3.4.4) with its defaults and
 * no extensions (documents in memory, unloaded when their last connection leaves).
 */
import { Server } from '@hocuspocus/server'
import { launch } from './launcher.ts'

await launch('hocuspocus', async () => {
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false })
  await server.listen()
  return { port: server.address.port, close: () => server.destroy() }
})
