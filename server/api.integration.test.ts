import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildNote, extractZones, findRatingShape, richText, setRating, type BoardSummary } from '../shared/domain/index.ts'
import { DocLayout } from '../shared/protocol.ts'
import { startTestServer, waitFor, type TestServer } from './test/fixtures.ts'
import { ownerKey } from './http/owner.ts'
import { validateRecord } from './validation.ts'

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
    const missing = await fetch(`${t.server.url}/api/boards/NoSuchBoard1/summary.json`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'board not found' })
    expect((await fetch(`${t.server.url}/api/nothing`)).status).toBe(404)
    expect((await fetch(`${t.server.url}/api/boards`)).status).toBe(405)
  })

  it('API-3 summary.json reports notes by zone and side, ratings, gaps and server-counted edits', async () => {
    const { json } = await post(t, { templates: ['pyramid', 'staircase'], language: 'en' })
    const id = json.id as string
    const c = await t.client(id)
    c.provider.awareness.setLocalStateField('user', { id: 'cust-1', name: 'Kaisa', side: 'customer', color: '#c2410c' })
    const records = [...c.records.values()]
    const zones = extractZones(records)
    const inspirational = zones.find((z) => z.zone === 'inspirational')!
    const table = zones.find((z) => z.zone === 'tableStakes')!
    const centre = (z: typeof table) => ({ x: z.bounds.x + z.bounds.w / 2 - 100, y: z.bounds.y + z.bounds.h / 2 - 100 })
    c.doc.transact(() => {
      c.records.set(
        'shape:n1',
        buildNote({ id: 'n1', ...centre(inspirational), index: 'b01' as never, text: 'A greener supply chain', author: { authorId: 'cust-1', authorName: 'Kaisa', side: 'customer' } }),
      )
      c.records.set(
        'shape:n2',
        buildNote({ id: 'n2', ...centre(table), index: 'b02' as never, text: 'GDPR compliance', author: { authorId: 'prov-1', authorName: 'Pekka', side: 'provider' } }),
      )
      for (const [side, value] of [['provider', 5], ['customer', 2]] as const) {
        const shape = findRatingShape(records, 'staircase-1', 'differentiation', side)!
        c.records.set(shape.id, setRating(shape, value))
      }
    })
    // Kaisa moves her note (no edit, EDIT-1) and rewrites Pekka's note twice: one edit (EDIT-2).
    await new Promise((r) => setTimeout(r, 100))
    const n1 = c.records.get('shape:n1') as { x: number }
    c.records.set('shape:n1', { ...n1, x: n1.x + 10 })
    const n2 = c.records.get('shape:n2') as ReturnType<typeof buildNote>
    c.records.set('shape:n2', { ...n2, props: { ...n2.props, richText: richText('GDPR and NIS2 compliance') } })
    c.records.set('shape:n2', { ...n2, props: { ...n2.props, richText: richText('GDPR and NIS2 compliance, audited') } })
    await waitFor(() => [...c.doc.getMap(DocLayout.meta).keys()].some((k) => k.startsWith(DocLayout.editsPrefix)), 6000, 'edit counts in meta')

    const res = await fetch(`${t.server.url}/api/boards/${id}/summary.json`)
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
    const kaisa = s.balance.people.find((p) => p.authorId === 'cust-1')!
    expect(kaisa).toMatchObject({ notes: 1, edits: 1 })
  })

  async function role(boardId: string, body: unknown) {
    const res = await fetch(`${t.server.url}/api/boards/${boardId}/role`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  it('API-4 a new board answers an owner key (in the owner link fragment) that the role route recognises, across restarts', async () => {
    const { json } = await post(t, {})
    const id = json.id as string
    const key = json.ownerKey as string
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(json.ownerUrl).toBe(`${json.url}#owner=${key}`)
    expect(String(json.url)).not.toContain(key)
    expect(await role(id, { ownerKey: key })).toEqual({ status: 200, json: { role: 'owner' } })
    expect(await role(id, {})).toEqual({ status: 200, json: { role: 'participant' } })
    expect((await role(id, { ownerKey: key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A') })).json).toEqual({ role: 'participant' })
    // Another board's key is not this board's.
    const other = await post(t, {})
    expect(other.json.ownerKey).not.toBe(key)
    expect((await role(id, { ownerKey: other.json.ownerKey })).json).toEqual({ role: 'participant' })
    // The generated secret is kept by the storage: the key still works after a restart.
    await t.restart()
    expect((await role(id, { ownerKey: key })).json).toEqual({ role: 'owner' })
    // Bad requests.
    expect(await role('NoSuchBoard1', { ownerKey: key })).toEqual({ status: 404, json: { error: 'board not found' } })
    expect((await role(id, { ownerKey: 7 })).status).toBe(400)
    expect((await role(id, [1])).status).toBe(400)
    expect((await fetch(`${t.server.url}/api/boards/${id}/role`)).status).toBe(405)
  })

  it('API-5 with ARVO_SECRET set, owner keys are the HMAC of the board id under it', async () => {
    const secret = 'a-configured-secret-0123456789'
    const s2 = await startTestServer({ ARVO_SECRET: secret })
    try {
      const res = await fetch(`${s2.server.url}/api/boards`, { method: 'POST', body: '{}' })
      const json = (await res.json()) as { id: string; ownerKey: string }
      expect(json.ownerKey).toBe(ownerKey(secret, json.id))
    } finally {
      await s2.stop()
    }
  })
})
