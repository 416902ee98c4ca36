import * as awarenessProtocol from 'y-protocols/awareness'
import type { TLShape } from '@tldraw/tlschema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractZones, readArvoMeta } from '../shared/domain/index.ts'
import type { BallotResponse, SummaryWithSession, VoteResult, VotesResponse, VoteState } from '../shared/facilitation/index.ts'
import { CloseCode, DocLayout, type LinkRole } from '../shared/protocol.ts'
import { startTestServer, waitFor, type TestServer } from './test/fixtures.ts'
import { addNote, dot, openVote, testPerson as person, waitServerVote as waitVoteOn } from './test/voting.ts'

const waitServerVote = (id: string, voteId: string, status: 'open' | 'closed' = 'open') => waitVoteOn(t, id, voteId, status)

/**
 * Dot voting and private counts against the real server (server/SPEC.md VOTE-S*, PRIV-S*), with
 * stock y-websocket clients, raw sockets and plain fetch — what a hand-made client can do.
 */

type Client = Awaited<ReturnType<TestServer['client']>>

let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})

const fiona = person('fiona')
const pia = person('pia')
const paul = person('paul')
const carl = person('carl')


async function board(templates: string[] = []) {
  const id = await t.createBoard({ templates })
  const fac = await t.client(id, { link: 'facilitator', person: fiona.secret })
  addNote(fac, 'n1', 'first', -5000, -5000)
  addNote(fac, 'n2', 'second', -5000, -4000)
  addNote(fac, 'n3', 'third', -5000, -3000)
  const room = await t.server.registry.get(id)
  await waitFor(() => room.doc.getMap(DocLayout.records).has('shape:n3'), 5000, 'notes on the server')
  // the voters are on the board (VOTE-S2: a voter needs a live presence)
  const voters: Client[] = []
  for (const [who, link, name] of [[pia, 'provider', 'Pia'], [paul, 'provider', 'Paul'], [carl, 'customer', 'Carl']] as const) {
    const c = await t.client(id, { link, person: who.secret })
    c.provider.awareness.setLocalStateField('user', { id: 'x', name, color: '#111', side: link, role: 'participant' })
    voters.push(c)
  }
  await waitFor(() => [pia, paul, carl].every((p) => [...room.awareness.getStates().values()].some((s) => (s as { user?: { id?: string } }).user?.id === p.id)), 5000, 'voters present')
  return { id, fac, room, voters }
}



