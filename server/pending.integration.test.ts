/**
 * ROLE-9, ROLE-10: nothing a client sends may wait on the server (Yjs "pending" structs and
 * deletions), to be integrated later inside another connection's update and checked as that
 * connection's; and a Yjs client id writes for one person only. Each test is an attack a
 * reviewer proved against the server before these rules (H1–H6), now refused.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import type { TLShape } from '@tldraw/tlschema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildNote, readArvoMeta } from '../shared/domain/index.ts'
import { DocLayout } from '../shared/protocol.ts'
import { loadStored, startTestServer, waitFor, type TestServer } from './test/fixtures.ts'

type Client = Awaited<ReturnType<TestServer['client']>>
let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})
/** A person secret (16+ base64url characters): each person of a test connects with their own. */
function person(name: string) {
  return { secret: `secret-of-${name}-0123456789` }
}
const closes = (c: Client): number[] => {
  const out: number[] = []
  c.provider.on('connection-close', (e: CloseEvent | null) => out.push(e?.code ?? 0))
  return out
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** sync update frame */
function syncUpdate(u: Uint8Array): Uint8Array<ArrayBuffer> {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, u)
  return new Uint8Array(encoding.toUint8Array(e))
}
/** A deletions-only update: delete [clock, clock+len) of `client`. */
function deleteOnly(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0) // no structs
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, clock)
  encoding.writeVarUint(e, len)
  return encoding.toUint8Array(e)
}
function encodeSV(sv: Map<number, number>): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, sv.size)
  for (const [c, k] of sv) {
    encoding.writeVarUint(e, c)
    encoding.writeVarUint(e, k)
  }
  return encoding.toUint8Array(e)
}

/** `u` (v1) with its delete set removed: map overwrites still delete the old value when integrated. */
function stripDs(u: Uint8Array): Uint8Array {
  const { ds } = Y.decodeUpdate(u)
  const e = encoding.createEncoder()
  const clients = [...ds.clients.entries()].sort((a, b) => b[0] - a[0])
  encoding.writeVarUint(e, clients.length)
  for (const [c, ranges] of clients) {
    encoding.writeVarUint(e, c)
    encoding.writeVarUint(e, ranges.length)
    for (const r of ranges) {
      encoding.writeVarUint(e, r.clock)
      encoding.writeVarUint(e, r.len)
    }
  }
  const tail = encoding.toUint8Array(e)
  const head = u.slice(0, u.length - tail.length)
  if (Buffer.compare(Buffer.from(u.slice(u.length - tail.length)), Buffer.from(tail)) !== 0) throw new Error('ds suffix mismatch')
  const out = new Uint8Array(head.length + 1)
  out.set(head)
  out[head.length] = 0
  return out
}
async function board(templates: string[] = ['staircase']) {
  const id = await t.createBoard({ templates })
  const fac = await t.client(id, { link: 'facilitator', person: person('fiona').secret })
  fac.provider.awareness.setLocalStateField('user', { id: 'x', name: 'Fiona', side: 'provider', color: '#000' })
  const shapes = [...fac.records.values()] as TLShape[]
  const zone = shapes.find((s) => readArvoMeta(s)?.kind === 'zone')!
  return { id, fac, zone }
}
const room = (id: string) => t.server.registry.get(id)
let ni = 0
const note = (id: string, text: string) =>
  buildNote({ id, x: 0, y: 0, index: `a${(ni++ % 9) + 1}` as never, text, author: { authorId: 'pia', authorName: 'Pia', side: 'provider' } })

const closeCode = (codes: number[]) => waitFor(() => codes.length > 0, 3000, 'the writer closed').then(() => codes[0])
const destroy = (...cs: Client[]) => cs.forEach((c) => c.provider.destroy())

