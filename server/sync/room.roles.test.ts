import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { buildNote, placeTemplates, readArvoMeta } from '../../shared/domain/index.ts'
import { CloseCode, DocLayout, type Principal } from '../../shared/protocol.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import { createLogger } from '../log.ts'
import { Connection } from './connection.ts'
import { Room, type RoomHost } from './room.ts'
import { carriesNews } from './writes.ts'
import { sanitizeAwarenessState } from './presence.ts'

const log = createLogger('silent')
const templates = placeTemplates(['staircase'], 'en')
const zone = templates.find((s) => readArvoMeta(s)?.kind === 'zone')!

const FACILITATOR: Principal = { role: 'facilitator', side: null, personId: 'fac', link: 'facilitator' }
const CUSTOMER: Principal = { role: 'participant', side: 'customer', personId: 'cust', link: 'customer' }
const VIEWER: Principal = { role: 'viewer', side: null, personId: 'view', link: 'viewer' }

interface Fake {
  conn: Connection
  received: Uint8Array[]
  closed: () => number | null
}
function fake(principal: Principal): Fake {
  const received: Uint8Array[] = []
  let code: number | null = null
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (m: Uint8Array) => void received.push(m),
    close(c: number) {
      code = c
      this.readyState = 3
    },
    once() {},
    terminate() {},
  }
  return { conn: new Connection(ws as unknown as WebSocket, 'board01', 1 << 20, log, 5000, principal), received, closed: () => code }
}

/** A room whose batches are "persisted" (kept in `stored`) and relayed at once. */
function room() {
  const stored: Uint8Array[] = []
  const host: RoomHost = {
    log,
    awarenessBatchMs: 1,
    requestFlush(r) {
      const batch = r.takePending()
      if (batch.length === 0) return
      const merged = Y.mergeUpdates(batch.map((p) => p.update))
      stored.push(merged)
      r.persisted(batch, merged, { update: merged, seq: stored.length })
    },
    roomEmpty() {},
    ballots: async () => [],
    closeVote: async () => [],
    forgetBallots: async () => {},
    publish() {},
  }
  const r = new Room('board01', { snapshot: null, snapshotSeq: 0, updates: [initialBoardUpdate(templates)], lastSeq: 1 }, host)
  return { room: r, stored }
}

function syncMessage(step: number, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/** A client doc holding the room's board, whose next writes are sent to the room as `conn`. */
function clientOf(r: Room, f: Fake): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(r.doc))
  doc.on('update', (u: Uint8Array) => r.handleMessage(f.conn, syncMessage(2, u)))
  return doc
}

/** Everything `f` received, as text (to look for a marker string in the raw bytes). */
const bytesOf = (f: Fake) => f.received.map((m) => Buffer.from(m).toString('latin1')).join('')
const doc = (u: Uint8Array[]) => {
  const d = new Y.Doc()
  for (const x of u) Y.applyUpdate(d, x)
  return d
}

