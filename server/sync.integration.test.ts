import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { CloseCode, DocLayout, MessageType, UpgradeRefusal } from '../shared/protocol.ts'
import { SqliteStorage } from './storage/sqlite.ts'
import { encodeSync, SyncStep } from './sync/messages.ts'
import { loadStored, noteRecord, startTestServer, waitFor, type TestServer } from './test/fixtures.ts'

/** A raw websocket to the sync endpoint, recording what it receives and how it closes. */
async function rawSocket(t: TestServer, boardId: string) {
  const ws = t.rawSocket(boardId)
  const received: Uint8Array[] = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  ws.on('message', (d: Buffer) => received.push(new Uint8Array(d)))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, received, closed }
}

describe('sync server with stock y-websocket clients', () => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer()
  })
  afterEach(async () => {
    await t.stop()
  })

  it('SYNC-1 two clients converge in both directions', async () => {
    const id = await t.createBoard()
    const a = await t.client(id)
    const b = await t.client(id)
    expect(a.records.get('page:page')).toMatchObject({ typeName: 'page' })
    a.records.set('shape:a', noteRecord('shape:a', 0, 0, 'from provider'))
    b.records.set('shape:b', noteRecord('shape:b', 300, 0, 'from customer', 'a2'))
    await waitFor(() => a.records.has('shape:b') && b.records.has('shape:a'), 5000, 'convergence')
    a.records.set('shape:b', { ...noteRecord('shape:b', 500, 50, 'moved by provider', 'a2') })
    await waitFor(() => (b.records.get('shape:b') as { x: number }).x === 500)
    b.records.delete('shape:a')
    await waitFor(() => !a.records.has('shape:a'))
    expect(a.records.toJSON()).toEqual(b.records.toJSON())
  })

  it('SYNC-2 the board survives a server restart and clients reconnect', async () => {
    const id = await t.createBoard()
    const a = await t.client(id)
    a.records.set('shape:keep', noteRecord('shape:keep', 10, 20, 'survives'))
    const b = await t.client(id)
    await waitFor(() => b.records.has('shape:keep'))
    await t.restart()
    const c = await t.client(id)
    expect((c.records.get('shape:keep') as { x: number }).x).toBe(10)
    await waitFor(() => a.provider.wsconnected && b.provider.wsconnected, 10_000, 'reconnect')
    a.records.set('shape:after', noteRecord('shape:after', 0, 300, 'after restart', 'a3'))
    await waitFor(() => b.records.has('shape:after') && c.records.has('shape:after'), 5000, 'post-restart sync')
  })

  it('SYNC-3 an update that reached another client is already on disk', async () => {
    const id = await t.createBoard()
    const a = await t.client(id)
    const b = await t.client(id)
    const checks: Promise<boolean>[] = []
    b.records.observe((event) => {
      if (event.keysChanged.has('shape:durable')) {
        // Read the database file from a separate connection at the moment B sees the note.
        checks.push(loadStored(t.dataDir, id).then((d) => d.getMap(DocLayout.records).has('shape:durable')))
      }
    })
    a.records.set('shape:durable', noteRecord('shape:durable', 0, 0, 'on disk first'))
    await waitFor(() => checks.length > 0)
    expect(await checks[0]).toBe(true)
  })

  it('SYNC-4 the server never echoes an update to its sender', async () => {
    const id = await t.createBoard()
    const raw = await rawSocket(t, id)
    const b = await t.client(id)
    await waitFor(() => raw.received.length >= 1)
    const doc = new Y.Doc()
    const sv = Y.encodeStateVector(doc)
    doc.getMap(DocLayout.records).set('shape:raw', noteRecord('shape:raw', 0, 0, 'raw'))
    raw.ws.send(encodeSync(SyncStep.update, Y.encodeStateAsUpdate(doc, sv)))
    await waitFor(() => b.records.has('shape:raw'))
    await new Promise((r) => setTimeout(r, 100))
    const updatesBack = raw.received.filter((m) => m[0] === MessageType.sync && m[1] === SyncStep.update)
    expect(updatesBack).toHaveLength(0)
    raw.ws.close()
  })

  it('SYNC-6 joiners get the cached state plus every update since, and hold the whole board when they are synced', async () => {
    const id = await t.createBoard()
    const a = await t.client(id)
    const b = await t.client(id)
    for (let round = 0; round < 4; round++) {
      a.records.set(`shape:r${round}`, noteRecord(`shape:r${round}`, round, 0, `round ${round}`))
      a.records.set('shape:moving', noteRecord('shape:moving', round * 100, 0, 'moving'))
      // the server has the writes once another client has them
      await waitFor(() => JSON.stringify(b.records.toJSON()) === JSON.stringify(a.records.toJSON()), 5000, `relay ${round}`)
      const joiner = await t.client(id) // resolves at y-websocket's "synced"
      expect(joiner.records.toJSON()).toEqual(a.records.toJSON())
      joiner.provider.destroy()
    }
  })

  it('SYNC-7 presence: every joiner of a burst sees everyone present, and later changes reach all', async () => {
    const id = await t.createBoard()
    const first = await t.client(id)
    first.provider.awareness.setLocalStateField('user', { id: 'u0', name: 'Ann', side: 'provider', color: '#1d4ed8' })
    const joiners = await Promise.all(Array.from({ length: 12 }, () => t.client(id)))
    joiners.forEach((j, i) => j.provider.awareness.setLocalStateField('user', { id: `u${i + 1}`, name: `P${i + 1}`, side: 'customer', color: '#c2410c' }))
    const names = (c: { provider: { awareness: { getStates(): Map<number, unknown> } } }) =>
      new Set([...c.provider.awareness.getStates().values()].map((st) => (st as { user?: { name: string } }).user?.name).filter(Boolean))
    for (const c of [first, ...joiners]) await waitFor(() => names(c).size === 13, 5000, 'everyone sees everyone')
    first.provider.awareness.setLocalStateField('user', { id: 'u0', name: 'Ann B', side: 'provider', color: '#1d4ed8' })
    for (const c of joiners) await waitFor(() => names(c).has('Ann B'), 5000, 'a later change reaches every joiner')
  })

  it('SYNC-5 refuses bad board ids and unknown boards at upgrade, with a reason', async () => {
    const id = await t.createBoard()
    const token = t.tokens(id).facilitator
    const statusOf = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}${path}`)
        ws.on('unexpected-response', (_req, res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        })
        ws.on('error', () => {})
      })
    expect(await statusOf('/sync/bad!id')).toEqual({ status: 400, body: expect.stringMatching(/invalid board id/) })
    expect(await statusOf('/sync/abc')).toMatchObject({ status: 400 })
    // an unknown board: no token of it can exist, so the answer is 401 (not whether it exists)
    expect(await statusOf('/sync/NoSuchBoard123')).toEqual({ status: 401, body: `${UpgradeRefusal.noToken.reason}\n` })
    expect(await statusOf(`/sync/NoSuchBoard123?token=${token}`)).toEqual({ status: 401, body: `${UpgradeRefusal.badToken.reason}\n` })
    expect(await statusOf('/elsewhere/x')).toMatchObject({ status: 404 })
  })
})

describe('bad input closes only the offending socket', () => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer({ MAX_FRAME_BYTES: '4096' })
  })
  afterEach(async () => {
    await t.stop()
  })

  async function expectOthersUnharmed(id: string, a: Awaited<ReturnType<TestServer['client']>>, b: Awaited<ReturnType<TestServer['client']>>, key: string) {
    a.records.set(key, noteRecord(key, 0, 0, 'still working'))
    await waitFor(() => b.records.has(key), 5000, 'others keep syncing')
    const stored = await loadStored(t.dataDir, id)
    expect(stored.getMap(DocLayout.records).get(key)).toEqual(a.records.get(key))
    expect(stored.getMap(DocLayout.records).has('page:page')).toBe(true)
  }

  it('BAD-1 a malformed message closes with 4001', async () => {
    const id = await t.createBoard()
    const [a, b] = [await t.client(id), await t.client(id)]
    const raw = await rawSocket(t, id)
    raw.ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
    expect(await raw.closed).toEqual({ code: CloseCode.malformedMessage.code, reason: CloseCode.malformedMessage.reason })
    const raw2 = await rawSocket(t, id)
    raw2.ws.send('text is not a y-websocket frame')
    expect((await raw2.closed).code).toBe(CloseCode.malformedMessage.code)
    const raw3 = await rawSocket(t, id)
    raw3.ws.send(new Uint8Array([7, 1, 2]))
    expect((await raw3.closed).code).toBe(CloseCode.malformedMessage.code)
    await expectOthersUnharmed(id, a, b, 'shape:ok1')
  })

  it('BAD-2 an oversized frame closes with 1009', async () => {
    const id = await t.createBoard()
    const [a, b] = [await t.client(id), await t.client(id)]
    const raw = await rawSocket(t, id)
    raw.ws.send(new Uint8Array(8192))
    expect((await raw.closed).code).toBe(CloseCode.frameTooLarge.code)
    await expectOthersUnharmed(id, a, b, 'shape:ok2')
  })

  it('BAD-3 an undecodable Yjs update closes with 4002', async () => {
    const id = await t.createBoard()
    const [a, b] = [await t.client(id), await t.client(id)]
    const raw = await rawSocket(t, id)
    const garbage = new Uint8Array(64).map((_, i) => (i * 37 + 11) % 256)
    raw.ws.send(encodeSync(SyncStep.update, garbage))
    expect((await raw.closed).code).toBe(CloseCode.invalidUpdate.code)
    await expectOthersUnharmed(id, a, b, 'shape:ok3')
  })

  it('BAD-3 an update that breaks only in its delete set: what the server took in is what it stores and relays', async () => {
    const id = await t.createBoard()
    const [a, b] = [await t.client(id), await t.client(id)]
    const raw = await rawSocket(t, id)
    const doc = new Y.Doc()
    doc.getMap(DocLayout.records).set('shape:half', noteRecord('shape:half', 1, 2, 'structs fine'))
    const update = Y.encodeStateAsUpdate(doc)
    expect(update[update.length - 1]).toBe(0) // an empty delete set ends the update
    const broken = new Uint8Array(update)
    broken[broken.length - 1] = 5 // claims five delete-set clients that are not there
    raw.ws.send(encodeSync(SyncStep.update, broken))
    expect((await raw.closed).code).toBe(CloseCode.invalidUpdate.code)
    await expectOthersUnharmed(id, a, b, 'shape:ok3b')
    // Yjs had integrated the note before it failed: the server keeps exactly that, on disk too
    const inServer = (await t.server.registry.snapshotOf(id))!.records.some((r) => (r as { id: string }).id === 'shape:half')
    const stored = (await loadStored(t.dataDir, id)).getMap(DocLayout.records).has('shape:half')
    expect(inServer).toBe(true)
    expect(stored).toBe(true)
    expect(a.records.has('shape:half')).toBe(true)
  })

  it('BAD-4 an invalid record is reverted, closes with 4003 and never reaches storage', async () => {
    const id = await t.createBoard()
    const [a, b] = [await t.client(id), await t.client(id)]
    const raw = await rawSocket(t, id)
    const doc = new Y.Doc()
    doc.getMap(DocLayout.records).set('shape:bad', { id: 'shape:bad', typeName: 'shape', type: 'note', x: 'left' })
    raw.ws.send(encodeSync(SyncStep.update, Y.encodeStateAsUpdate(doc)))
    expect((await raw.closed).code).toBe(CloseCode.invalidRecord.code)
    await expectOthersUnharmed(id, a, b, 'shape:ok4')
    expect(a.records.has('shape:bad')).toBe(false)
    expect(b.records.has('shape:bad')).toBe(false)
    expect((await loadStored(t.dataDir, id)).getMap(DocLayout.records).has('shape:bad')).toBe(false)
  })

  it('BAD-5 deleting the page or overwriting a valid note with garbage is reverted', async () => {
    const id = await t.createBoard()
    const a = await t.client(id)
    a.records.set('shape:n', noteRecord('shape:n', 1, 2, 'valid'))
    const evil = await t.client(id)
    await waitFor(() => evil.records.has('shape:n'))
    const codes: number[] = []
    evil.provider.on('connection-close', (e) => codes.push(e?.code ?? 0))
    evil.records.set('shape:n', { oops: true })
    evil.records.delete('page:page')
    await waitFor(() => codes.includes(CloseCode.invalidRecord.code), 5000, 'evil client closed')
    evil.provider.destroy()
    await new Promise((r) => setTimeout(r, 100))
    expect(a.records.get('shape:n')).toEqual(noteRecord('shape:n', 1, 2, 'valid'))
    expect(a.records.has('page:page')).toBe(true)
    const stored = (await loadStored(t.dataDir, id)).getMap(DocLayout.records)
    expect(stored.get('shape:n')).toEqual(noteRecord('shape:n', 1, 2, 'valid'))
    expect(stored.has('page:page')).toBe(true)
  })
})

describe('slow and stuck clients', () => {
  it('SRV-8 a client that stops reading is closed with 4008 once its queue has not drained for CLIENT_STALL_MS; others carry on', async () => {
    const t = await startTestServer({ CLIENT_STALL_MS: '300' })
    try {
      const id = await t.createBoard()
      const [a, b] = [await t.client(id), await t.client(id)]
      const stuck = await rawSocket(t, id)
      ;(stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause() // stops reading: the kernel buffers fill
      const room = await t.server.registry.get(id)
      expect(room.conns.size).toBe(3)
      let droppedAt = 0
      for (let i = 0; i < 120 && !droppedAt; i++) {
        a.records.set(`shape:big${i}`, noteRecord(`shape:big${i}`, i, 0, 'x'.repeat(100_000)))
        await new Promise((r) => setTimeout(r, 15))
        if (room.conns.size === 2) droppedAt = Date.now()
      }
      await waitFor(() => room.conns.size === 2, 5000, 'the server to drop the stuck client')
      // dropped while the writer was still going: long before its queue could reach MAX_BUFFERED_BYTES
      expect(droppedAt).toBeGreaterThan(0)
      // once it reads again, it finds its socket closed and reconnects (a stock client resyncs)
      ;(stuck.ws as unknown as { _socket: { resume(): void } })._socket.resume()
      expect([CloseCode.tooSlow.code, 1006]).toContain((await stuck.closed).code)
      const last = [...a.records.keys()].filter((k) => k.startsWith('shape:big')).length
      await waitFor(() => [...b.records.keys()].filter((k) => k.startsWith('shape:big')).length === last, 30_000, 'the reading client gets everything')
    } finally {
      await t.stop()
    }
  }, 60_000)
})

describe('room lifecycle', () => {
  it('ROOM-1 concurrent joins load a room once; it unloads and compacts after the last client leaves', async () => {
    const t = await startTestServer()
    try {
      const id = await t.createBoard()
      const clients = await Promise.all([t.client(id), t.client(id), t.client(id)])
      expect(t.server.registry.size).toBe(1)
      for (let i = 0; i < 20; i++) clients[i % 3].records.set(`shape:n${i}`, noteRecord(`shape:n${i}`, i * 10, 0, `n${i}`, `a1${String.fromCharCode(65 + i)}`))
      await waitFor(() => clients.every((c) => c.records.size === 22))
      for (const c of clients) c.provider.destroy()
      await waitFor(() => t.server.registry.size === 0, 5000, 'unload')
      expect(await t.server.storage.logLength(id)).toBe(0)
      const again = await t.client(id)
      expect(again.records.size).toBe(22)
    } finally {
      await t.stop()
    }
  })
})


describe('compaction', () => {
  it('SRV-6 periodic compaction (worker thread) keeps the log short while edits go on, and the board whole', async () => {
    const t = await startTestServer({ COMPACT_EVERY: '10', ROOM_UNLOAD_DELAY_MS: '60000' })
    try {
      const id = await t.createBoard()
      const a = await t.client(id)
      const b = await t.client(id)
      for (let i = 0; i < 60; i++) {
        a.records.set(`shape:c${i % 12}`, noteRecord(`shape:c${i % 12}`, i, 0, `v${i}`, `a1${String.fromCharCode(65 + (i % 12))}`))
        // one log entry per edit: the next edit once this one is relayed (so on disk)
        await waitFor(() => (b.records.get(`shape:c${i % 12}`) as { x?: number } | undefined)?.x === i, 5000, `edit ${i}`)
      }
      await waitFor(() => JSON.stringify(b.records.toJSON()) === JSON.stringify(a.records.toJSON()), 5000, 'sync')
      // compaction is asynchronous (and the worker's first start takes a moment)
      let log = Infinity
      let stored = (await t.server.storage.load(id))!
      for (const end = Date.now() + 5000; (log >= 25 || !stored.snapshot) && Date.now() < end; ) {
        await new Promise((r) => setTimeout(r, 50))
        log = await t.server.storage.logLength(id)
        stored = (await t.server.storage.load(id))!
      }
      expect(log).toBeLessThan(25)
      expect(stored.snapshot).not.toBeNull()
      await t.restart()
      const c = await t.client(id)
      expect(c.records.toJSON()).toEqual(a.records.toJSON())
    } finally {
      await t.stop()
    }
  })

  it('SRV-6 WAL checkpoints run in the worker thread: commits on the event loop never checkpoint, yet the database file takes the log in', async () => {
    const t = await startTestServer({ COMPACT_EVERY: '100000', ROOM_UNLOAD_DELAY_MS: '60000' })
    try {
      const storage = t.server.storage as SqliteStorage
      expect(storage.autoCheckpointPages()).toBe(0)
      const dbFile = join(t.dataDir, 'arvo.sqlite')
      const before = statSync(dbFile).size
      const id = await t.createBoard()
      const a = await t.client(id)
      // ~3 MB of notes: far past SQLite's own checkpoint threshold (1000 pages, 4 MB of WAL frames)
      for (let i = 0; i < 300; i++) {
        a.records.set(`shape:w${i}`, noteRecord(`shape:w${i}`, i, 0, 'x'.repeat(10_000)))
        await new Promise((r) => setTimeout(r, 1))
      }
      await waitFor(() => statSync(dbFile).size > before + 2_000_000, 5000, 'the worker to checkpoint the WAL into the database')
    } finally {
      await t.stop()
    }
  })
})
