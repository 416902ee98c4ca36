/**
 * Adversarial review of the facilitation server (issue 11: VOTE-S*, PRIV-S*, FAC-*, ROLE-5,
 * SESS-*): what a hostile participant, viewer or facilitator can do with hand-made clients
 * (stock y-websocket providers, raw `ws` sockets sending crafted y-protocols frames, plain
 * fetch). Every `it` is one attack; its title says whether the server holds or which hole it
 * proves. A test named `HOLE` fails against the server as it was reviewed; the fix is written in
 * the test's comment (and in the review report).
 */
import { createHash } from 'node:crypto'
import { Agent, request as httpRequest } from 'node:http'
import * as encoding from 'lib0/encoding'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import type { TLShape } from '@tldraw/tlschema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildNote, extractZones, readArvoMeta } from '../shared/domain/index.ts'
import type { BallotResponse, SummaryWithSession, VoteResult, VotesResponse, VoteState } from '../shared/facilitation/index.ts'
import { CloseCode, DocLayout, type LinkRole } from '../shared/protocol.ts'
import { MemoryStorage } from './storage/memory.ts'
import { startTestServer, waitFor, type TestServer } from './test/fixtures.ts'
import { addNote, dot, openVote, testPerson as person, waitServerVote as waitVoteOn } from './test/voting.ts'

const waitServerVote = (id: string, voteId: string, status: 'open' | 'closed' = 'open', server: TestServer = t) => waitVoteOn(server, id, voteId, status)

type Client = Awaited<ReturnType<TestServer['client']>>

let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A person secret and the person id the server derives from it (computed here, independently). */
const fiona = person('fiona')
const pia = person('pia')
const paul = person('paul')
const carl = person('carl')


async function board(templates: string[] = [], server: TestServer = t) {
  const id = await server.createBoard({ templates })
  const fac = await server.client(id, { link: 'facilitator', person: fiona.secret })
  addNote(fac, 'n1', 'first', -5000, -5000)
  addNote(fac, 'n2', 'second', -5000, -4000)
  addNote(fac, 'n3', 'third', -5000, -3000)
  const room = await server.server.registry.get(id)
  await waitFor(() => room.doc.getMap(DocLayout.records).has('shape:n3'), 5000, 'notes on the server')
  return { id, fac, room }
}


const serverSession = async (id: string, server: TestServer = t) => (await server.server.registry.get(id)).doc.getMap<unknown>(DocLayout.session)


async function waitResult(id: string, voteId: string): Promise<VoteResult> {
  const session = await serverSession(id)
  await waitFor(() => (session.get('voteResult') as VoteResult | undefined)?.voteId === voteId, 5000, `result of ${voteId}`)
  return session.get('voteResult') as VoteResult
}

interface CallOpts {
  link?: LinkRole
  person?: string | null
  token?: string
  server?: TestServer
  headers?: Record<string, string>
}
type CastAnswer = { status: number; body: BallotResponse & { error?: string; reason?: string } }
/**
 * VOTE-S2 asks a voter to be on the board: each participant secret that casts gets a stock
 * client with a presence first (kept per server, board and secret; `dropVoters` closes them).
 */
const presentVoters = new Map<string, Client>()
async function ensurePresent(s: TestServer, id: string, link: LinkRole, secret: string): Promise<void> {
  const key = `${s.server.url}|${id}|${link}|${secret}`
  if (presentVoters.has(key) || !/^[A-Za-z0-9_-]{16,128}$/.test(secret)) return // a malformed secret is refused with 400 anyway
  const c = await s.client(id, { link, person: secret })
  c.provider.awareness.setLocalStateField('user', { id: 'x', name: `voter ${presentVoters.size}`, color: '#222', side: link === 'customer' ? 'customer' : 'provider', role: 'participant' })
  presentVoters.set(key, c)
  const pid = createHash('sha256').update(`arvo-person:${secret}`).digest('base64url').slice(0, 22)
  const room = await s.server.registry.get(id)
  await waitFor(() => [...room.awareness.getStates().values()].some((st) => (st as { user?: { id?: string } }).user?.id === pid), 5000, 'voter present')
}
/** Closes the voters' presence clients of `id` (a test that needs the room unloaded). */
function dropVoters(id: string): void {
  for (const [key, c] of presentVoters) {
    if (key.split('|')[1] !== id) continue
    c.provider.shouldConnect = false
    c.provider.destroy()
    presentVoters.delete(key)
  }
}
async function cast(id: string, body: unknown, opts: CallOpts & { present?: boolean } = {}): Promise<CastAnswer> {
  const s = opts.server ?? t
  const link = opts.link ?? 'provider'
  const secret = opts.person === null ? null : (opts.person ?? pia.secret)
  if (opts.present !== false && secret && (link === 'provider' || link === 'customer') && opts.token === undefined) await ensurePresent(s, id, link, secret)
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers }
  const token = opts.token ?? s.tokens(id)[opts.link ?? 'provider']
  if (token) headers.authorization = `Bearer ${token}`
  if (opts.person !== null) headers['x-arvo-person'] = opts.person ?? pia.secret
  const res = await fetch(`${s.server.url}/api/boards/${id}/votes`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const text = await res.text()
  let parsed: unknown = null
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = { error: text }
  }
  return { status: res.status, body: parsed as CastAnswer['body'] }
}
async function read(id: string, opts: CallOpts = {}) {
  const s = opts.server ?? t
  const headers: Record<string, string> = { ...opts.headers }
  const token = opts.token ?? s.tokens(id)[opts.link ?? 'provider']
  if (token) headers.authorization = `Bearer ${token}`
  if (opts.person) headers['x-arvo-person'] = opts.person
  const res = await fetch(`${s.server.url}/api/boards/${id}/votes`, { headers })
  return { status: res.status, body: (await res.json()) as VotesResponse, raw: res }
}

/** Resolves once the board's room is unloaded (nobody connected). */
async function waitUnloaded(id: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms
  while ((await t.server.registry.loaded(id)) !== null) {
    if (Date.now() > end) throw new Error('timed out waiting for the room to unload')
    await sleep(20)
  }
}