interface CallOpts {
  link?: LinkRole
  person?: string | null
  token?: string
}
async function cast(id: string, body: unknown, opts: CallOpts = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const token = opts.token ?? t.tokens(id)[opts.link ?? 'provider']
  if (token) headers.authorization = `Bearer ${token}`
  if (opts.person !== null) headers['x-arvo-person'] = opts.person ?? pia.secret
  const res = await fetch(`${t.server.url}/api/boards/${id}/votes`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as BallotResponse & { error?: string; reason?: string } }
}
async function read(id: string, opts: CallOpts = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${t.tokens(id)[opts.link ?? 'provider']}` }
  if (opts.person) headers['x-arvo-person'] = opts.person
  const res = await fetch(`${t.server.url}/api/boards/${id}/votes`, { headers })
  return { status: res.status, body: (await res.json()) as VotesResponse }
}

describe('dot voting through the votes API', () => {
  it('VOTE-S2 the server checks role, body, budget, one dot per note, the note and the open vote', async () => {
    const { id, fac } = await board()
    // nothing open yet
    expect((await cast(id, dot('voteX', 'n1'))).body.reason).toBe('noVote')
    const vote = openVote(fac, { dots: 2, onePerNote: true })
    await waitServerVote(id, vote.id)
    // who and how
    expect((await cast(id, dot(vote.id, 'n1'), { link: 'facilitator', person: fiona.secret })).status).toBe(403)
    expect((await cast(id, dot(vote.id, 'n1'), { link: 'viewer' })).status).toBe(403)
    expect((await cast(id, dot(vote.id, 'n1'), { token: '' })).status).toBe(401)
    expect((await cast(id, dot(vote.id, 'n1'), { token: 'forged.token' })).status).toBe(401)
    const noPerson = await cast(id, dot(vote.id, 'n1'), { person: null })
    expect(noPerson.status).toBe(400)
    expect(noPerson.body.error).toMatch(/x-arvo-person/)
    expect((await cast(id, '{not json')).status).toBe(400)
    const badDelta = await cast(id, { voteId: vote.id, noteId: 'shape:n1', delta: 5 })
    expect(badDelta.status).toBe(400)
    expect(badDelta.body.error).toMatch(/delta/)
    // the rules
    const first = await cast(id, dot(vote.id, 'n1'))
    expect(first).toEqual({ status: 200, body: { voteId: vote.id, dots: { 'shape:n1': 1 }, left: 1 } })
    const again = await cast(id, dot(vote.id, 'n1'))
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({ reason: 'onePerNote', error: expect.stringMatching(/one dot per note/) })
    expect((await cast(id, dot(vote.id, 'nope'))).body.reason).toBe('notANote')
    expect((await cast(id, dot('voteOther', 'n2'))).body.reason).toBe('wrongVote')
    expect((await cast(id, dot(vote.id, 'n2'))).body.left).toBe(0)
    expect((await cast(id, dot(vote.id, 'n3'))).body.reason).toBe('budget')
    expect((await cast(id, dot(vote.id, 'n3', -1))).body.reason).toBe('noDot')
    expect((await cast(id, dot(vote.id, 'n2', -1))).body).toEqual({ voteId: vote.id, dots: { 'shape:n1': 1 }, left: 1 })
    // a voter who is not on the board (an invented person secret) is refused
    const ghost = await cast(id, dot(vote.id, 'n3'), { person: person('ghost').secret })
    expect(ghost.status).toBe(409)
    expect(ghost.body.reason).toBe('notPresent')
    // a template part is no note
    const zone = [...fac.records.values()].find((s) => readArvoMeta(s)?.kind === 'zone') as TLShape | undefined
    if (zone) expect((await cast(id, { voteId: vote.id, noteId: zone.id, delta: 1 })).body.reason).toBe('notANote')
  })

  it('VOTE-S2 only notes of the chosen templates may get dots', async () => {
    const { id, fac } = await board(['pyramid'])
    const zone = extractZones([...fac.records.values()])[0]
    // a note (200 × 200) centred in a pyramid zone
    const cx = zone.bounds.x + zone.bounds.w / 2
    const cy = zone.bounds.y + zone.bounds.h / 2
    addNote(fac, 'inside', 'in the pyramid', cx - 100, cy - 100)
    const vote = openVote(fac, { templates: [zone.instance] })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n1'))).body.reason).toBe('notEligible')
    expect((await cast(id, dot(vote.id, 'inside'))).status).toBe(200)
  })

  it('FAC-4 an open vote keeps its rules; a closed one is not opened again (4003)', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    const closed = new Promise<number>((resolve) => fac.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)))
    fac.doc.getMap('session').set('vote', { ...vote, dots: 1 })
    expect(await closed).toBe(CloseCode.invalidRecord.code)
    fac.provider.shouldConnect = false
    fac.provider.destroy()
    const server = (await t.server.registry.get(id)).doc.getMap(DocLayout.session)
    expect((server.get('vote') as VoteState).dots).toBe(3)
  })

  it('VOTE-S2 concurrent casts of one voter: the budget holds', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => cast(id, dot(vote.id, ['n1', 'n2', 'n3'][i % 3]))))
    expect(results.filter((r) => r.status === 200)).toHaveLength(3)
    expect(results.filter((r) => r.status === 409).every((r) => r.body.reason === 'budget')).toBe(true)
    expect((await read(id, { person: pia.secret })).body.mine?.left).toBe(0)
  })

  it('VOTE-S6 while open nobody learns another person\'s votes: not from the API, not from the doc, not from awareness', async () => {
    const { id, fac, voters } = await board()
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    // a customer participant's raw presence with a cursor, announced while the vote is open
    const carlClient = voters[2]
    carlClient.provider.awareness.setLocalState({ user: { id: 'x', name: 'Carl', color: '#000', side: 'customer', role: 'participant' }, presence: { cursor: { x: 123, y: 456, type: 'default', rotation: 0 }, selectedShapeIds: ['shape:n2'] } })
    expect((await cast(id, dot(vote.id, 'n1'))).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n2'), { link: 'customer', person: carl.secret })).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n2'), { person: paul.secret })).status).toBe(200)
    // API: everyone sees the count; each participant their own ballot only; the facilitator none
    const mine = await read(id, { person: pia.secret })
    expect(mine.body).toMatchObject({ voters: 3, mine: { dots: { 'shape:n1': 1 }, left: 2 }, result: null })
    const carls = await read(id, { link: 'customer', person: carl.secret })
    expect(carls.body.mine?.dots).toEqual({ 'shape:n2': 1 })
    const facView = await read(id, { link: 'facilitator', person: fiona.secret })
    expect(facView.body.mine).toBeNull()
    expect(JSON.stringify(facView.body)).not.toMatch(/shape:n1|shape:n2/)
    // doc: voteProgress holds a count, nothing else
    await waitFor(() => (fac.doc.getMap('session').get('voteProgress') as { voters?: number } | undefined)?.voters === 3, 5000, 'vote progress')
    const session = fac.doc.getMap('session').toJSON() as Record<string, unknown>
    expect(session.voteProgress).toEqual({ voteId: vote.id, voters: 3 })
    expect(Object.keys(session).sort()).toEqual(['vote', 'voteProgress'])
    // awareness: Carl's presence (cursor, selection) never reaches the facilitator while open
    await waitFor(() => [...fac.provider.awareness.getStates().values()].some((s) => (s as { user?: { name?: string } }).user?.name === 'Carl'), 5000, 'Carl seen')
    const carlSeen = [...fac.provider.awareness.getStates().values()].find((s) => (s as { user?: { name?: string } }).user?.name === 'Carl') as Record<string, unknown>
    expect(carlSeen.presence).toBeUndefined()
    expect(JSON.stringify(carlSeen)).not.toContain('456')
    carlClient.provider.destroy()
  })

  it('VOTE-S4 the close tallies by side, ranks, finds disagreements, forgets the ballots and refuses later casts', async () => {
    const { id, fac, room } = await board()
    const vote = openVote(fac, { dots: 3 })
    await waitServerVote(id, vote.id)
    // provider: Pia n1 n1 n2, Paul n1; customer: Carl n3 n3 n1
    for (const n of ['n1', 'n1', 'n2']) expect((await cast(id, dot(vote.id, n))).status).toBe(200)
    expect((await cast(id, dot(vote.id, 'n1'), { person: paul.secret })).status).toBe(200)
    for (const n of ['n3', 'n3', 'n1']) expect((await cast(id, dot(vote.id, n), { link: 'customer', person: carl.secret })).status).toBe(200)
    fac.doc.getMap('session').set('vote', { ...vote, status: 'closed' })
    await waitFor(() => (fac.doc.getMap('session').get('voteResult') as VoteResult | undefined)?.voteId === vote.id, 5000, 'the result')
    const result = fac.doc.getMap('session').get('voteResult') as VoteResult
    expect(result.voters).toEqual({ provider: 2, customer: 1 })
    expect(result.ranked).toEqual([
      { noteId: 'shape:n1', provider: 3, customer: 1, total: 4 },
      { noteId: 'shape:n3', provider: 0, customer: 2, total: 2 },
      { noteId: 'shape:n2', provider: 1, customer: 0, total: 1 },
    ])
    // shares: provider n1 .75 n2 .25; customer n3 .667 n1 .333
    expect(result.disagreements[0]).toMatchObject({ noteId: 'shape:n3', gap: 0.667 })
    expect(result.disagreements.map((d) => d.noteId)).toEqual(['shape:n3', 'shape:n1', 'shape:n2'])
    expect(fac.doc.getMap('session').has('voteProgress')).toBe(false)
    expect(await t.server.registry.get(id).then(() => room.facilitation.vote?.status)).toBe('closed')
    // the ballots are gone from storage; a late cast is refused; GET gives the result
    expect(await t.server.storage.ballots(id, vote.id)).toEqual([])
    expect((await cast(id, dot(vote.id, 'n2'))).body.reason).toBe('closed')
    const after = await read(id, { link: 'viewer' })
    expect(after.body.result?.voteId).toBe(vote.id)
    expect(after.body.voters).toBe(3)
    // SUM-5: summary.json carries the title and the result with the notes' texts and dots by side
    fac.doc.getMap('session').set('title', 'Joint value workshop')
    await waitFor(() => room.doc.getMap(DocLayout.session).get('title') === 'Joint value workshop', 5000, 'title')
    const sres = await fetch(`${t.server.url}/api/boards/${id}/summary.json`, { headers: { authorization: `Bearer ${t.tokens(id).viewer}` } })
    const summary = (await sres.json()) as SummaryWithSession
    expect(summary.title).toBe('Joint value workshop')
    expect(summary.vote?.ranked[0]).toEqual({ noteId: 'shape:n1', text: 'first', provider: 3, customer: 1, total: 4 })
    expect(summary.vote?.voters).toEqual({ provider: 2, customer: 1 })
    expect(summary.notes.find((n) => n.id === 'shape:n3')?.votes).toEqual({ provider: 0, customer: 2 })
    // a new vote starts from nothing
    const next = openVote(fac, { dots: 1 })
    await waitServerVote(id, next.id)
    expect((await read(id, { person: pia.secret })).body.mine).toEqual({ voteId: next.id, dots: {}, left: 1 })
  })

  it('VOTE-S4 a vote with a time limit closes by itself on the server clock', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2, endsAt: Date.now() + 600 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n2'), { link: 'customer', person: carl.secret })).status).toBe(200)
    await waitFor(() => (fac.doc.getMap('session').get('voteResult') as VoteResult | undefined)?.voteId === vote.id, 5000, 'the result')
    expect((fac.doc.getMap('session').get('vote') as VoteState).status).toBe('closed')
    expect((fac.doc.getMap('session').get('voteResult') as VoteResult).ranked).toEqual([{ noteId: 'shape:n2', provider: 0, customer: 1, total: 1 }])
  })

  it('VOTE-S1 an open vote\'s ballots survive a server restart', async () => {
    const { id, fac } = await board()
    const vote = openVote(fac, { dots: 2 })
    await waitServerVote(id, vote.id)
    expect((await cast(id, dot(vote.id, 'n3'))).status).toBe(200)
    await waitFor(() => fac.doc.getMap('session').has('voteProgress'), 5000, 'progress')
    fac.provider.destroy()
    await t.restart()
    expect((await read(id, { person: pia.secret })).body.mine).toEqual({ voteId: vote.id, dots: { 'shape:n3': 1 }, left: 1 })
    const back = await t.client(id, { link: 'provider', person: pia.secret })
    back.provider.awareness.setLocalStateField('user', { id: 'x', name: 'Pia', color: '#111', side: 'provider', role: 'participant' })
    await new Promise((r) => setTimeout(r, 300))
    expect((await cast(id, dot(vote.id, 'n2'))).body.left).toBe(0)
  })

  it('SESS-4 nobody writes the server\'s keys and a participant writes no session key at all (4403)', async () => {
    const { id } = await board()
    for (const [link, key, value] of [
      ['provider', 'vote', { id: 'voteP', status: 'open', dots: 3, onePerNote: false, templates: null, endsAt: null }],
      ['customer', 'title', 'Hijacked'],
      ['facilitator', 'voteResult', { voteId: 'voteF', closedAt: 1, dots: 1, voters: { provider: 9, customer: 0 }, ranked: [], disagreements: [] }],
      ['facilitator', 'privateCounts', {}],
      ['facilitator', 'voteProgress', { voteId: 'voteF', voters: 99 }],
    ] as const) {
      const c = await t.client(id, { link, person: person(`w-${key}`).secret })
      const closed = new Promise<number>((resolve) => c.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)))
      c.doc.getMap('session').set(key, value)
      expect(await closed).toBe(CloseCode.forbidden.code)
      c.provider.shouldConnect = false
      c.provider.destroy()
      const server = (await t.server.registry.get(id)).doc.getMap(DocLayout.session)
      expect(server.has(key), `${link} wrote ${key}`).toBe(false)
    }
  })
})

describe('private-note counts', () => {
  it('PRIV-S1/S2 a participant\'s count reaches everyone as a count, stays after they leave, and goes when they publish', async () => {
    const { id, fac, voters } = await board()
    for (const v of voters) v.provider.destroy()
    // PRIV-S3: counts are taken for the running round only
    fac.doc.getMap('session').set('privateMode', { status: 'on', round: 'round1', since: Date.now() })
    const p = await t.client(id, { link: 'customer', person: carl.secret })
    const user = { id: 'whatever', name: 'Carl', color: '#123456', side: 'provider', role: 'facilitator' }
    p.provider.awareness.setLocalState({ user, privateNotes: { round: 'round1', count: 3, text: 'secret words' } })
    await waitFor(() => fac.doc.getMap('session').has('privateCounts'), 5000, 'the count')
    expect(fac.doc.getMap('session').get('privateCounts')).toEqual({ [carl.id]: { name: 'Carl', side: 'customer', round: 'round1', count: 3 } })
    // the field as relayed carries the count only
    const seen = [...fac.provider.awareness.getStates().values()].find((s) => (s as { user?: { name?: string } }).user?.name === 'Carl') as Record<string, unknown>
    expect(seen.privateNotes).toEqual({ round: 'round1', count: 3 })
    // leaving keeps the entry (pending after a reveal)
    awarenessProtocol.removeAwarenessStates(p.provider.awareness, [p.doc.clientID], 'test')
    p.provider.destroy()
    await new Promise((r) => setTimeout(r, 600))
    expect(fac.doc.getMap('session').get('privateCounts')).toMatchObject({ [carl.id]: { count: 3 } })
    // back with nothing pending: the entry goes; garbage is ignored
    const back = await t.client(id, { link: 'customer', person: carl.secret })
    back.provider.awareness.setLocalState({ user, privateNotes: { round: 'round1', count: 0 } })
    await waitFor(() => !fac.doc.getMap('session').has('privateCounts'), 5000, 'the count gone')
    const other = await t.client(id, { link: 'provider', person: paul.secret })
    other.provider.awareness.setLocalState({ user: { ...user, name: 'Paul' }, privateNotes: { round: 'bad round!', count: -4 } })
    await new Promise((r) => setTimeout(r, 600))
    expect(fac.doc.getMap('session').has('privateCounts')).toBe(false)
    // another round: counts of the old one are dropped; no round, no counts
    other.provider.awareness.setLocalState({ user: { ...user, name: 'Paul' }, privateNotes: { round: 'round1', count: 2 } })
    await waitFor(() => fac.doc.getMap('session').has('privateCounts'), 5000, 'Paul counted')
    fac.doc.getMap('session').set('privateMode', { status: 'on', round: 'round2', since: Date.now() })
    await waitFor(() => !fac.doc.getMap('session').has('privateCounts'), 5000, 'the old round forgotten')
  })
})
