import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, waitFor, type TestServer } from './test/fixtures.ts'

/**
 * SRV-9: y-websocket closes a socket that received nothing for 30 s, and the server never echoes
 * a client's own awareness. A lone client (or a viewer) in a quiet room must still get something.
 * Here the keep-alive interval is 300 ms instead of 10 s, so the test is short.
 */
describe('keep-alive of quiet connections (SRV-9)', () => {
  let t: TestServer
  afterEach(async () => {
    await t.stop()
  })

  it('SRV-9 a lone connection in a quiet room gets an empty awareness message; a stock client stays connected', async () => {
    t = await startTestServer({}, { keepAliveMs: 300 })
    const id = await t.createBoard()
    const raw = t.rawSocket(id, { link: 'viewer' })
    const frames: number[][] = []
    raw.on('message', (d: Buffer) => frames.push([...d]))
    await new Promise((r) => raw.once('open', r))
    const stock = await t.client(id)
    const statuses: string[] = []
    stock.provider.on('status', (e: { status: string }) => statuses.push(e.status))
    await new Promise((r) => setTimeout(r, 150)) // the join's own messages are out
    const before = frames.length
    await waitFor(() => frames.slice(before).some((f) => f.length === 3 && f[0] === 1 && f[1] === 1 && f[2] === 0), 2000, 'a keep-alive frame')
    const lastAt = (stock.provider as unknown as { wsLastMessageReceived: number }).wsLastMessageReceived
    await new Promise((r) => setTimeout(r, 800))
    // the stock client heard from the server again although nobody wrote anything
    expect((stock.provider as unknown as { wsLastMessageReceived: number }).wsLastMessageReceived).toBeGreaterThan(lastAt)
    expect(statuses).toEqual([])
    expect(stock.doc.getMap('records').size).toBeGreaterThan(0)
    raw.close()
    stock.provider.destroy()
  })
})