function nextClose(c: Client): Promise<number> {
  return new Promise((resolve) => c.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)))
}
function stopped(c: Client): Client {
  c.provider.shouldConnect = false
  c.provider.destroy()
  return c
}

/** A raw socket on the board that keeps every byte it receives. */
async function rawBystander(boardId: string, opts: { link?: LinkRole; person?: string } = { link: 'viewer' }) {
  const ws = t.rawSocket(boardId, opts) as WebSocket
  const chunks: Buffer[] = []
  const closes: number[] = []
  ws.on('message', (d: Buffer) => chunks.push(Buffer.from(d)))
  ws.on('close', (code: number) => closes.push(code))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, closes, received: () => Buffer.concat(chunks).toString('latin1'), close: () => ws.close() }
}

/** A y-protocols sync "update" frame. */
function syncUpdate(u: Uint8Array): Uint8Array<ArrayBuffer> {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, u)
  return new Uint8Array(encoding.toUint8Array(e))
}
/** A y-protocols awareness frame carrying `states` (client id -> [clock, JSON state]). */
function awarenessFrame(states: Array<[number, number, unknown]>): Uint8Array<ArrayBuffer> {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, states.length)
  for (const [client, clock, state] of states) {
    encoding.writeVarUint(inner, client)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
  }
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return new Uint8Array(encoding.toUint8Array(e))
}

const states = (c: Client) => [...c.provider.awareness.getStates().values()] as Array<Record<string, unknown> & { user?: { id?: string; name?: string } }>

// ---------------------------------------------------------------------------------------------

describe('A. learning another person\'s votes while the vote is open', () => {
  it('held: no token, forged tokens, another board\'s token, the facilitator\'s and viewer\'s tokens, and a foreign person secret never read a ballot', async () => {
    const { id, fac } = await board()
    const other = await board()
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n2'), { link: 'customer', person: carl.secret })).status).toBe(200)
    // no token / forged / another board's facilitator token
    expect((await read(id, { token: '' }).catch(() => ({ status: 0 }))).status).not.toBe(200)
    const noTok = await fetch(`${t.server.url}/api/boards/${id}/votes`)
    expect(noTok.status).toBe(401)
    const otherTok = await fetch(`${t.server.url}/api/boards/${id}/votes`, { headers: { authorization: `Bearer ${t.tokens(other.id).facilitator}`, 'x-arvo-person': pia.secret } })
    expect(otherTok.status).toBe(401)
    expect(await otherTok.text()).not.toMatch(/shape:n/)
    // facilitator with Pia's own secret: no ballot (facilitators read nobody's)
    for (const [link, secret] of [['facilitator', pia.secret], ['viewer', pia.secret], ['viewer', carl.secret], ['facilitator', fiona.secret]] as const) {
      const r = await read(id, { link, person: secret })
      expect(r.status).toBe(200)
      expect(r.body.mine, `${link} read a ballot`).toBeNull()
      expect(JSON.stringify(r.body), `${link} saw a note id`).not.toMatch(/shape:n[123]/)
    }
    // a participant of the other side with Pia's secret reads Pia's ballot: the secret IS the
    // person (documented: a secret is a bearer credential). A fresh secret reads an empty one.
    const fresh = await read(id, { link: 'customer', person: person('eve').secret })
    expect(fresh.body.mine).toEqual({ voteId: vote.id, dots: {}, left: 3 })
    // without a secret a participant reads only the count
    const anon = await read(id, { link: 'provider' })
    expect(anon.body).toMatchObject({ voters: 2, mine: null, result: null })
    // the other board knows nothing of this vote
    expect((await read(other.id, { person: pia.secret })).body.vote).toBeNull()
  })

  it('held: summary.json, the doc and a raw bystander carry no ballot while open (only the voter count)', async () => {
    const { id, fac } = await board()
    const bystander = await rawBystander(id, { link: 'provider', person: paul.secret })
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    for (const n of ['n1', 'n1', 'n3']) expect((await cast(id, dot(vote.id, n), { person: pia.secret })).status).toBe(200)
    await waitFor(() => (fac.doc.getMap('session').get('voteProgress') as { voters?: number } | undefined)?.voters === 1, 5000, 'progress')
    const summary = (await (await fetch(`${t.server.url}/api/boards/${id}/summary.json`, { headers: { authorization: `Bearer ${t.tokens(id).facilitator}` } })).json()) as SummaryWithSession
    expect(summary.vote).toBeNull()
    expect(summary.notes.every((n) => n.votes === null)).toBe(true)
    const everything = JSON.stringify(fac.doc.toJSON())
    expect(everything).not.toContain(pia.id)
    expect((fac.doc.getMap('session').get('voteProgress') as object)).toEqual({ voteId: vote.id, voters: 1 })
    // the bystander's bytes: no "dots" structure (that Pia is on the board is public: VOTE-S2
    // asks every voter to be present, so voters show in the participants list)
    expect(bystander.received()).not.toMatch(/"dots":\{"shape/)
    expect(bystander.received()).not.toContain('"shape:n1":')
    bystander.close()
  })

  it('held: refusal messages do not reveal other voters (a second voter\'s casts answer as if alone)', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 1, onePerNote: true })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    // Paul probes n1: he may put his dot there (nothing says Pia did), and removing from n2 says noDot
    const probe = await cast(id, dot(vote.id, 'n2', -1), { person: paul.secret })
    expect(probe.body.reason).toBe('noDot')
    expect(JSON.stringify(probe.body)).not.toContain(pia.id)
    const his = await cast(id, dot(vote.id, 'n1'), { person: paul.secret })
    expect(his.body).toEqual({ voteId: vote.id, dots: { 'shape:n1': 1 }, left: 0 })
  })

  it('VOTE-S5 HOLE: a participant\'s cursor and selection announced just before the vote opened stay in the server\'s awareness and reach a newcomer while the vote is open', async () => {
    // Fix (server/sync/facilitation.ts onSession + presence.ts): when a vote opens, strip
    // `presence` from every participant state the room holds (re-set each state without it,
    // with clock + 1, so that everyone gets the stripped state), not only from states that
    // arrive after the open. Otherwise the last pre-vote cursor/selection is shown until the
    // client's next awareness update (stock y-protocols renews only every 15 s).
    const { id, fac } = await board()
    const carlClient = await t.client(id, { link: 'customer', person: carl.secret })
    carlClient.provider.awareness.setLocalState({
      user: { id: 'x', name: 'Carl', color: '#000', side: 'customer', role: 'participant' },
      presence: { cursor: { x: 4242, y: 4343, type: 'default', rotation: 0 }, selectedShapeIds: ['shape:n2'] },
    })
    await waitFor(() => states(fac).some((s) => s.user?.name === 'Carl'), 5000, 'Carl seen')
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    // a newcomer (e.g. a facilitator's second tab) while the vote is open
    const late = await t.client(id, { link: 'provider', person: paul.secret })
    await waitFor(() => states(late).some((s) => s.user?.name === 'Carl'), 5000, 'Carl seen by the newcomer')
    const seen = states(late).find((s) => s.user?.name === 'Carl')!
    stopped(late)
    stopped(carlClient)
    expect(JSON.stringify(seen)).not.toContain('4242')
    expect(seen.presence).toBeUndefined()
  })
})

