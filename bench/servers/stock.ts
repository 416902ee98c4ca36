/**
 * Launches the reference: the stock y-websocket server (@y/websocket-server 0.1.1), wired
 * as its own bin script does — an http server whose upgrades go to a `ws` WebSocketServer
 * and `setupWSConnection`; the room is the URL path. In memory (no YPERSISTENCE).
 */
import { createServer } from 'node:http'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import { launch } from './launcher.ts'

await launch('stock', async () => {
  const wss = new WebSocketServer({ noServer: true })
  wss.on('connection', (ws, req) => setupWSConnection(ws, req))
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('okay')
  })
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const addr = http.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        http.close(() => resolve())
      }),
  }
})
