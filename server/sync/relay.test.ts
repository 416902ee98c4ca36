import * as decoding from 'lib0/decoding'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { DocLayout } from '../../shared/protocol.ts'
import { createLogger } from '../log.ts'
import { noteRecord } from '../test/fixtures.ts'
import { Connection } from './connection.ts'
import { DIRECT_MAX, relayBatch, type PendingUpdate } from './relay.ts'

/** A connection over a fake socket that records what is written to it, frame by frame. */
function fakeConnection(): { conn: Connection; received: Uint8Array[]; writes: () => number } {
  const received: Uint8Array[] = []
  let corked = 0
  let writes = 0
  const socket = {
    cork: () => void corked++,
    uncork: () => {
      corked--
      if (corked === 0) writes++
    },
  }
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    _socket: socket,
    send(m: Uint8Array) {
      received.push(m)
      if (corked === 0) writes++
    },
  }
  const conn = new Connection(ws as unknown as WebSocket, 'relaytest', 1 << 20, createLogger('silent'))
  return { conn, received, writes: () => writes }
}

/** The update inside a y-protocols sync "update" message. */
function payloadOf(message: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(message)
  expect(decoding.readVarUint(d)).toBe(0) // sync
  expect(decoding.readVarUint(d)).toBe(2) // update
  return decoding.readVarUint8Array(d)
}

/** `n` updates by `writers` people taking turns (each a note of their own doc), and their docs. */
function makeBatch(writers: Connection[], n: number): { batch: PendingUpdate[]; docs: Map<Connection, Y.Doc> } {
  const docs = new Map(writers.map((w) => [w, new Y.Doc()]))
  const batch: PendingUpdate[] = []
  for (let i = 0; i < n; i++) {
    const w = writers[i % writers.length]
    const doc = docs.get(w)!
    const once = (u: Uint8Array) => batch.push({ update: u, origin: w })
    doc.once('update', once)
    doc.getMap(DocLayout.records).set(`shape:n${i}`, noteRecord(`shape:n${i}`, i, i, `note ${i}`))
  }
  return { batch, docs }
}

describe('relayBatch (SRV-2, SRV-3)', () => {
  for (const [n, writerCount] of [
    [1, 1],
    [5, 3],
    [DIRECT_MAX, DIRECT_MAX],
    [40, 7],
    [200, 200],
  ] as const) {
    it(`SRV-2 ${n} updates by ${writerCount} writers: every writer gets all others' updates, never its own`, () => {
      const writers = Array.from({ length: writerCount }, () => fakeConnection())
      const readers = Array.from({ length: 3 }, () => fakeConnection())
      const { batch, docs } = makeBatch(
        writers.map((w) => w.conn),
        n,
      )
      const merged = Y.mergeUpdates(batch.map((p) => p.update))
      relayBatch([...writers, ...readers].map((c) => c.conn), batch, merged)

      const full = new Y.Doc()
      Y.applyUpdate(full, merged)
      const all = full.getMap(DocLayout.records).size
      expect(all).toBe(n)

      for (const w of writers) {
        const own = docs.get(w.conn)!
        for (const m of w.received) {
          const clients = new Set(Y.decodeUpdate(payloadOf(m)).structs.map((s) => s.id.client))
          expect(clients.has(own.clientID)).toBe(false)
          Y.applyUpdate(own, payloadOf(m))
        }
        expect(own.getMap(DocLayout.records).size).toBe(all)
        // all frames of one writer go out in one write; few frames even for big batches
        expect(w.writes()).toBe(w.received.length === 0 ? 0 : 1)
        if (n > DIRECT_MAX) expect(w.received.length).toBeLessThanOrEqual(2 * Math.ceil(Math.sqrt(n)) + 1)
      }
      // SRV-3: receivers that wrote nothing share one encoded message
      for (const r of readers) expect(r.received).toHaveLength(1)
      expect(readers[1].received[0]).toBe(readers[0].received[0])
    })
  }

  it('SRV-3 updates made by the server itself reach every client, writers included', () => {
    const a = fakeConnection()
    const { batch, docs } = makeBatch([a.conn], 2)
    const server = new Y.Doc()
    server.once('update', (u: Uint8Array) => batch.push({ update: u, origin: 'arvo:edits' }))
    server.getMap(DocLayout.meta).set('edits:u1', { edits: 1 })
    relayBatch([a.conn], batch, Y.mergeUpdates(batch.map((p) => p.update)))
    const own = docs.get(a.conn)!
    for (const m of a.received) Y.applyUpdate(own, payloadOf(m))
    expect(own.getMap(DocLayout.meta).get('edits:u1')).toEqual({ edits: 1 })
  })
})