describe('B. more dots than the budget, twice on one note, votes that must not count', () => {
  it('held: 20 concurrent casts of one voter on one note with onePerNote store one dot; mixed +1/−1 storms never exceed the budget', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2, onePerNote: true })
    await waitServerVote(id, vote.id)
    const rs = await Promise.all(Array.from({ length: 20 }, () => cast(id, dot(vote.id, 'n1'), { person: pia.secret })))
    expect(rs.filter((r) => r.status === 200)).toHaveLength(1)
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.reason === 'onePerNote')).toBe(true)
    // a storm of adds and removes over three notes
    const storm = await Promise.all(Array.from({ length: 60 }, (_, i) => cast(id, dot(vote.id, ['n1', 'n2', 'n3'][i % 3], i % 4 === 0 ? -1 : 1), { person: pia.secret })))
    expect(storm.every((r) => r.status === 200 || r.status === 409)).toBe(true)
    const mine = (await read(id, { person: pia.secret })).body.mine!
    const total = Object.values(mine.dots).reduce((a, b) => a + b, 0)
    expect(total).toBeLessThanOrEqual(2)
    expect(Object.values(mine.dots).every((n) => n === 1)).toBe(true)
    // the result agrees with the ballot
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    const result = await waitResult(id, vote.id)
    expect(result.ranked.reduce((a, r) => a + r.total, 0)).toBe(total)
  })

  it('HOLE (prototype keys): a note id like "constructor" or "toString" is read from Object.prototype: removing a dot you never placed answers 200 with `left: null`', async () => {
    // applyDot (shared/facilitation/votes.ts) reads `ballot[noteId] ?? 0`, which for
    // "constructor"/"toString"/"valueOf"/"hasOwnProperty" is a function of Object.prototype,
    // so delta −1 "removes" a dot (NaN stored). SQLite/PostgreSQL drop NaN when the ballot is
    // stored as JSON; the MemoryStorage keeps it and then the budget check `NaN >= dots` is
    // false: unlimited dots (next test). Fix: `const have = Object.hasOwn(ballot, noteId) ? ballot[noteId] : 0`
    // in applyDot, and refuse a noteId that is not a record id (`/^shape:/`) in parseCastRequest.
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    for (const noteId of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      for (const id2 of [noteId, `shape:${noteId}`]) {
        const r = await cast(id, { voteId: vote.id, noteId: id2, delta: -1 }, { person: pia.secret })
        // not a record id: 400; a shape id that is no note: 409 noDot
        if (id2 === noteId) expect(r.status, `removing a dot from ${id2}`).toBe(400)
        else expect(r.body.reason, `removing a dot from ${id2}`).toBe('noDot')
      }
    }
    expect((await read(id, { person: pia.secret })).body.mine).toEqual({ voteId: vote.id, dots: {}, left: 2 })
  })

  it('HOLE (prototype keys, MemoryStorage): after a −1 on "constructor" the budget no longer holds', async () => {
    // Same fix as above. Shows what the NaN does where the storage keeps the ballot object as is.
    const m = await startTestServer({}, { storage: new MemoryStorage() } as never)
    try {
      const { id, fac } = await board([], m)
      const vote = openVote(fac, { dots: 1 })
      await waitServerVote(id, vote.id, 'open', m)
      await cast(id, { voteId: vote.id, noteId: 'constructor', delta: -1 }, { person: pia.secret, server: m })
      const rs: number[] = []
      for (const n of ['n1', 'n2', 'n3', 'n1', 'n2']) rs.push((await cast(id, dot(vote.id, n), { person: pia.secret, server: m })).status)
      expect(rs.filter((s) => s === 200).length, 'dots accepted with a budget of 1').toBe(1)
    } finally {
      await m.stop()
    }
  })

  it('held: a template part, a deleted note, another board\'s note, a non-shape id and an over-long id get no dot; a dot on a note deleted later is not tallied but may be taken back', async () => {
    const { id, fac } = await board(['pyramid'])
    const other = await board()
    addNote(other.fac, 'foreign', 'on the other board', 0, 0)
    await waitFor(() => other.room.doc.getMap(DocLayout.records).has('shape:foreign'), 5000, 'foreign note')
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    const parts = [...fac.records.values()].filter((s) => readArvoMeta(s) !== null && readArvoMeta(s)!.kind !== 'note') as TLShape[]
    expect(parts.length).toBeGreaterThan(3)
    for (const p of parts.slice(0, 4)) expect((await cast(id, { voteId: vote.id, noteId: p.id, delta: 1 })).body.reason).toBe('notANote')
    expect((await cast(id, dot(vote.id, 'foreign'))).body.reason).toBe('notANote')
    expect((await cast(id, { voteId: vote.id, noteId: 'page:page', delta: 1 })).status).toBe(400)
    expect((await cast(id, { voteId: vote.id, noteId: 'document:document', delta: 1 })).status).toBe(400)
    expect((await cast(id, { voteId: vote.id, noteId: `shape:${'x'.repeat(300)}`, delta: 1 })).status).toBe(400)
    // a note-typed shape that claims to be a zone is a template part, not a note
    const fake = buildNote({ id: 'fakezone', x: 9000, y: 9000, index: 'a5' as never, text: 'z', author: { authorId: fiona.id, authorName: 'Fiona', side: 'provider' } }) as TLShape
    fac.records.set('shape:fakezone', { ...fake, meta: { arvo: { kind: 'zone', template: 'pyramid', instance: 'pyramid-1', zone: 'ease' } } })
    // a dot on n2, then n2 is deleted: not tallied; the voter may take it back, not add one
    expect((await cast(id, dot(vote.id, 'n2'))).status).toBe(200)
    fac.records.delete('shape:n2')
    const room = await t.server.registry.get(id)
    await waitFor(() => !room.doc.getMap(DocLayout.records).has('shape:n2'), 5000, 'n2 gone')
    expect((await cast(id, dot(vote.id, 'n2'))).body.reason).toBe('notANote')
    expect((await cast(id, dot(vote.id, 'n1'), { person: paul.secret })).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n2'), { person: paul.secret })).body.reason).toBe('notANote')
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    const result = await waitResult(id, vote.id)
    expect(result.ranked.map((r) => r.noteId)).toEqual(['shape:n1'])
    expect(result.voters).toEqual({ provider: 1, customer: 0 }) // Pia's only dot was on the deleted note
  })

  it('held: casts after the close, in a replaced vote, under the old id after a replacement, and as viewer or facilitator are refused and not tallied', async () => {
    const { id, fac } = await board()
    const a = openVote(fac, { dots: 2 })
    await waitServerVote(id, a.id)
    expect((await cast(id, dot(a.id, 'n1'))).status).toBe(200)
    expect((await cast(id, dot(a.id, 'n1'), { link: 'viewer', person: paul.secret })).status).toBe(403)
    expect((await cast(id, dot(a.id, 'n1'), { link: 'facilitator', person: fiona.secret })).status).toBe(403)
    // the facilitator replaces A by B: A is tallied, casts in A are refused
    const b = openVote(fac, { dots: 1 })
    await waitServerVote(id, b.id)
    const resultA = await waitResult(id, a.id)
    expect(resultA.ranked).toEqual([{ noteId: 'shape:n1', provider: 1, customer: 0, total: 1 }])
    const late = await cast(id, dot(a.id, 'n2'), { person: paul.secret })
    expect(late.status).toBe(409)
    expect(['wrongVote', 'closed']).toContain(late.body.reason)
    expect(await t.server.storage.ballots(id, a.id)).toEqual([])
    // B starts from nothing for Pia
    expect((await cast(id, dot(b.id, 'n3'))).body).toEqual({ voteId: b.id, dots: { 'shape:n3': 1 }, left: 0 })
    fac.doc.getMap('session').set('vote', { ...b, status: 'closed' })
    const resultB = await waitResult(id, b.id)
    expect(resultB.ranked).toEqual([{ noteId: 'shape:n3', provider: 1, customer: 0, total: 1 }])
    expect((await cast(id, dot(b.id, 'n1'), { person: paul.secret })).body.reason).toBe('closed')
    // re-opening B under the same id is refused (FAC-4, 4003); the result stays B's
    const refused = nextClose(fac)
    fac.doc.getMap('session').set('vote', { ...b, status: 'open' })
    expect(await refused).toBe(CloseCode.invalidRecord.code)
    stopped(fac)
    await sleep(300)
    expect(((await serverSession(id)).get('vote') as VoteState).status).toBe('closed')
    expect((await cast(id, dot(b.id, 'n1'), { person: paul.secret })).body.reason).toBe('closed')
    expect(((await serverSession(id)).get('voteResult') as VoteResult).closedAt).toBe(resultB.closedAt)
  })

  it('documented limitation (not fixed here): one participant link with several person secrets makes several voters', async () => {
    // The person secret is chosen by the client and every person of a side shares the side's
    // link, so the server cannot tell two people from one person with two secrets: each secret
    // gets its own budget, and a script can stuff the ballot box (so can the facilitator, who
    // can read the participant links through GET /links). Cheap mitigations: voters shown per
    // side in the result (already: `voters`) so the facilitator can compare with the people in
    // the room; count a ballot only for a person id that has a live (or earlier) websocket
    // connection with a presence on the board (raises the cost a little: one socket per fake
    // voter); rate-limit new person ids per link and IP. The real fix is personal invite links
    // (a token per person), which changes the sharing model of the product.
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 1 })
    await waitServerVote(id, vote.id)
    // mitigated (VOTE-S2): an invented secret without a presence on the board is refused …
    for (let i = 0; i < 3; i++) expect((await cast(id, dot(vote.id, 'n1'), { person: person(`ghost${i}`).secret, present: false })).body.reason).toBe('notPresent')
    // … and with one socket per fake voter each gets a budget, but each is in everyone's participants list
    for (let i = 0; i < 5; i++) expect((await cast(id, dot(vote.id, 'n1'), { person: person(`sock${i}`).secret })).status).toBe(200)
    const visible = () => [...fac.provider.awareness.getStates().values()].filter((st) => (st as { user?: { name?: string } }).user?.name?.startsWith('voter ')).length
    await waitFor(() => visible() >= 5, 5000, 'the fake voters in the participants list')
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    const result = await waitResult(id, vote.id)
    expect(result.voters.provider).toBe(5)
  })
})

