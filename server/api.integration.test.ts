import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildNote, extractZones, findRatingShape, richText, setRating, type BoardSummary } from '../shared/domain/index.ts'
import { DocLayout } from '../shared/protocol.ts'
import { startTestServer, tokenOfLink, tokensOfLinks, waitFor, type TestServer } from './test/fixtures.ts'
import { createHash, createHmac } from 'node:crypto'
import { LINK_ROLES, type BoardLinks, type LinkRole, type LinksResponse } from '../shared/protocol.ts'
import { validateRecord } from './validation.ts'
import { personIdOf } from './auth/tokens.ts'

async function post(t: TestServer, body: unknown) {
  const res = await fetch(`${t.server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

describe('HTTP API', () => {
  let t: TestServer
  async function access(boardId: string, token: string, person?: string) {
    const res = await fetch(`${t.server.url}/api/boards/${boardId}/access`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(person ? { 'x-arvo-person': person } : {}) },
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }
  beforeEach(async () => {
    t = await startTestServer()
  })
  afterEach(async () => {
    await t.stop()
  })

  it('API-1 POST /api/boards with templates places them, valid and locked, in the chosen language', async () => {
    const { status, json } = await post(t, { templates: ['pyramid', 'staircase'], language: 'fi' })
    expect(status).toBe(201)
    expect(json.url).toBe(`${t.server.url}/b/${json.id}`)
    t.remember(json.id as string, json.links as BoardLinks)
    const c = await t.client(json.id as string)
    const records = [...c.records.values()] as { id: string; isLocked?: boolean; meta?: { arvo?: { kind: string; template: string } } }[]
    for (const r of records) expect(validateRecord(r.id, r)).toBeNull()
    const zones = extractZones(records)
    expect(new Set(zones.map((z) => z.template))).toEqual(new Set(['pyramid', 'staircase']))
    expect(zones.filter((z) => z.template === 'pyramid')).toHaveLength(5)
    const backgrounds = records.filter((r) => r.meta?.arvo?.kind === 'zone')
    expect(backgrounds.length).toBeGreaterThan(0)
    expect(backgrounds.every((r) => r.isLocked === true)).toBe(true)
  })

  it('API-2 bad requests get a 4xx with a clear JSON error', async () => {
    expect(await post(t, { templates: ['pyramid', 'swot'] })).toEqual({
      status: 400,
      json: { error: expect.stringMatching(/templates must be a list of at most 8 of: pyramid, roleMap, staircase, actionPlan/) },
    })
    expect((await post(t, { language: 'de' })).json.error).toMatch(/language must be one of en, fi, et, ru/)
    expect(await post(t, '{not json')).toEqual({ status: 400, json: { error: 'request body is not valid JSON' } })
    expect((await post(t, [1, 2])).status).toBe(400)
    // an unknown board: no token of it exists, so 401 (the answer does not tell whether it exists)
    const missing = await fetch(`${t.server.url}/api/boards/NoSuchBoard1/summary.json`)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toEqual({ error: 'no token: open the board through an invite link', reason: 'noToken' })
    expect((await fetch(`${t.server.url}/api/boards/bad!id/summary.json`)).status).toBe(400)
    expect((await fetch(`${t.server.url}/api/nothing`)).status).toBe(404)
    expect((await fetch(`${t.server.url}/api/boards`)).status).toBe(405)
  })

  it('API-3 summary.json reports notes by zone and side, ratings, gaps and server-counted edits', async () => {
    const id = await t.createBoard({ templates: ['pyramid', 'staircase'], language: 'en' })
    // Kaisa (customer link) and Pekka (provider link) write a note each, the facilitator rates;
    // the server attributes each note to the person whose secret its connection carries (ROLE-4).
    const c = await t.client(id, { link: 'customer', person: 'secret-of-kaisa-0123456789' })
    c.provider.awareness.setLocalStateField('user', { id: 'cust-1', name: 'Kaisa', side: 'customer', color: '#c2410c' })
    const pekka = await t.client(id, { link: 'provider', person: 'secret-of-pekka-0123456789' })
    pekka.provider.awareness.setLocalStateField('user', { id: 'prov-1', name: 'Pekka', side: 'provider', color: '#1d4ed8' })
    const facilitator = await t.client(id)
    await new Promise((r) => setTimeout(r, 100)) // presence reaches the server before the writes
    const records = [...c.records.values()]
    const zones = extractZones(records)
    const inspirational = zones.find((z) => z.zone === 'inspirational')!
    const table = zones.find((z) => z.zone === 'tableStakes')!
    const centre = (z: typeof table) => ({ x: z.bounds.x + z.bounds.w / 2 - 100, y: z.bounds.y + z.bounds.h / 2 - 100 })
    c.records.set(
      'shape:n1',
      buildNote({ id: 'n1', ...centre(inspirational), index: 'b01' as never, text: 'A greener supply chain', author: { authorId: 'cust-1', authorName: 'Kaisa', side: 'customer' } }),
    )
    pekka.records.set(
      'shape:n2',
      buildNote({ id: 'n2', ...centre(table), index: 'b02' as never, text: 'GDPR compliance', author: { authorId: 'prov-1', authorName: 'Pekka', side: 'provider' } }),
    )
    facilitator.doc.transact(() => {
      for (const [side, value] of [['provider', 5], ['customer', 2]] as const) {
        const shape = findRatingShape(records, 'staircase-1', 'differentiation', side)!
        facilitator.records.set(shape.id, setRating(shape, value))
      }
    })
    await waitFor(() => c.records.has('shape:n2') && c.records.has('shape:n1'), 3000, 'both notes at Kaisa')
    // Kaisa moves her note (no edit, EDIT-1) and rewrites Pekka's note twice: one edit (EDIT-2).
    const n1 = c.records.get('shape:n1') as { x: number }
    c.records.set('shape:n1', { ...n1, x: n1.x + 10 })
    const n2 = c.records.get('shape:n2') as ReturnType<typeof buildNote>
    c.records.set('shape:n2', { ...n2, props: { ...n2.props, richText: richText('GDPR and NIS2 compliance') } })
    c.records.set('shape:n2', { ...n2, props: { ...n2.props, richText: richText('GDPR and NIS2 compliance, audited') } })
    await waitFor(() => [...c.doc.getMap(DocLayout.meta).keys()].some((k) => k.startsWith(DocLayout.editsPrefix)), 6000, 'edit counts in meta')

    // a plain download: the token in the query (the viewer's is enough to read)
    const res = await fetch(`${t.server.url}/api/boards/${id}/summary.json?token=${t.tokens(id).viewer}`)
    expect(res.status).toBe(200)
    const s = (await res.json()) as BoardSummary
    expect(s.counts.notes).toBe(2)
    expect(s.notes.map((n) => [n.zone, n.side, n.authorName, n.text])).toEqual(
      expect.arrayContaining([
        ['inspirational', 'customer', 'Kaisa', 'A greener supply chain'],
        ['tableStakes', 'provider', 'Pekka', 'GDPR and NIS2 compliance, audited'],
      ]),
    )
    const diff = s.perceptionGap.find((g) => g.step === 'differentiation')!
    expect(diff).toMatchObject({ provider: 5, customer: 2, gap: 3 })
    expect(s.perceptionGap[0].step).toBe('differentiation')
    const kaisa = s.balance.people.find((p) => p.authorId === personIdOf('secret-of-kaisa-0123456789'))!
    expect(kaisa).toMatchObject({ notes: 1, edits: 1 })
  })

  it('API-4 a new board answers four links whose tokens grant their role and side, across restarts; the board URL alone grants nothing', async () => {
    const { status, json } = await post(t, {})
    expect(status).toBe(201)
    const id = json.id as string
    const links = json.links as Record<LinkRole, string>
    expect(Object.keys(links).sort()).toEqual(['customer', 'facilitator', 'provider', 'viewer'])
    const tokens = {} as Record<LinkRole, string>
    for (const l of LINK_ROLES) {
      expect(links[l].startsWith(`${json.url}#token=`)).toBe(true)
      tokens[l] = tokenOfLink(links[l])
    }
    expect(new Set(Object.values(tokens)).size).toBe(4)
    expect(String(json.url)).not.toContain('token')
    const want = {
      facilitator: { role: 'facilitator', side: null },
      provider: { role: 'participant', side: 'provider' },
      customer: { role: 'participant', side: 'customer' },
      viewer: { role: 'viewer', side: null },
    }
    for (const l of LINK_ROLES) expect(await access(id, tokens[l])).toMatchObject({ status: 200, json: { ...want[l], link: l, expiresAt: null } })
    // The generated secret is kept by the storage: the tokens still work after a restart.
    await t.restart()
    expect((await access(id, tokens.customer)).json).toMatchObject({ role: 'participant', side: 'customer' })
    expect((await fetch(`${t.server.url}/api/boards/${id}/access`)).status).toBe(405)
  })

  it('API-5 with ARVO_SECRET set, a token is the signed payload written out: base64url(JSON) "." HMAC-SHA256(secret, "arvo-token:" + payload)', async () => {
    const secret = 'a-configured-secret-0123456789'
    const s2 = await startTestServer({ ARVO_SECRET: secret })
    try {
      const board = await s2.createBoardWithLinks()
      const [part, sig] = board.tokens.provider.split('.')
      expect(JSON.parse(Buffer.from(part, 'base64url').toString())).toEqual({ v: 1, b: board.id, l: 'provider', g: 0, e: 0 })
      expect(sig).toBe(createHmac('sha256', secret).update(`arvo-token:${part}`).digest('base64url'))
    } finally {
      await s2.stop()
    }
  })

  it('API-6 the person id is the hash of the person secret (X-Arvo-Person); without one a random id per request; a malformed one is a 400', async () => {
    const board = await t.createBoardWithLinks()
    const secret = 'my-browser-secret-0123456789'
    const expected = createHash('sha256').update(`arvo-person:${secret}`).digest('base64url').slice(0, 22)
    expect((await access(board.id, board.tokens.viewer, secret)).json.personId).toBe(expected)
    const a = (await access(board.id, board.tokens.viewer)).json.personId as string
    const b = (await access(board.id, board.tokens.viewer)).json.personId as string
    expect(a).toMatch(/^anon-/)
    expect(a).not.toBe(b)
    expect(await access(board.id, board.tokens.viewer, 'short')).toEqual({
      status: 400,
      json: { error: 'x-arvo-person must be 16-128 characters of A-Z a-z 0-9 _ -' },
    })
  })

  it('API-7 expiresInDays: for every link or per link, 1-365 days; the links answer and /access report it; bad values are a clear 400', async () => {
    const before = Date.now()
    const { status, json } = await post(t, { expiresInDays: { viewer: 7, customer: 1.5 } })
    expect(status).toBe(201)
    const tokens = tokensOfLinks(json.links as BoardLinks)
    const id = json.id as string
    const viewer = (await access(id, tokens.viewer)).json
    const at = Date.parse(viewer.expiresAt as string)
    expect(at).toBeGreaterThanOrEqual(before + 7 * 86_400_000)
    expect(at).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000 + 1000)
    expect((await access(id, tokens.facilitator)).json.expiresAt).toBeNull()
    const listed = await fetch(`${t.server.url}/api/boards/${id}/links`, { headers: { authorization: `Bearer ${tokens.facilitator}` } })
    const body = (await listed.json()) as LinksResponse
    expect(body.expiresAt.viewer).toBe(viewer.expiresAt)
    expect(body.expiresAt.provider).toBeNull()
    expect(Date.parse(body.expiresAt.customer!)).toBeGreaterThanOrEqual(before + 1.5 * 86_400_000)
    expect(tokensOfLinks(body.links)).toEqual(tokens)
    for (const [bad, msg] of [
      [0, /expiresInDays must be a number of days from 1 to 365/],
      [366, /from 1 to 365/],
      ['7', /expiresInDays must be a number of days or an object per link/],
      [{ viewer: 400 }, /expiresInDays.viewer must be a number of days from 1 to 365/],
      [{ boss: 3 }, /unknown link "boss"/],
      [[7], /expiresInDays must be a number of days or an object per link/],
    ] as const) {
      const r = await post(t, { expiresInDays: bad })
      expect(r.status).toBe(400)
      expect(r.json.error).toMatch(msg)
    }
  })

  it('API-8 with ARVO_CREATE_TOKEN set, creating a board needs it as a bearer token (401 JSON error otherwise)', async () => {
    const s2 = await startTestServer({ ARVO_CREATE_TOKEN: 'staff-only-create-token' })
    try {
      const without = await fetch(`${s2.server.url}/api/boards`, { method: 'POST', body: '{}' })
      expect(without.status).toBe(401)
      expect(await without.json()).toEqual({ error: 'creating boards needs the create token: Authorization: Bearer <ARVO_CREATE_TOKEN>' })
      const wrong = await fetch(`${s2.server.url}/api/boards`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer staff-only-create-tokeX' } })
      expect(wrong.status).toBe(401)
      const ok = await fetch(`${s2.server.url}/api/boards`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer staff-only-create-token' } })
      expect(ok.status).toBe(201)
      // the board routes ask for the board's token, not the create token
      const id = ((await ok.json()) as { id: string }).id
      expect((await fetch(`${s2.server.url}/api/boards/${id}`, { headers: { authorization: 'Bearer staff-only-create-token' } })).status).toBe(401)
    } finally {
      await s2.stop()
    }
    // without it, anyone may create boards
    expect((await post(t, {})).status).toBe(201)
  })

  it('FAC-3 GET /api/time answers the server clock (not cached); other methods are a 405', async () => {
    const before = Date.now()
    const res = await fetch(`${t.server.url}/api/time`)
    const after = Date.now()
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { now } = (await res.json()) as { now: number }
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(after)
    expect((await fetch(`${t.server.url}/api/time`, { method: 'POST' })).status).toBe(405)
  })
})