describe('room enforcement with connection principals (server/SPEC.md ROLE-*, SESS-*)', () => {
  it('ROLE-1 a viewer\'s update with news is dropped before it is applied and closes it with 4403; an empty sync answer is ignored', () => {
    const { room: r, stored } = room()
    const viewer = fake(VIEWER)
    const bystander = fake(FACILITATOR)
    r.addConnection(viewer.conn)
    r.addConnection(bystander.conn)
    const before = stored.length
    const vdoc = new Y.Doc()
    Y.applyUpdate(vdoc, Y.encodeStateAsUpdate(r.doc))
    // Its answer to the server's step 1 carries nothing new: ignored.
    r.handleMessage(viewer.conn, syncMessage(1, Y.encodeStateAsUpdate(vdoc, Y.encodeStateVector(r.doc))))
    expect(viewer.closed()).toBeNull()
    const sv = Y.encodeStateVector(vdoc)
    vdoc.getMap(DocLayout.records).set('shape:viewer-marker', { id: 'shape:viewer-marker' })
    r.handleMessage(viewer.conn, syncMessage(2, Y.encodeStateAsUpdate(vdoc, sv)))
    expect(viewer.closed()).toBe(CloseCode.forbidden.code)
    expect(r.doc.getMap(DocLayout.records).has('shape:viewer-marker')).toBe(false)
    expect(stored.length).toBe(before)
    expect(bytesOf(bystander)).not.toContain('viewer-marker')
  })

  it('ROLE-1 news is structs beyond the state vector or deletions of items not deleted; known content is not', () => {
    const { room: r } = room()
    const d = new Y.Doc()
    Y.applyUpdate(d, Y.encodeStateAsUpdate(r.doc))
    expect(carriesNews(r.doc, Y.encodeStateAsUpdate(d))).toBe(false)
    const sv = Y.encodeStateVector(d)
    d.getMap(DocLayout.records).delete(zone.id)
    const deletion = Y.encodeStateAsUpdate(d, sv)
    expect(carriesNews(r.doc, deletion)).toBe(true)
    // The same deletion, once the server has it, is no news.
    Y.applyUpdate(r.doc, deletion)
    expect(carriesNews(r.doc, Y.encodeStateAsUpdate(d))).toBe(false)
  })

  it('ROLE-3 ROLE-7 a participant\'s refused write is never stored nor relayed (only the net result), and closes it with 4403', () => {
    const { room: r, stored } = room()
    const writer = fake(CUSTOMER)
    const bystander = fake(FACILITATOR)
    r.addConnection(writer.conn)
    r.addConnection(bystander.conn)
    const c = clientOf(r, writer)
    c.getMap(DocLayout.records).set(zone.id, { ...zone, x: 4242, meta: { ...zone.meta, marker: 'refused-marker' } })
    expect(writer.closed()).toBe(CloseCode.forbidden.code)
    expect(r.doc.getMap(DocLayout.records).get(zone.id)).toEqual(zone)
    expect(bytesOf(bystander)).not.toContain('refused-marker')
    expect(stored.map((u) => Buffer.from(u).toString('latin1')).join('')).not.toContain('refused-marker')
    // What was stored rebuilds the server's doc exactly.
    expect(doc([initialBoardUpdate(templates), ...stored]).getMap(DocLayout.records).toJSON()).toEqual(r.doc.getMap(DocLayout.records).toJSON())
  })

  it('ROLE-2 ROLE-5 while the board is locked a participant\'s writes are refused; a participant cannot unlock it; the facilitator can', () => {
    const { room: r } = room()
    const fac = fake(FACILITATOR)
    r.addConnection(fac.conn)
    const f = clientOf(r, fac)
    f.getMap(DocLayout.session).set('boardLocked', true)
    expect(fac.closed()).toBeNull()
    expect(r.doc.getMap(DocLayout.session).get('boardLocked')).toBe(true)
    const p = fake(CUSTOMER)
    r.addConnection(p.conn)
    const c = clientOf(r, p)
    c.transact(() => {
      c.getMap(DocLayout.session).set('boardLocked', false) // in the same update: it must not open the board
      c.getMap(DocLayout.records).set('shape:n1', buildNote({ id: 'n1', x: 0, y: 0, index: 'a9' as never, text: 'x', author: { authorId: 'cust', authorName: 'K', side: 'customer' } }))
    })
    expect(p.closed()).toBe(CloseCode.forbidden.code)
    expect(r.doc.getMap(DocLayout.records).has('shape:n1')).toBe(false)
    expect(r.doc.getMap(DocLayout.session).get('boardLocked')).toBe(true)
    // Unlocked by the facilitator (whose doc has caught up): the same write by a new participant connection is kept (positive control).
    Y.applyUpdate(f, Y.encodeStateAsUpdate(r.doc))
    f.getMap(DocLayout.session).set('boardLocked', false)
    const p2 = fake(CUSTOMER)
    r.addConnection(p2.conn)
    clientOf(r, p2).getMap(DocLayout.records).set('shape:n2', buildNote({ id: 'n2', x: 0, y: 0, index: 'a8' as never, text: 'y', author: { authorId: 'cust', authorName: '', side: 'customer' } }))
    expect(p2.closed()).toBeNull()
    expect(r.doc.getMap(DocLayout.records).has('shape:n2')).toBe(true)
    // A session value outside its schema is refused even from the facilitator (4003).
    f.getMap(DocLayout.session).set('boardLocked', 'yes')
    expect(fac.closed()).toBe(CloseCode.invalidRecord.code)
  })

  it('ROLE-4 ROLE-8 a new note is attributed to the principal and the correction reaches everyone, the writer included, without a close', () => {
    const { room: r, stored } = room()
    const writer = fake(CUSTOMER)
    const bystander = fake(FACILITATOR)
    r.addConnection(writer.conn)
    r.addConnection(bystander.conn)
    const c = clientOf(r, writer)
    const forged = buildNote({ id: 'n1', x: 0, y: 0, index: 'a9' as never, text: 'Faster onboarding', author: { authorId: 'someone-else', authorName: 'Pia', side: 'provider' } })
    const seen = writer.received.length
    c.getMap(DocLayout.records).set(forged.id, forged)
    expect(writer.closed()).toBeNull()
    expect(readArvoMeta(r.doc.getMap(DocLayout.records).get(forged.id))).toMatchObject({ authorId: 'cust', side: 'customer' })
    // The writer got the correction: its doc now equals the server's.
    for (const m of writer.received.slice(seen)) {
      const d = decoding.createDecoder(m)
      if (decoding.readVarUint(d) !== 0) continue
      decoding.readVarUint(d)
      Y.applyUpdate(c, decoding.readVarUint8Array(d))
    }
    expect(c.getMap(DocLayout.records).toJSON()).toEqual(r.doc.getMap(DocLayout.records).toJSON())
    expect(doc([initialBoardUpdate(templates), ...stored]).getMap(DocLayout.records).get(forged.id)).toEqual(r.doc.getMap(DocLayout.records).get(forged.id))
    expect(bytesOf(bystander)).not.toContain('someone-else')
  })

  it('SESS-1 SESS-2 awareness: id, role and a participant\'s side come from the principal; another connection\'s client id cannot be borrowed', async () => {
    const { room: r } = room()
    const a = fake(CUSTOMER)
    const b = fake({ ...CUSTOMER, personId: 'mallory', side: 'provider', link: 'provider' })
    r.addConnection(a.conn)
    r.addConnection(b.conn)
    const aw = new awarenessProtocol.Awareness(new Y.Doc())
    aw.setLocalStateField('user', { id: 'claimed', name: 'Kaisa', side: 'provider', color: '#c2410c', role: 'facilitator' })
    const msg = (update: Uint8Array) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(e, update)
      return encoding.toUint8Array(e)
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])
    r.handleMessage(a.conn, msg(update))
    expect(r.awareness.getStates().get(aw.clientID)).toMatchObject({ user: { id: 'cust', role: 'participant', side: 'customer', name: 'Kaisa' } })
    // Mallory replays Kaisa's state under Kaisa's client id (a later clock): dropped.
    aw.setLocalStateField('user', { id: 'cust', name: 'Kaisa', side: 'customer', color: '#c2410c' })
    r.handleMessage(b.conn, msg(awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID])))
    expect(b.conn.awarenessIds.size).toBe(0)
    expect(b.conn.user).toBeNull()
    expect(a.conn.awarenessIds.has(aw.clientID)).toBe(true)
    // Malformed states close the sender.
    r.handleMessage(b.conn, msg(new Uint8Array([1, 5, 1, 1, 0x7b])))
    expect(b.closed()).toBe(CloseCode.malformedMessage.code)
  })

  it('SESS-1 a viewer\'s state keeps only its user and cursor-ish presence fields', () => {
    const state = {
      user: { id: 'x', name: 'Vera', color: '#123', side: 'customer', extra: 1 },
      activeAt: 5,
      chat: 'hi',
      presence: { cursor: { x: 1, y: 2, type: 'default', rotation: 0 }, selectedShapeIds: ['shape:a'], brush: { x: 0, y: 0, w: 1, h: 1 }, chatMessage: 'hello', userName: 'Vera', camera: { x: 0, y: 0, z: 1 } },
    }
    expect(sanitizeAwarenessState(state, VIEWER)).toEqual({
      user: { id: 'view', name: 'Vera', color: '#123', side: 'customer', role: 'viewer' },
      activeAt: 5,
      presence: { cursor: { x: 1, y: 2, type: 'default', rotation: 0 }, selectedShapeIds: [], brush: null, scribbles: [], chatMessage: '', meta: {}, userName: 'Vera', camera: { x: 0, y: 0, z: 1 } },
    })
    // Participants keep their fields (positive control), with id, role and side forced.
    expect(sanitizeAwarenessState(state, CUSTOMER)).toMatchObject({ chat: 'hi', presence: { chatMessage: 'hello' }, user: { id: 'cust', role: 'participant', side: 'customer', extra: 1 } })
  })
})