describe('C. writing the session map as somebody who may not', () => {
  it('held: a participant\'s nested Y.Map under a session key, its deletion of a key, and its "close" of the open vote are refused (4403), and the refused passing state closes nothing', async () => {
    const { id, fac } = await board()
    fac.doc.getMap('session').set('title', 'Real title')
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    const session = await serverSession(id)
    const attempts: Array<[string, (s: Y.Map<unknown>) => void]> = [
      ['nested Y.Map vote', (s) => {
        const m = new Y.Map<unknown>()
        s.set('vote', m)
        m.set('id', vote.id)
        m.set('status', 'closed')
      }],
      ['delete title', (s) => s.delete('title')],
      ['close the vote', (s) => s.set('vote', { ...vote, status: 'closed' })],
      ['delete the vote', (s) => s.delete('vote')],
      ['replace the vote', (s) => s.set('vote', { ...vote, id: 'voteEvil', dots: 20 })],
      ['forge a result', (s) => s.set('voteResult', { voteId: vote.id, closedAt: Date.now(), dots: 2, voters: { provider: 9, customer: 0 }, ranked: [{ noteId: 'shape:n3', provider: 9, customer: 0, total: 9 }], disagreements: [] })],
    ]
    for (const [what, write] of attempts) {
      const p = await t.client(id, { link: 'customer', person: person(`c-${what}`).secret })
      const closed = nextClose(p)
      write(p.doc.getMap('session'))
      expect(await closed, what).toBe(CloseCode.forbidden.code)
      stopped(p)
    }
    await sleep(400)
    expect(session.get('title')).toBe('Real title')
    expect(session.get('vote')).toEqual(vote)
    expect(session.has('voteResult')).toBe(false)
    // the vote is still open and Pia's ballot still there
    expect((await read(id, { person: pia.secret })).body.mine).toEqual({ voteId: vote.id, dots: { 'shape:n1': 1 }, left: 1 })
    expect((await cast(id, dot(vote.id, 'n2'), { person: pia.secret })).status).toBe(200)
    expect(await t.server.storage.ballots(id, 'voteEvil')).toEqual([])
  })

  it('held: the facilitator cannot write, nest or delete the server\'s keys, nor store a Y type as a facilitator key; the real result survives', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 1 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    const real = await waitResult(id, vote.id)
    const session = await serverSession(id)
    const attempts: Array<[string, number, (s: Y.Map<unknown>) => void]> = [
      ['delete voteResult', CloseCode.forbidden.code, (s) => s.delete('voteResult')],
      ['nested voteResult', CloseCode.forbidden.code, (s) => {
        const m = new Y.Map<unknown>()
        s.set('voteResult', m)
        m.set('voteId', vote.id)
      }],
      ['privateCounts', CloseCode.forbidden.code, (s) => s.set('privateCounts', { [pia.id]: { name: 'Pia', side: 'provider', round: 'r1', count: 5 } })],
      ['voteProgress', CloseCode.forbidden.code, (s) => s.set('voteProgress', { voteId: vote.id, voters: 50 })],
      ['nested vote', CloseCode.invalidRecord.code, (s) => {
        const m = new Y.Map<unknown>()
        s.set('vote', m)
        for (const [k, v] of Object.entries({ ...vote, id: 'voteNested', status: 'open' })) m.set(k, v)
      }],
      ['unknown key', CloseCode.invalidRecord.code, (s) => s.set('ballots', { [pia.id]: { 'shape:n1': 1 } })],
    ]
    for (const [what, code, write] of attempts) {
      const f = await t.client(id, { link: 'facilitator', person: fiona.secret })
      const closed = nextClose(f)
      write(f.doc.getMap('session'))
      expect(await closed, what).toBe(code)
      stopped(f)
    }
    await sleep(300)
    expect(session.get('voteResult')).toEqual(real)
    expect((session.get('vote') as VoteState).id).toBe(vote.id)
    expect(session.has('privateCounts')).toBe(false)
    expect(session.has('ballots')).toBe(false)
  })

  it('held: a participant writing the session under the facilitator\'s or the server\'s Yjs client id (raw frames) is refused and opens no vote', async () => {
    const { id, fac, room } = await board()
    for (const [who, clientId] of [['facilitator', fac.doc.clientID], ['server', room.doc.clientID]] as const) {
      const raw = await rawBystander(id, { link: 'provider', person: person(`forger-${who}`).secret })
      const forged = new Y.Doc()
      forged.clientID = clientId
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(room.doc))
      const before = Y.encodeStateVector(forged)
      forged.getMap('session').set('vote', { id: 'voteForged', status: 'open', dots: 20, onePerNote: false, templates: null, endsAt: null })
      raw.ws.send(syncUpdate(Y.encodeStateAsUpdate(forged, before)))
      await waitFor(() => raw.closes.length > 0, 3000, `${who} forger closed`)
      expect(raw.closes[0], who).toBe(CloseCode.forbidden.code)
    }
    await sleep(300)
    expect(room.doc.getMap(DocLayout.session).has('vote')).toBe(false)
    expect((await cast(id, dot('voteForged', 'n1'))).body.reason).toBe('noVote')
    // the facilitator's own next write under its id still goes through
    const vote = openVote(fac, { dots: 1 })
    await waitServerVote(id, vote.id)
  })
})