describe('nothing pending, one person per client id (ROLE-9, ROLE-10)', () => {
  it('ROLE-9 H1 a deletion of the facilitator\'s future clocks is dropped: the lock still takes effect, later notes stay', async () => {
    const { id, fac } = await board([])
    const p = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const pc = closes(p)
    const F = fac.doc.clientID
    p.provider.ws!.send(syncUpdate(deleteOnly(F, Y.getState(p.doc.store, F), 1_000_000)))
    expect(await closeCode(pc)).toBe(4002)
    const r = await room(id)
    expect(r.doc.store.pendingDs).toBeNull()
    fac.doc.getMap(DocLayout.session).set('boardLocked', true)
    fac.records.set('shape:facnote', note('facnote', 'fac'))
    await waitFor(() => r.doc.getMap(DocLayout.session).get('boardLocked') === true && r.doc.getMap(DocLayout.records).has('shape:facnote'), 3000, 'lock and note on the server')
    destroy(p, fac)
    await t.restart()
    const stored = await loadStored(t.dataDir, id)
    expect(stored.getMap(DocLayout.session).get('boardLocked')).toBe(true)
    expect(stored.getMap(DocLayout.records).has('shape:facnote')).toBe(true)
  })

  it('ROLE-9 H2 structs behind a gap under the facilitator\'s client id are refused: no session write, no template move', async () => {
    const { id, fac, zone } = await board(['staircase'])
    const p = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const pc = closes(p)
    const F = fac.doc.clientID
    const s = Y.getState(p.doc.store, F)
    const forge = new Y.Doc()
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(p.doc))
    forge.clientID = F
    forge.getMap('meta').set('zz-dummy', 1) // F:s, never sent
    forge.transact(() => {
      forge.getMap(DocLayout.session).set('templatesUnlocked', true)
      forge.getMap(DocLayout.records).set(zone.id, { ...zone, x: zone.x + 999 })
    })
    const sv = new Map(Y.decodeStateVector(Y.encodeStateVector(forge)))
    sv.set(F, s + 1)
    p.provider.ws!.send(syncUpdate(stripDs(Y.encodeStateAsUpdate(forge, encodeSV(sv)))))
    expect(await closeCode(pc)).toBe(4003)
    const r = await room(id)
    expect(r.doc.store.pendingStructs).toBeNull()
    fac.records.set('shape:f1', note('f1', 'hello'))
    await waitFor(() => r.doc.getMap(DocLayout.records).has('shape:f1'), 3000, 'the facilitator note')
    expect(r.doc.getMap(DocLayout.session).get('templatesUnlocked')).toBeUndefined()
    expect((r.doc.getMap(DocLayout.records).get(zone.id) as TLShape).x).toBe(zone.x)
    destroy(p, fac)
  })

  it('ROLE-10 H2b new structs under another live person\'s client id (no gap) are refused 4403; the real writer carries on', async () => {
    const { id, fac } = await board([])
    await sleep(100) // the facilitator's awareness (its client id) reaches the server
    const p = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const pc = closes(p)
    const forge = new Y.Doc()
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(p.doc))
    forge.clientID = fac.doc.clientID
    const before = Y.encodeStateVector(forge)
    forge.getMap(DocLayout.session).set('templatesUnlocked', true)
    p.provider.ws!.send(syncUpdate(Y.encodeStateAsUpdate(forge, before)))
    expect(await closeCode(pc)).toBe(4403)
    const r = await room(id)
    fac.records.set('shape:f2', note('f2', 'still mine'))
    await waitFor(() => r.doc.getMap(DocLayout.records).has('shape:f2'), 3000, 'the facilitator note')
    expect(r.doc.getMap(DocLayout.session).get('templatesUnlocked')).toBeUndefined()
    destroy(p, fac)
  })

  it('ROLE-9 H3 a note forged behind a gap under another participant\'s client id never reaches the board', async () => {
    const { id } = await board([])
    const kaisa = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const pekka = await t.client(id, { link: 'provider', person: person('pekka').secret })
    const kc = closes(kaisa)
    const V = pekka.doc.clientID
    const s = Y.getState(kaisa.doc.store, V)
    const forge = new Y.Doc()
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(kaisa.doc))
    forge.clientID = V
    forge.getMap('meta').set('zz-dummy', 1)
    forge.getMap(DocLayout.records).set('shape:forged', note('forged', 'pekka-says-the-project-is-doomed'))
    const sv = new Map(Y.decodeStateVector(Y.encodeStateVector(forge)))
    sv.set(V, s + 1)
    kaisa.provider.ws!.send(syncUpdate(stripDs(Y.encodeStateAsUpdate(forge, encodeSV(sv)))))
    expect(await closeCode(kc)).toBe(4003)
    pekka.records.set('shape:pekka1', note('pekka1', 'mine'))
    const r = await room(id)
    await waitFor(() => r.doc.getMap(DocLayout.records).has('shape:pekka1'), 3000, 'Pekka’s note')
    await sleep(200)
    expect(r.doc.getMap(DocLayout.records).has('shape:forged')).toBe(false)
    destroy(kaisa, pekka)
  })

  it('ROLE-9 H4 refused content behind a gap is never relayed nor stored', async () => {
    const { id, zone, fac } = await board(['staircase'])
    const by = t.rawSocket(id, { link: 'viewer' })
    const got: Buffer[] = []
    by.on('message', (d: Buffer) => got.push(Buffer.from(d)))
    await new Promise((r) => by.once('open', r))
    const p = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const pc = closes(p)
    const forge = new Y.Doc()
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(p.doc))
    forge.clientID = 424242
    forge.getMap('meta').set('zz-dummy', 1) // 424242:0 withheld
    forge.getMap(DocLayout.records).set(zone.id, { ...zone, meta: { ...zone.meta, secret: 'REFUSED-CONTENT-MARKER' } })
    const sv = new Map(Y.decodeStateVector(Y.encodeStateVector(forge)))
    sv.set(424242, 1)
    p.provider.ws!.send(syncUpdate(stripDs(Y.encodeStateAsUpdate(forge, encodeSV(sv)))))
    expect(await closeCode(pc)).toBe(4003)
    fac.records.set('shape:after', note('after', 'positive control'))
    await waitFor(() => Buffer.concat(got).toString('latin1').includes('positive control'), 3000, 'the bystander hears the next write')
    expect(Buffer.concat(got).toString('latin1')).not.toContain('REFUSED-CONTENT-MARKER')
    destroy(p, fac)
    by.close()
    await t.restart()
    const { readFileSync, readdirSync } = await import('node:fs')
    for (const f of readdirSync(t.dataDir)) expect(readFileSync(`${t.dataDir}/${f}`).toString('latin1')).not.toContain('REFUSED-CONTENT-MARKER')
  })

  it('ROLE-9 H5 a list item in a layout map is refused before it is applied', async () => {
    const { id, fac } = await board([])
    fac.doc.getMap(DocLayout.session).set('boardLocked', true)
    await sleep(200)
    const by = t.rawSocket(id, { link: 'viewer' })
    const got: Buffer[] = []
    by.on('message', (d: Buffer) => got.push(Buffer.from(d)))
    await new Promise((r) => by.once('open', r))
    const p = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const pc = closes(p)
    const forge = new Y.Doc()
    forge.getArray(DocLayout.session)
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(p.doc))
    const before = Y.encodeStateVector(forge)
    forge.getArray(DocLayout.session).insert(0, ['LOCKED-WRITE-MARKER'.repeat(100)])
    p.provider.ws!.send(syncUpdate(Y.encodeStateAsUpdate(forge, before)))
    expect(await closeCode(pc)).toBe(4003)
    await sleep(200)
    const r = await room(id)
    expect(Buffer.concat(got).toString('latin1')).not.toContain('LOCKED-WRITE-MARKER')
    expect((r.doc.share.get(DocLayout.session) as Y.AbstractType<unknown>)._length).toBe(0)
    destroy(p, fac)
    by.close()
  })

  it('ROLE-9 H6 a deletion of the server\'s future clocks is dropped: reverts still work, innocent writers are not closed', async () => {
    const { id, fac, zone } = await board(['staircase'])
    const r = await room(id)
    const S = r.doc.clientID
    const attacker = await t.client(id, { link: 'customer', person: person('mallory').secret })
    const ac = closes(attacker)
    attacker.provider.ws!.send(syncUpdate(deleteOnly(S, Y.getState(attacker.doc.store, S), 1_000_000)))
    expect(await closeCode(ac)).toBe(4002)
    attacker.provider.destroy()
    const thrower = await t.client(id, { link: 'customer', person: person('tom').secret })
    const tc = closes(thrower)
    thrower.records.set(zone.id, { ...zone, x: zone.x + 1 })
    expect(await closeCode(tc)).toBe(4403)
    thrower.provider.destroy()
    const inno = await t.client(id, { link: 'provider', person: person('ines').secret })
    const ic = closes(inno)
    inno.records.set('shape:ines', note('ines', 'innocent'))
    fac.records.set('shape:f9', note('f9', 'x'))
    await waitFor(() => r.doc.getMap(DocLayout.records).has('shape:ines') && r.doc.getMap(DocLayout.records).has('shape:f9'), 3000, 'both notes')
    await sleep(200)
    expect(ic).toEqual([])
    expect((r.doc.getMap(DocLayout.records).get(zone.id) as TLShape).x).toBe(zone.x)
    destroy(inno, fac)
  })
})
