import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { DocLayout, SYNC_PATH } from '../shared/protocol.ts'
import { PostgresStorage } from './storage/postgres.ts'
import { createBoardAt, noteRecord, waitFor } from './test/fixtures.ts'
import { spawnServer, startTcpBalancer } from './test/processes.ts'

const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const schema = `arvo_scale_${Math.random().toString(36).slice(2, 10)}`
const env = { DATABASE_URL: `${DB}?schema=${schema}`, REDIS_URL: REDIS, ROOM_UNLOAD_DELAY_MS: '0' }

const providers: WebsocketProvider[] = []
/** The facilitator token of every board this file created. */
const tokens = new Map<string, string>()
function client(port: number, boardId: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}${SYNC_PATH}`, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
    params: { token: tokens.get(boardId)! },
  })
  providers.push(provider)
  const synced = new Promise<void>((r) => provider.once('sync', () => r()))
  return { doc, provider, records: doc.getMap<unknown>(DocLayout.records), synced }
}

async function createBoard(port: number): Promise<string> {
  const board = await createBoardAt(`http://127.0.0.1:${port}`)
  tokens.set(board.id, board.tokens.facilitator)
  return board.id
}

describe('several server processes over Redis and PostgreSQL', () => {
  let a: Awaited<ReturnType<typeof spawnServer>>
  let b: Awaited<ReturnType<typeof spawnServer>>
  beforeAll(async () => {
    ;[a, b] = await Promise.all([spawnServer(env), spawnServer(env)])
  }, 30_000)
  afterAll(async () => {
    for (const p of providers) p.destroy()
    await Promise.all([a?.kill(), b?.kill()])
    await PostgresStorage.dropSchema(DB, schema)
  })

  it('SCALE-1 clients on process A and process B of one board converge, presence included', async () => {
    const id = await createBoard(a.port)
    const ca = client(a.port, id)
    const cb = client(b.port, id)
    await Promise.all([ca.synced, cb.synced])
    ca.records.set('shape:a', noteRecord('shape:a', 0, 0, 'on A'))
    cb.records.set('shape:b', noteRecord('shape:b', 300, 0, 'on B', 'a2'))
    await waitFor(() => ca.records.has('shape:b') && cb.records.has('shape:a'), 5000, 'cross-process sync')
    cb.records.set('shape:a', noteRecord('shape:a', 50, 60, 'moved on B'))
    await waitFor(() => (ca.records.get('shape:a') as { x: number }).x === 50)
    ca.provider.awareness.setLocalStateField('user', { id: 'u1', name: 'Anna', side: 'provider', color: '#1d4ed8' })
    await waitFor(
      () => [...cb.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Anna'),
      5000,
      'awareness across processes',
    )
    // A third client joining on B gets everything, including what was written on A.
    const late = client(b.port, id)
    await late.synced
    expect(late.records.toJSON()).toEqual(ca.records.toJSON())
  })

  it('SCALE-2 killing process A: its clients reconnect through the balancer to B and nothing is lost', async () => {
    const lb = await startTcpBalancer([a.port, b.port])
    try {
      const id = await createBoard(b.port)
      const clients = Array.from({ length: 4 }, () => client(lb.port, id))
      await Promise.all(clients.map((c) => c.synced))
      for (let i = 0; i < 40; i++) {
        const c = clients[i % clients.length]
        c.records.set(`shape:n${i}`, noteRecord(`shape:n${i}`, i * 5, 0, `note ${i}`, `a1${String.fromCharCode(65 + (i % 26))}${i}V`))
      }
      await waitFor(() => clients.every((c) => c.records.size >= 42), 10_000, 'all notes everywhere')
      // the balancer alternates: half of the clients are on A when it dies
      expect(lb.live(a.port)).toBe(2)
      expect(lb.live(b.port)).toBe(2)
      const dropped = new Set<number>()
      clients.forEach((c, k) =>
        c.provider.on('status', ({ status }: { status: string }) => {
          if (status === 'disconnected') dropped.add(k)
        }),
      )
      await a.kill('SIGKILL')
      // Writes right after the crash: clients that were on A hold them until they reconnect.
      for (let i = 40; i < 50; i++) {
        clients[i % clients.length].records.set(`shape:n${i}`, noteRecord(`shape:n${i}`, i * 5, 100, `after crash ${i}`, `a2${i}V`))
      }
      await waitFor(() => clients.every((c) => c.records.size === 52), 15_000, 'convergence after failover')
      // A's clients lost their socket and came back, all on B now
      expect(dropped.size).toBe(2)
      await waitFor(() => lb.live(b.port) === 4, 5_000, 'every client on B')
      expect(lb.live(a.port)).toBe(0)
      const stored = new PostgresStorage(env.DATABASE_URL)
      const board = (await stored.load(id))!
      await stored.close()
      const doc = new Y.Doc()
      if (board.snapshot) Y.applyUpdate(doc, board.snapshot)
      for (const u of board.updates) Y.applyUpdate(doc, u)
      expect(doc.getMap(DocLayout.records).size).toBe(52)
    } finally {
      await lb.close()
    }
  }, 40_000)
})
