import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import type { TLShape } from '@tldraw/tlschema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildNote, readArvoMeta, richText, setRating } from '../shared/domain/index.ts'
import { CloseCode, DocLayout, type LinkRole } from '../shared/protocol.ts'
import { loadStored, startTestServer, waitFor, type TestServer } from './test/fixtures.ts'
import { testPerson as person } from './test/voting.ts'

/** Role × action against the real server (server/SPEC.md ROLE-*, SESS-*), with stock and raw clients. */

type Client = Awaited<ReturnType<TestServer['client']>>

let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})


/** A raw socket on the board that only listens: every byte it receives is kept. */
async function rawBystander(boardId: string, link: LinkRole = 'viewer') {
  const ws = t.rawSocket(boardId, { link })
  const chunks: Buffer[] = []
  ws.on('message', (d: Buffer) => chunks.push(Buffer.from(d)))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, received: () => Buffer.concat(chunks).toString('latin1'), close: () => ws.close() }
}

/** Resolves with the next close code the stock client sees. */
function nextClose(c: Client): Promise<number> {
  return new Promise((resolve) => c.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)))
}

/** Stops a stock client from reconnecting (as Arvo's client does on a final close code). */
function stopped(c: Client): Client {
  c.provider.shouldConnect = false
  return c
}

async function board(templates: string[] = ['staircase']) {
  const id = await t.createBoard({ templates })
  const fac = await t.client(id, { link: 'facilitator', person: person('fiona').secret })
  const shapes = [...fac.records.values()] as TLShape[]
  const zone = shapes.find((s) => readArvoMeta(s)?.kind === 'zone')!
  const rating = (side: 'provider' | 'customer') => shapes.find((s) => { const m = readArvoMeta(s); return m?.kind === 'rating' && m.side === side })!
  return { id, fac, zone, rating }
}

const serverRecords = async (id: string) => (await t.server.registry.get(id)).doc.getMap(DocLayout.records)

let noteIndex = 0
const note = (id: string, text: string, author: { authorId: string; authorName: string; side: 'provider' | 'customer' } = { authorId: 'pia', authorName: 'Pia', side: 'provider' }) =>
  buildNote({ id, x: 0, y: 0, index: `a${(noteIndex++ % 9) + 1}` as never, text, author })

