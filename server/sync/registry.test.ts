import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { DocLayout } from '../../shared/protocol.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import { createLogger } from '../log.ts'
import { MemoryStorage } from '../storage/memory.ts'
import { noteRecord, waitFor } from '../test/fixtures.ts'
import { Connection } from './connection.ts'
import { relayWindowMs, RoomRegistry } from './registry.ts'

const log = createLogger('silent')

function fakeConnection(): { conn: Connection; received: Uint8Array[] } {
  const received: Uint8Array[] = []
  const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (m: Uint8Array) => void received.push(m) }
  return { conn: new Connection(ws as unknown as WebSocket, 'board-1', 1 << 20, log), received }
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

class CountingStorage extends MemoryStorage {
  appends = 0
  override async append(entries: Parameters<MemoryStorage['append']>[0]): Promise<number[]> {
    this.appends++
    return super.append(entries)
  }
}

let registry: RoomRegistry | null = null
afterEach(async () => {
  await registry?.close()
  registry = null
})

/** `edits` updates, one every `gapMs`, from one writer into a room of `readers` + 1 connections. */
async function run(batchUsPerClient: number, readers: number, edits: number, gapMs: number) {
  const storage = new CountingStorage()
  await storage.createBoard('board-1', initialBoardUpdate())
  registry = new RoomRegistry({ storage, log, roomUnloadDelayMs: 10, awarenessBatchMs: 15, compactEvery: 1e6, batchUsPerClient })
  const room = await registry.get('board-1')
  const writer = fakeConnection()
  const others = Array.from({ length: readers }, () => fakeConnection())
  for (const c of [writer, ...others]) room.addConnection(c.conn)
  const baseline = others[0].received.length
  const doc = new Y.Doc()
  doc.on('update', (u: Uint8Array) => room.handleMessage(writer.conn, updateMessage(u)))
  for (let i = 0; i < edits; i++) {
    doc.getMap(DocLayout.records).set(`shape:n${i}`, noteRecord(`shape:n${i}`, i, i, `n${i}`))
    await new Promise((r) => setTimeout(r, gapMs))
  }
  await waitFor(() => !room.hasPending && storage.appends > 0, 2000, 'flushed')
  await new Promise((r) => setTimeout(r, 20))
  // every reader holds every edit
  const check = new Y.Doc()
  Y.applyUpdate(check, initialBoardUpdate())
  for (const m of others[0].received.slice(baseline)) {
    const d = decoding.createDecoder(m)
    expect([decoding.readVarUint(d), decoding.readVarUint(d)]).toEqual([0, 2]) // sync update
    Y.applyUpdate(check, decoding.readVarUint8Array(d))
  }
  expect(check.getMap(DocLayout.records).size).toBe(edits + 2)
  return { appends: storage.appends, relays: others[0].received.length - baseline }
}

describe('relay window (SRV-7)', () => {
  it('SRV-7 the window grows with the room and is capped', () => {
    expect(relayWindowMs(5, 40)).toBeCloseTo(0.2)
    expect(relayWindowMs(200, 40)).toBeCloseTo(8)
    expect(relayWindowMs(10_000, 40)).toBe(10)
  })

  it('SRV-7 a small room relays every edit on its own; a large room batches edits within its window', async () => {
    const small = await run(0, 3, 12, 2)
    expect(small.relays).toBe(12)
    await registry?.close()
    registry = null
    // 4 connections x 5000 µs = 20 ms window, capped at 10 ms: 12 edits 2 ms apart -> a few relays
    const large = await run(5000, 3, 12, 2)
    expect(large.relays).toBeLessThanOrEqual(6)
    expect(large.relays).toBeGreaterThanOrEqual(2)
    expect(large.appends).toBe(large.relays)
  })
})