describe('D. corrupting privateCounts', () => {
  it('held: huge, fractional, string and negative counts, garbage rounds, another person\'s id and a viewer\'s count; one connection announcing 300 client ids makes one entry', async () => {
    const { id, fac, room } = await board()
    const session = room.doc.getMap<unknown>(DocLayout.session)
    // PRIV-S3: counts are taken for the running round only
    fac.doc.getMap('session').set('privateMode', { status: 'on', round: 'r1', since: Date.now() })
    const raw = await rawBystander(id, { link: 'customer', person: carl.secret })
    raw.ws.send(awarenessFrame([[777001, 1, { user: { id: pia.id, name: 'Carl', side: 'provider', role: 'facilitator', color: '#000' }, privateNotes: { round: 'r1', count: 1e12, text: 'secret idea' } }]]))
    await waitFor(() => session.has('privateCounts'), 5000, 'count')
    expect(session.get('privateCounts')).toEqual({ [carl.id]: { name: 'Carl', side: 'customer', round: 'r1', count: 1000 } })
    // garbage: every one of these leaves Carl's entry out (dropped field = no notes)
    for (const [i, notes] of [{ round: 'r1', count: 2.5 }, { round: 'r1', count: '7' }, { round: 'r1', count: -1 }, { round: '../x', count: 3 }, { round: 'r'.repeat(41), count: 3 }, 'many', null, [1, 2]].entries()) {
      raw.ws.send(awarenessFrame([[777001, 2 + i, { user: { name: 'Carl' }, privateNotes: notes }]]))
    }
    await waitFor(() => !session.has('privateCounts'), 5000, 'garbage ignored (no notes)')
    // a viewer's count is never taken
    const viewer = await rawBystander(id, { link: 'viewer', person: person('vera').secret })
    viewer.ws.send(awarenessFrame([[777002, 1, { user: { name: 'Vera', side: 'customer', color: '#000' }, privateNotes: { round: 'r1', count: 9 } }]]))
    // 300 client ids from one connection, each claiming someone else (SESS-5: only 3 are taken)
    fac.doc.getMap('session').set('privateMode', { status: 'on', round: 'r2', since: Date.now() })
    raw.ws.send(awarenessFrame(Array.from({ length: 300 }, (_, i) => [800000 + i, 1, { user: { id: `p${i}`, name: `Ghost ${i}`, side: 'provider', color: '#000' }, privateNotes: { round: 'r2', count: i + 1 } }] as [number, number, unknown])))
    await waitFor(() => session.has('privateCounts'), 5000, 'count from the 300')
    await sleep(400)
    const counts = session.get('privateCounts') as Record<string, { count: number }>
    expect(Object.keys(counts)).toEqual([carl.id])
    expect(counts[carl.id].count).toBeLessThanOrEqual(3) // the largest of the states the connection may announce
    expect(JSON.stringify(fac.doc.getMap('session').toJSON())).not.toContain('secret idea')
    raw.close()
    viewer.close()
  })

  it('HOLE (participant list spam): one connection may announce hundreds of awareness client ids, each shown to everyone as another participant with any name', async () => {
    // Fix (server/sync/presence.ts applyFromClient): a connection owns at most a few awareness
    // client ids (a stock client uses one per doc; allow e.g. 2); states of further new ids
    // are dropped (or the sender is closed with 4001). Without it, a participant fills every
    // participants panel (one entry per client id, client/sync/presence.ts listParticipants)
    // with fake people named like anyone ("Fiona (facilitator)"), and the server keeps and relays them all.
    const { id, fac } = await board()
    const raw = await rawBystander(id, { link: 'customer', person: person('spammer').secret })
    raw.ws.send(awarenessFrame(Array.from({ length: 200 }, (_, i) => [900000 + i, 1, { user: { name: `Fiona ${i}`, side: 'provider', color: '#000' } }] as [number, number, unknown])))
    await sleep(600)
    const ghosts = states(fac).filter((s) => s.user?.name?.startsWith('Fiona '))
    raw.close()
    expect(ghosts.length, 'awareness states one connection put on everyone\'s screen').toBeLessThanOrEqual(4)
  })

  it('fixed (PRIV-S3; was: stale, unbounded pending list): counts announced with no private round running are never taken', async () => {
    // Fix (server/sync/facilitation.ts writeCounts): keep (and accept) entries only for the
    // round of `session.privateMode` (drop the others, and clear the map when privateMode is
    // removed or a new round starts), and cap the entries (e.g. 200, live people first). Today
    // every person secret a script invents adds an entry (80-character name, count 1000) that
    // nothing ever removes, to a map rewritten whole into the doc on each change.
    const { id, room } = await board()
    const session = room.doc.getMap<unknown>(DocLayout.session)
    expect(session.has('privateMode')).toBe(false)
    const sockets = await Promise.all(Array.from({ length: 30 }, (_, i) => rawBystander(id, { link: i % 2 ? 'customer' : 'provider', person: person(`fake${i}`).secret })))
    sockets.forEach((s, i) => s.ws.send(awarenessFrame([[950000 + i, 1, { user: { name: `Pending person ${i} `.padEnd(80, '!'), side: 'provider', color: '#000' }, privateNotes: { round: 'noSuchRound', count: 1000 } }]])))
    await sleep(600)
    expect(session.has('privateCounts'), 'counts without a round').toBe(false)
    sockets.forEach((s) => s.close())
    await sleep(300)
    expect(Object.keys((session.get('privateCounts') as object | undefined) ?? {}), 'entries left by people gone, with no private round').toHaveLength(0)
  })
})