describe('roles against the real server', () => {
  it('ROLE-1 a viewer\'s write is not applied, not relayed to a raw bystander, not stored; the viewer is closed with 4403; it still sees the board live', async () => {
    const { id, fac } = await board()
    const bystander = await rawBystander(id, 'customer')
    const viewer = await t.client(id, { link: 'viewer', person: person('vera').secret })
    const closed = nextClose(viewer)
    viewer.records.set('shape:viewer', note('viewer', 'viewer-marker'))
    expect(await closed).toBe(CloseCode.forbidden.code)
    stopped(viewer)
    // Positive control on the same board: the facilitator's note arrives at the bystander and a live viewer.
    const viewer2 = await t.client(id, { link: 'viewer' })
    fac.records.set('shape:fac', note('fac', 'facilitator-marker'))
    await waitFor(() => viewer2.records.has('shape:fac') && bystander.received().includes('facilitator-marker'), 5000, 'facilitator note relayed')
    expect((await serverRecords(id)).has('shape:viewer')).toBe(false)
    expect(bystander.received()).not.toContain('viewer-marker')
    bystander.close()
    await t.restart()
    const stored = (await loadStored(t.dataDir, id)).getMap(DocLayout.records)
    expect(stored.has('shape:viewer')).toBe(false)
    expect(stored.has('shape:fac')).toBe(true)
  })

  it('ROLE-3 ROLE-7 a participant cannot move a template part: not applied, relayed or stored; 4403; on reconnect a stock client converges to the server; the facilitator can (positive control)', async () => {
    const { id, fac, zone } = await board()
    const bystander = await rawBystander(id)
    const p = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const closed = nextClose(p)
    p.records.set(zone.id, { ...zone, x: zone.x + 777, meta: { ...zone.meta, marker: 'moved-marker' } })
    expect(await closed).toBe(CloseCode.forbidden.code)
    // y-websocket 3.1 stops at 4400-4499 by itself (shouldReconnect); a reconnect must end
    // with the server's records in the writer's doc.
    await waitFor(() => !p.provider.wsconnected, 2000, 'participant disconnected')
    p.provider.connect()
    await waitFor(() => p.provider.wsconnected && p.provider.synced, 8000, 'participant reconnected')
    const server = await serverRecords(id)
    await waitFor(() => JSON.stringify(p.records.get(zone.id)) === JSON.stringify(server.get(zone.id)), 5000, 'writer converged')
    expect(server.get(zone.id)).toEqual(zone)
    expect(p.records.toJSON()).toEqual(server.toJSON())
    stopped(p)
    expect(bystander.received()).not.toContain('moved-marker')
    // The facilitator may move it.
    fac.records.set(zone.id, { ...zone, x: zone.x + 5, meta: { ...zone.meta, marker: 'fac-moved-marker' } })
    await waitFor(() => bystander.received().includes('fac-moved-marker'), 5000, 'facilitator move relayed')
    bystander.close()
    await t.restart()
    const stored = (await loadStored(t.dataDir, id)).getMap(DocLayout.records)
    expect((stored.get(zone.id) as TLShape).x).toBe(zone.x + 5)
    expect(JSON.stringify(stored.toJSON())).not.toContain('"moved-marker"')
  })

  it('ROLE-3 RATE-C1 a participant rates its own side (kept) but not the other side\'s (4403)', async () => {
    const { id, rating } = await board()
    const kaisa = await t.client(id, { link: 'customer', person: person('kaisa').secret })
    const own = rating('customer')
    kaisa.records.set(own.id, setRating(own as never, 4))
    const server = await serverRecords(id)
    await waitFor(() => readArvoMeta(server.get(own.id))?.kind === 'rating' && (readArvoMeta(server.get(own.id)) as { value: number }).value === 4, 5000, 'own rating kept')
    const other = rating('provider')
    const closed = nextClose(kaisa)
    kaisa.records.set(other.id, setRating(other as never, 1))
    expect(await closed).toBe(CloseCode.forbidden.code)
    stopped(kaisa)
    expect(server.get(other.id)).toEqual(other)
  })

  it('ROLE-4 the side and author of a new note come from the token and person secret, whatever the client writes; the correction reaches the writer', async () => {
    const { id } = await board([])
    const kaisa = person('kaisa')
    const bystander = await rawBystander(id)
    const p = await t.client(id, { link: 'customer', person: kaisa.secret })
    p.provider.awareness.setLocalStateField('user', { id: 'forged-id', name: 'Kaisa', side: 'provider', color: '#c2410c' })
    await new Promise((r) => setTimeout(r, 100))
    // Claims to be Pia on the provider side.
    p.records.set('shape:claim', note('claim', 'claimed text'))
    const server = await serverRecords(id)
    await waitFor(() => server.has('shape:claim'), 5000, 'note kept')
    const want = { kind: 'note', authorId: kaisa.id, authorName: 'Kaisa', side: 'customer' }
    expect(readArvoMeta(server.get('shape:claim'))).toEqual(want)
    await waitFor(() => (readArvoMeta(p.records.get('shape:claim')) as { authorId?: string } | null)?.authorId === kaisa.id, 5000, 'writer corrected')
    expect(p.provider.wsconnected).toBe(true) // a correction closes no one
    expect(bystander.received()).not.toContain('"pia"')
    bystander.close()
    stopped(p)
    await t.restart()
    expect(readArvoMeta((await loadStored(t.dataDir, id)).getMap(DocLayout.records).get('shape:claim'))).toEqual(want)
  })

  it('ROLE-2 ROLE-5 board lock: participants\' writes are refused while locked, allowed after; participants cannot write the session map', async () => {
    const { id, fac } = await board([])
    const session = fac.doc.getMap(DocLayout.session)
    session.set('boardLocked', true)
    const server = await t.server.registry.get(id)
    await waitFor(() => server.doc.getMap(DocLayout.session).get('boardLocked') === true, 5000, 'lock applied')
    const bystander = await rawBystander(id)
    const p = await t.client(id, { link: 'provider', person: person('pekka').secret })
    const closed = nextClose(p)
    p.records.set('shape:locked', note('locked', 'locked-marker'))
    expect(await closed).toBe(CloseCode.forbidden.code)
    stopped(p)
    // A participant unlocking the board itself.
    const p2 = await t.client(id, { link: 'customer' })
    const closed2 = nextClose(p2)
    p2.doc.getMap(DocLayout.session).set('boardLocked', false)
    expect(await closed2).toBe(CloseCode.forbidden.code)
    stopped(p2)
    expect(server.doc.getMap(DocLayout.session).get('boardLocked')).toBe(true)
    expect(server.doc.getMap(DocLayout.records).has('shape:locked')).toBe(false)
    expect(bystander.received()).not.toContain('locked-marker')
    // Unlocked: the same write goes through (positive control).
    session.set('boardLocked', false)
    await waitFor(() => server.doc.getMap(DocLayout.session).get('boardLocked') === false, 5000, 'unlock applied')
    const p3 = await t.client(id, { link: 'provider', person: person('pekka').secret })
    p3.records.set('shape:open', note('open', 'open-marker'))
    await waitFor(() => bystander.received().includes('open-marker'), 5000, 'write after unlock relayed')
    expect(server.doc.getMap(DocLayout.records).has('shape:open')).toBe(true)
    bystander.close()
    await t.restart()
    const stored = await loadStored(t.dataDir, id)
    expect(stored.getMap(DocLayout.session).get('boardLocked')).toBe(false)
    expect(stored.getMap(DocLayout.records).has('shape:locked')).toBe(false)
    expect(stored.getMap(DocLayout.records).has('shape:open')).toBe(true)
  })

  it('SESS-1 SESS-2 SESS-3 identity cannot be borrowed: copying another person\'s awareness state and client id changes nothing; edits count under the real person', { timeout: 20_000 }, async () => {
    const { id, fac } = await board([])
    const anna = person('anna')
    const mallory = person('mallory')
    const a = await t.client(id, { link: 'customer', person: anna.secret })
    a.provider.awareness.setLocalStateField('user', { id: 'anna-claimed', name: 'Anna', side: 'customer', color: '#c2410c' })
    await waitFor(() => [...fac.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Anna'), 5000, 'Anna seen')
    const annaAtFac = () => fac.provider.awareness.getStates().get(a.doc.clientID) as { user: { id: string; name: string; role: string } }
    expect(annaAtFac().user).toMatchObject({ id: anna.id, role: 'participant' })
    // Mallory sends Anna's state under Anna's client id, with a newer clock, over a raw socket.
    const m = t.rawSocket(id, { link: 'provider', person: mallory.secret }) as WebSocket
    await new Promise<void>((r) => m.once('open', () => r()))
    const copy = new awarenessProtocol.Awareness(new Y.Doc())
    copy.clientID = a.doc.clientID
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, a.doc.clientID)
    encoding.writeVarUint(e, 1000)
    encoding.writeVarString(e, JSON.stringify({ user: { id: anna.id, name: 'Anna (mallory)', side: 'customer', color: '#000' } }))
    const msg = encoding.createEncoder()
    encoding.writeVarUint(msg, 1)
    encoding.writeVarUint8Array(msg, encoding.toUint8Array(e))
    m.send(encoding.toUint8Array(msg))
    await new Promise((r) => setTimeout(r, 300))
    expect(annaAtFac().user.name).toBe('Anna')
    // Mallory, as a stock client, claims Anna's id in its own state and edits a note's text.
    const mc = await t.client(id, { link: 'provider', person: mallory.secret })
    mc.provider.awareness.setLocalStateField('user', { id: anna.id, name: 'Anna', side: 'customer', color: '#c2410c' })
    fac.records.set('shape:n', note('n', 'Weekly status call'))
    await waitFor(() => mc.records.has('shape:n'), 5000, 'note at Mallory')
    await new Promise((r) => setTimeout(r, 100))
    const n = mc.records.get('shape:n') as TLShape & { props: Record<string, unknown> }
    mc.records.set('shape:n', { ...n, props: { ...n.props, richText: richText('Daily status call') } })
    const editsOf = (pid: string) => (fac.doc.getMap(DocLayout.meta).get(`${DocLayout.editsPrefix}${pid}`) as { edits?: number; side?: string } | undefined)
    await waitFor(() => editsOf(mallory.id)?.edits === 1, 8000, 'edit counted under Mallory')
    expect(editsOf(mallory.id)?.side).toBe('provider')
    expect(editsOf(anna.id)).toBeUndefined()
    // A note Mallory creates is Mallory's, on the provider side.
    mc.records.set('shape:mal', note('mal', 'mine', { authorId: anna.id, authorName: 'Anna', side: 'customer' }))
    const server = await serverRecords(id)
    await waitFor(() => server.has('shape:mal'), 5000, 'note kept')
    expect(readArvoMeta(server.get('shape:mal'))).toMatchObject({ authorId: mallory.id, side: 'provider' })
    m.close()
    stopped(mc)
    stopped(a)
  })

  it('ROLE-6 a participant cannot write edit counts into meta (4403); the facilitator cannot either', async () => {
    const { id, fac } = await board([])
    const p = await t.client(id, { link: 'customer' })
    const closed = nextClose(p)
    p.doc.getMap(DocLayout.meta).set(`${DocLayout.editsPrefix}x`, { authorId: 'x', authorName: 'X', side: 'customer', edits: 99 })
    expect(await closed).toBe(CloseCode.forbidden.code)
    stopped(p)
    const closedF = nextClose(fac)
    fac.doc.getMap(DocLayout.meta).set(`${DocLayout.editsPrefix}y`, { authorId: 'y', authorName: 'Y', side: 'customer', edits: 99 })
    expect(await closedF).toBe(CloseCode.forbidden.code)
    stopped(fac)
    const meta = (await t.server.registry.get(id)).doc.getMap(DocLayout.meta)
    expect(meta.has(`${DocLayout.editsPrefix}x`)).toBe(false)
    expect(meta.has(`${DocLayout.editsPrefix}y`)).toBe(false)
  })
})