describe('E. crashing or hanging the server through the votes API', () => {
  it('held: malformed, deep, binary, oversized and streamed bodies, bad headers and methods get clear 4xx; the server stays up and leaks no stack', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    await ensurePresent(t, id, 'provider', pia.secret)
    const bodies: Array<[string, string | Uint8Array<ArrayBuffer>, number]> = [
      ['empty', '', 400],
      ['null', 'null', 400],
      ['array', '[]', 400],
      ['number', '123', 400],
      ['string', '"shape:n1"', 400],
      ['object voteId', JSON.stringify({ voteId: { $gt: '' }, noteId: 'shape:n1', delta: 1 }), 400],
      ['string delta', JSON.stringify({ voteId: vote.id, noteId: 'shape:n1', delta: '1' }), 400],
      ['delta 2', JSON.stringify({ voteId: vote.id, noteId: 'shape:n1', delta: 2 }), 400],
      ['delta 0.5', JSON.stringify({ voteId: vote.id, noteId: 'shape:n1', delta: 0.5 }), 400],
      ['empty note', JSON.stringify({ voteId: vote.id, noteId: '', delta: 1 }), 400],
      ['deep', '['.repeat(30000) + ']'.repeat(30000), 400],
      ['binary', new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0x80]), 400],
    ]
    for (const [what, body, status] of bodies) {
      const started = Date.now()
      const res = await fetch(`${t.server.url}/api/boards/${id}/votes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.tokens(id).provider}`, 'x-arvo-person': pia.secret, 'content-type': 'application/json' },
        body,
      }).catch((e: Error) => e)
      // an oversized body may be cut off by the server before the client finished sending it
      if (res instanceof Error && status === 413) continue
      if (res instanceof Error) throw res
      expect(res.status, what).toBe(status)
      expect(Date.now() - started, `${what} answered quickly`).toBeLessThan(2000)
      const text = await res.text()
      expect(JSON.parse(text).error, what).toEqual(expect.any(String))
      expect(text, what).not.toMatch(/\bat \w+ \(|node:internal|\.ts:\d+/)
    }
    // a 5 MB body streamed in chunks (own connection): refused early, the server stays responsive
    const bigStarted = Date.now()
    const big = await new Promise<number | string>((resolve) => {
      const req = httpRequest(`${t.server.url}/api/boards/${id}/votes`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${t.tokens(id).provider}`, 'x-arvo-person': pia.secret } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', () => resolve('reset'))
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      let sent = 0
      const pump = () => {
        while (sent < 80) {
          sent++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    expect([413, "reset"]).toContain(big)
    expect(Date.now() - bigStarted, 'the 5 MB body refused quickly').toBeLessThan(3000)
    // headers and methods
    expect((await cast(id, dot(vote.id, 'n1'), { person: 'x'.repeat(129) })).status).toBe(400)
    expect((await cast(id, dot(vote.id, 'n1'), { person: 'short' })).status).toBe(400)
    const twice = new Headers({ authorization: `Bearer ${t.tokens(id).provider}`, 'content-type': 'application/json' })
    twice.append('x-arvo-person', pia.secret)
    twice.append('x-arvo-person', paul.secret)
    expect((await fetch(`${t.server.url}/api/boards/${id}/votes`, { method: 'POST', headers: twice, body: JSON.stringify(dot(vote.id, 'n1')) })).status).toBe(400)
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expect((await fetch(`${t.server.url}/api/boards/${id}/votes`, { method, headers: { authorization: `Bearer ${t.tokens(id).provider}` } })).status, method).toBe(405)
    }
    expect((await fetch(`${t.server.url}/api/boards/${'x'.repeat(5000)}/votes`)).status).toBe(400)
    // nothing of all that was stored; the server answers
    expect(await t.server.storage.ballots(id, vote.id)).toEqual([])
    expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n1'))).status).toBe(200)
  })

  it('fixed (was HOLE, minor, HTTP): after a 413 for a too-big body the keep-alive connection is left unusable: the next request on it waits ~5 s and is reset', { timeout: 20_000 }, async () => {
    // readJsonBody throws 413 while the rest of the body is still unread, and the response
    // keeps the connection alive; the client (undici, browsers) reuses it for its next request,
    // which is never answered until the server's keep-alive timeout destroys the socket.
    // Fix (server/http/api.ts): on 413 answer with `Connection: close` (res.shouldKeepAlive =
    // false) or drain the rest of the body before answering (bounded), e.g.
    // `req.resume(); res.setHeader('connection', 'close')` in the HttpError path for 413.
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    await ensurePresent(t, id, 'provider', pia.secret)
    // one keep-alive connection, as a browser or undici pool would reuse it
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const post = (body: string) =>
      new Promise<{ status: number | string; ms: number }>((resolve) => {
        const started = Date.now()
        const req = httpRequest(`${t.server.url}/api/boards/${id}/votes`, { method: 'POST', agent, timeout: 8000, headers: { authorization: `Bearer ${t.tokens(id).provider}`, 'x-arvo-person': pia.secret, 'content-type': 'application/json' } }, (res) => {
          res.resume()
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }))
        })
        req.on('error', (e) => resolve({ status: (e as NodeJS.ErrnoException).code ?? e.message, ms: Date.now() - started }))
        req.end(body)
      })
    try {
      expect((await post(JSON.stringify({ ...dot(vote.id, 'n1'), pad: 'x'.repeat(200_000) }))).status).toBe(413)
      const next = await post(JSON.stringify(dot(vote.id, 'n1')))
      expect(next.status).toBe(200)
      expect(next.ms, 'the next request answered at once').toBeLessThan(1000)
    } finally {
      agent.destroy()
    }
  })

  it('held: 100 voters casting 3 dots each at once: every cast answered, budgets kept, the count and the result exact', { timeout: 20_000 }, async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    const started = Date.now()
    const rs = await Promise.all(
      Array.from({ length: 300 }, (_, i) => cast(id, dot(vote.id, ['n1', 'n2', 'n3'][i % 3]), { person: person(`crowd${i % 100}`).secret, link: i % 2 ? 'customer' : 'provider' })),
    )
    expect(Date.now() - started).toBeLessThan(15_000)
    const ok = rs.filter((r) => r.status === 200).length
    expect(ok).toBe(200) // 2 dots each
    expect(rs.filter((r) => r.status === 409).every((r) => r.body.reason === 'budget')).toBe(true)
    await waitFor(() => (fac.doc.getMap('session').get('voteProgress') as { voters?: number } | undefined)?.voters === 100, 5000, 'progress 100')
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    const result = await waitResult(id, vote.id)
    expect(result.ranked.reduce((a, r) => a + r.total, 0)).toBe(200)
    expect(result.voters.provider + result.voters.customer).toBe(100)
  })
})

describe('F. tallying twice or losing a tally', () => {
  it('held: a close in the middle of a burst of casts: every accepted dot is tallied, none after', { timeout: 20_000 }, async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    let answered = 0
    const pending = Array.from({ length: 120 }, (_, i) =>
      cast(id, dot(vote.id, ['n1', 'n2', 'n3'][i % 3]), { person: person(`burst${i % 40}`).secret }).then((r) => {
        answered++
        return r
      }),
    )
    await waitFor(() => answered >= 30, 10_000, 'some casts answered')
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    const rs = await Promise.all(pending)
    const accepted = rs.filter((r) => r.status === 200).length
    expect(accepted).toBeGreaterThanOrEqual(30)
    expect(rs.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.reason === 'closed')).toBe(true)
    const result = await waitResult(id, vote.id)
    expect(result.ranked.reduce((a, r) => a + r.total, 0)).toBe(accepted)
    expect(await t.server.storage.ballots(id, vote.id)).toEqual([])
  })

  it('held: a close followed at once by a restart keeps exactly one result; a second restart does not tally again', { timeout: 20_000 }, async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n1'), { link: 'customer', person: carl.secret })).status).toBe(200)
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    await waitServerVote(id, vote.id, 'closed')
    stopped(fac)
    await t.restart()
    const first = (await read(id, { link: 'viewer' })).body.result
    expect(first?.voteId).toBe(vote.id)
    expect(first?.ranked).toEqual([{ noteId: 'shape:n1', provider: 1, customer: 1, total: 2 }])
    await t.restart()
    const second = (await read(id, { link: 'viewer' })).body.result
    expect(second).toEqual(first)
  })

  it('held: a time limit that passes while nobody is connected (room unloaded) is tallied when the board is next loaded', { timeout: 20_000 }, async () => {
    const { id, fac } = await board()
    await ensurePresent(t, id, 'provider', pia.secret)
    const vote = openVote(fac, { dots: 2, endsAt: Date.now() + 1500 })
    await waitServerVote(id, vote.id)
    const first = await cast(id, dot(vote.id, 'n2'), { person: pia.secret })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    stopped(fac)
    dropVoters(id)
    await waitUnloaded(id)
    await sleep(Math.max(0, vote.endsAt! - Date.now()) + 300)
    // a late cast loads the room: refused, and the vote gets its result
    expect((await cast(id, dot(vote.id, 'n3'), { person: paul.secret, present: false })).body.reason).toBe('closed')
    await waitUnloaded(id)
    const r = await read(id, { link: 'viewer' })
    expect(r.body.vote?.status).toBe('closed')
    expect(r.body.result?.ranked).toEqual([{ noteId: 'shape:n2', provider: 1, customer: 0, total: 1 }])
  })

  it('HOLE (setTimeout overflow): a vote whose time limit is more than ~24.8 days away closes at once', async () => {
    // isVoteState accepts any endsAt < 8.64e15, but RoomFacilitation.scheduleDeadline passes
    // `endsAt - now` to setTimeout, which treats anything over 2^31−1 ms as 1 ms: the vote is
    // closed and tallied immediately. Fix: arm `setTimeout(fire, Math.min(wait, 2 ** 31 - 1))`
    // and on firing re-check `vote.endsAt > now` (re-arm if not yet); or bound endsAt in
    // isVoteState (e.g. ≤ 8 h past the vote's start is not expressible without now, so the
    // re-arm is the right fix).
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2, endsAt: Date.now() + 30 * 24 * 3600 * 1000 })
    const session = await serverSession(id)
    await waitFor(() => (session.get('vote') as VoteState | undefined)?.id === vote.id, 5000, 'the vote on the server')
    await sleep(400)
    expect(((await serverSession(id)).get('vote') as VoteState).status).toBe('open')
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
  })

  it('HOLE (crash window): ballots taken out of storage by a process that died before its result was stored are lost for good', async () => {
    // Model: VOTE-S1 hands the ballots over exactly once (closeVote deletes them and marks the
    // vote closed in one storage transaction), but the result only becomes durable later, when
    // the room's update with `voteResult` is appended. A process that dies in between (crash,
    // OOM, kill -9, PostgreSQL fan-out peer) leaves a closed vote whose ballots are gone; the
    // "closed vote without its result on load" path then gets null from closeVote and writes
    // nothing, ever. Here the dead process's hand-over is played by calling closeVote directly.
    // Fix: make the hand-over idempotent until the result is stored — closeVote stores the
    // tally (or keeps the ballots) in `closed_votes`/`arvo_closed_votes` and returns it to every
    // later caller; the ballots (or the stored tally) are deleted only once an update holding
    // `voteResult` for that vote has been persisted (or simply kept: they are small).
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n3'), { link: 'customer', person: carl.secret })).status).toBe(200)
    const takenByTheDeadProcess = await t.server.storage.closeVote(id, vote.id)
    expect(takenByTheDeadProcess).toHaveLength(2)
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    await waitServerVote(id, vote.id, 'closed')
    stopped(fac)
    await t.restart()
    await read(id, { link: 'viewer' })
    await sleep(300)
    const r = await read(id, { link: 'viewer' })
    expect(r.body.result?.voteId, 'a result for the closed vote').toBe(vote.id)
    expect(r.body.result?.ranked.reduce((a, x) => a + x.total, 0)).toBe(2)
  })
})

describe('G. changing an open vote under the voters', () => {
  it('fixed (FAC-4; was: the facilitator narrows an open vote in place and ballots cast under the old rules are tallied as they are): the rules of an open vote cannot change (4003)', async () => {
    // The result then says `dots: 1` while Pia's two dots on one note both count, and dots on
    // notes outside the vote's final templates count too (tallyVotes re-checks only that the
    // note exists). Fix (shared/policy checkSessionWrite, which needs `prev` for `session`
    // keys — writes.ts passes it): an open vote keeps its id's parameters (dots, onePerNote,
    // templates); changing them needs a new vote id (the old one is then tallied, VOTE-S4).
    // Alternatively tallyVotes trims each ballot to the final rules, which is arbitrary.
    const { id, fac } = await board(['pyramid'])
    const vote = openVote(fac, { dots: 3, onePerNote: false })
    await waitServerVote(id, vote.id)
    for (let i = 0; i < 3; i++) expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).status).toBe(200)
    const zone = extractZones([...fac.records.values()])[0]
    const closed = nextClose(fac)
    fac.doc.getMap('session').set('vote', { ...vote, dots: 1, onePerNote: true, templates: [zone.instance] })
    expect(await closed).toBe(CloseCode.invalidRecord.code)
    stopped(fac)
    const session = await serverSession(id)
    await sleep(300)
    expect((session.get('vote') as VoteState).dots).toBe(3)
    expect((await cast(id, dot(vote.id, 'n1'), { person: pia.secret })).body.reason).toBe('budget')
  })
})
