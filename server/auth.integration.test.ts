import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode, SYNC_PATH, UpgradeRefusal, type LinkRole, type LinksResponse } from '../shared/protocol.ts'
import { signToken } from './auth/tokens.ts'
import { ownerKey } from './http/owner.ts'
import { PostgresStorage } from './storage/postgres.ts'
import {
  createBoardAt,
  noteRecord,
  recordingLogger,
  startTestServer,
  syncQuery,
  TEST_SECRET,
  tokensOfLinks,
  waitFor,
  type TestServer,
} from './test/fixtures.ts'
import { spawnServer } from './test/processes.ts'

const SECRET_TEXT = 'only for those holding a link'

/** How an upgrade to `url` went: refused (status, body, bytes received) or opened. */
function upgrade(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    ws.on('open', () => {
      ws.terminate()
      resolve({ status: 101, body: '' })
    })
    ws.on('error', () => {})
  })
}

/** A raw socket that records the frames it receives and how it was closed. */
async function openRaw(url: string) {
  const ws = new WebSocket(url)
  const frames: Buffer[] = []
  ws.on('message', (d: Buffer) => frames.push(d))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)))
  return { ws, frames, closed }
}

async function rotate(base: string, id: string, facilitatorToken: string, body: unknown): Promise<{ status: number; json: LinksResponse & { error?: string } }> {
  const res = await fetch(`${base}/api/boards/${id}/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${facilitatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as LinksResponse & { error?: string } }
}

describe('AUTH invite links enforced by the server', () => {
  let t: TestServer
  const log = recordingLogger()
  beforeEach(async () => {
    log.lines.length = 0
    t = await startTestServer({ ARVO_SECRET: TEST_SECRET, LOG_LEVEL: 'info' }, { log })
  })
  afterEach(async () => {
    await t.stop()
  })

  /** A board holding a note with SECRET_TEXT, written by its facilitator. */
  async function boardWithNote() {
    const board = await t.createBoardWithLinks()
    const c = await t.client(board.id)
    c.records.set('shape:s', noteRecord('shape:s', 0, 0, SECRET_TEXT))
    // relayed only once stored (SRV-1): a second client holding it means the board has it
    const d = await t.client(board.id, { link: 'viewer' })
    await waitFor(() => d.records.has('shape:s'), 5000, 'the note stored')
    c.provider.destroy()
    d.provider.destroy()
    return board
  }

  it('AUTH-4 upgrades without a valid token of the board are refused 401 with the reason, and nothing of the board is sent', async () => {
    const board = await boardWithNote()
    const other = await t.createBoardWithLinks()
    const url = (token?: string) => `${t.server.url.replace('http', 'ws')}${SYNC_PATH}/${board.id}${syncQuery(token)}`
    const [part, sig] = board.tokens.viewer.split('.')
    const forged = Buffer.from(JSON.stringify({ v: 1, b: board.id, l: 'facilitator', g: 0, e: 0 })).toString('base64url')
    const cases: [string | undefined, keyof typeof UpgradeRefusal][] = [
      [undefined, 'noToken'],
      [`${part.slice(0, -2)}xx.${sig}`, 'badToken'],
      [`${forged}.${sig}`, 'badToken'],
      [`${part}.${sig.slice(0, -1)}`, 'badToken'],
      [other.tokens.facilitator, 'badToken'],
      [signToken('some-other-server-secret-01234', board.id, 'viewer', 0, null), 'badToken'],
      [signToken(TEST_SECRET, board.id, 'viewer', 0, Date.now() - 2000), 'tokenExpired'],
    ]
    for (const [token, reason] of cases) {
      const r = await upgrade(url(token))
      expect(r, `token ${reason}`).toEqual({ status: 401, body: `${UpgradeRefusal[reason].reason}\n` })
    }
    // rotated: the old viewer token stops at once, the new one works
    const rotated = await rotate(t.server.url, board.id, board.tokens.facilitator, { rotate: ['viewer'] })
    expect(rotated.status).toBe(200)
    expect(await upgrade(url(board.tokens.viewer))).toEqual({ status: 401, body: `${UpgradeRefusal.tokenReset.reason}\n` })
    const fresh = tokensOfLinks(rotated.json.links)
    expect(fresh.viewer).not.toBe(board.tokens.viewer)
    expect(fresh.customer).toBe(board.tokens.customer)
    expect((await upgrade(url(fresh.viewer))).status).toBe(101)
    // a positive control that does receive the board: the secret text arrives through a valid token
    const ok = await openRaw(url(fresh.viewer))
    ok.ws.send(Buffer.from([0, 0, 1, 0])) // sync step 1 with an empty state vector
    await waitFor(() => Buffer.concat(ok.frames).includes(SECRET_TEXT), 5000, 'the board through a valid token')
    ok.ws.close()
  })

  it('AUTH-4 a connection carries the principal of its token: role, side, link, person id from the person secret', async () => {
    const board = await t.createBoardWithLinks()
    const person = 'browser-secret-of-kaisa-0123'
    const c = await t.client(board.id, { link: 'customer', person })
    const v = await t.client(board.id, { link: 'viewer' })
    const room = (await t.server.registry.loaded(board.id))!
    const principals = [...room.conns].map((conn) => conn.principal)
    expect(principals).toContainEqual({
      role: 'participant',
      side: 'customer',
      link: 'customer',
      personId: createHash('sha256').update(`arvo-person:${person}`).digest('base64url').slice(0, 22),
    })
    expect(principals).toContainEqual({ role: 'viewer', side: null, link: 'viewer', personId: expect.stringMatching(/^anon-/) })
    c.provider.destroy()
    v.provider.destroy()
  })

  it('AUTH-3 the legacy owner key opens the board as its facilitator until the facilitator link is rotated', async () => {
    const board = await t.createBoardWithLinks()
    const key = ownerKey(TEST_SECRET, board.id)
    const url = (token: string) => `${t.server.url.replace('http', 'ws')}${SYNC_PATH}/${board.id}${syncQuery(token)}`
    const legacy = await openRaw(url(key))
    const room = (await t.server.registry.loaded(board.id))!
    await waitFor(() => room.conns.size === 1)
    expect([...room.conns][0].principal).toMatchObject({ role: 'facilitator', link: 'facilitator' })
    const res = await fetch(`${t.server.url}/api/boards/${board.id}/links`, { headers: { authorization: `Bearer ${key}` } })
    expect(res.status).toBe(200)
    // the old owner link rotates away with the facilitator link; the live legacy connection is closed
    const rotated = await rotate(t.server.url, board.id, key, { rotate: ['facilitator'] })
    expect(rotated.status).toBe(200)
    expect(await legacy.closed).toEqual({ code: 4401, reason: 'link reset' })
    expect(await upgrade(url(key))).toEqual({ status: 401, body: `${UpgradeRefusal.tokenReset.reason}\n` })
    expect((await upgrade(url(tokensOfLinks(rotated.json.links).facilitator))).status).toBe(101)
  })

  it('AUTH-4 every board route refuses without a token of the board (401 UnauthorizedBody), and the links route is the facilitator\'s (403)', async () => {
    const board = await t.createBoardWithLinks()
    const other = await t.createBoardWithLinks()
    const routes: [string, string][] = [
      ['GET', `/api/boards/${board.id}`],
      ['GET', `/api/boards/${board.id}/summary.json`],
      ['POST', `/api/boards/${board.id}/access`],
      ['GET', `/api/boards/${board.id}/links`],
      ['POST', `/api/boards/${board.id}/links`],
    ]
    const call = async (method: string, path: string, token?: string, query = false) => {
      const res = await fetch(`${t.server.url}${path}${query && token ? `?token=${token}` : ''}`, {
        method,
        headers: token && !query ? { authorization: `Bearer ${token}` } : {},
        ...(method === 'POST' ? { body: '{}' } : {}),
      })
      return { status: res.status, json: (await res.json()) as Record<string, unknown>, auth: res.headers.get('www-authenticate') }
    }
    for (const [method, path] of routes) {
      expect(await call(method, path)).toEqual({ status: 401, json: { error: UpgradeRefusal.noToken.reason, reason: 'noToken' }, auth: 'Bearer' })
      expect((await call(method, path, other.tokens.facilitator)).json).toEqual({ error: UpgradeRefusal.badToken.reason, reason: 'badToken' })
      expect((await call(method, path, 'Bearer-but-junk')).json.reason).toBe('badToken')
      expect((await call(method, path, signToken(TEST_SECRET, board.id, 'viewer', 0, Date.now() - 2000))).json.reason).toBe('tokenExpired')
    }
    // positive controls: the board's own tokens, as a header or (plain downloads) in the query
    expect((await call('GET', `/api/boards/${board.id}`, board.tokens.viewer)).status).toBe(200)
    expect((await call('GET', `/api/boards/${board.id}/summary.json`, board.tokens.customer, true)).status).toBe(200)
    expect((await call('POST', `/api/boards/${board.id}/access`, board.tokens.provider)).json).toMatchObject({ role: 'participant', side: 'provider' })
    for (const l of ['provider', 'customer', 'viewer'] as LinkRole[]) {
      expect(await call('GET', `/api/boards/${board.id}/links`, board.tokens[l])).toMatchObject({ status: 403, json: { error: 'only the facilitator link may see or reset the links' } })
      expect((await call('POST', `/api/boards/${board.id}/links`, board.tokens[l])).status).toBe(403)
    }
    const listed = await call('GET', `/api/boards/${board.id}/links`, board.tokens.facilitator)
    expect(tokensOfLinks(listed.json.links as LinksResponse['links'])).toEqual(board.tokens)
    // bad rotation bodies
    for (const bad of [{ rotate: 'viewer' }, { rotate: ['boss'] }, { expiresInDays: 0 }]) {
      const r = await rotate(t.server.url, board.id, board.tokens.facilitator, bad)
      expect(r.status).toBe(400)
    }
    // the old /role route is gone
    expect((await fetch(`${t.server.url}/api/boards/${board.id}/role`, { method: 'POST', body: '{}' })).status).toBe(404)
  })

  it('AUTH-5 rotation closes the live connections holding old tokens with 4401 "link reset"; the others stay', async () => {
    const board = await t.createBoardWithLinks()
    const url = (l: LinkRole) => t.syncUrl(board.id, { link: l })
    const viewers = await Promise.all([openRaw(url('viewer')), openRaw(url('viewer'))])
    const customer = await openRaw(url('customer'))
    const facilitator = await openRaw(url('facilitator'))
    const r = await rotate(t.server.url, board.id, board.tokens.facilitator, { rotate: ['viewer', 'customer'] })
    expect(r.status).toBe(200)
    for (const c of [...viewers, customer]) expect(await c.closed).toEqual({ code: CloseCode.linkReset.code, reason: CloseCode.linkReset.reason })
    await new Promise((res) => setTimeout(res, 200))
    expect(facilitator.ws.readyState).toBe(WebSocket.OPEN)
    facilitator.ws.close()
  })

  it('AUTH-6 a live connection whose token expires is closed with 4401 "link expired" at that moment', async () => {
    const board = await t.createBoardWithLinks()
    const expiresAt = Math.ceil((Date.now() + 1500) / 1000) * 1000
    const token = signToken(TEST_SECRET, board.id, 'viewer', 0, expiresAt)
    const c = await openRaw(t.syncUrl(board.id, { token }))
    const closed = await c.closed
    const at = Date.now()
    expect(closed).toEqual({ code: CloseCode.linkExpired.code, reason: CloseCode.linkExpired.reason })
    expect(at).toBeGreaterThanOrEqual(expiresAt)
    expect(at).toBeLessThan(expiresAt + 500)
    expect(await upgrade(t.syncUrl(board.id, { token }))).toEqual({ status: 401, body: `${UpgradeRefusal.tokenExpired.reason}\n` })
  })

  it('AUTH-7 a stock y-websocket client looping on a reset link is throttled: a bounded number of token checks, then 429', async () => {
    const board = await t.createBoardWithLinks()
    await rotate(t.server.url, board.id, board.tokens.facilitator, { rotate: ['viewer'] })
    const statuses: string[] = []
    class Recording extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols)
        this.on('error', (e: Error) => statuses.push(/Unexpected server response: (\d+)/.exec(e.message)?.[1] ?? e.message))
      }
    }
    const provider = new WebsocketProvider(`${t.server.url.replace('http', 'ws')}${SYNC_PATH}`, board.id, new Y.Doc(), {
      WebSocketPolyfill: Recording as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 100,
      params: { token: board.tokens.viewer },
    })
    try {
      await waitFor(() => statuses.length >= 20, 15_000, 'twenty reconnect attempts')
    } finally {
      provider.destroy()
    }
    // the first six get the reason (the sixth starts a 2 s cooldown), then 429 until the cooldown
    // ends, when one more refusal doubles it: far fewer token checks than attempts
    expect(statuses.slice(0, 6)).toEqual(['401', '401', '401', '401', '401', '401'])
    expect(statuses[6]).toBe('429')
    const checks = statuses.filter((s) => s === '401').length
    expect(checks).toBeLessThanOrEqual(8)
    expect(statuses.filter((s) => s === '429').length).toBe(statuses.length - checks)
    // another client (another token) is not affected
    expect((await upgrade(t.syncUrl(board.id, { link: 'customer' }))).status).toBe(101)
  })

  it('AUTH-9 logs never contain a token, a person secret or a URL with a query', async () => {
    const person = 'a-person-secret-never-logged-0123'
    const board = await t.createBoardWithLinks({ expiresInDays: 3 })
    const c = await t.client(board.id, { link: 'provider', person })
    await fetch(`${t.server.url}/api/boards/${board.id}/summary.json?token=${board.tokens.viewer}`)
    await fetch(`${t.server.url}/api/boards/${board.id}/access`, { method: 'POST', headers: { authorization: `Bearer ${board.tokens.customer}`, 'x-arvo-person': person } })
    await upgrade(t.syncUrl(board.id, { token: `${board.tokens.viewer}x` }))
    const r = await rotate(t.server.url, board.id, board.tokens.facilitator, { rotate: ['provider'] })
    await waitFor(() => !c.provider.wsconnected, 5000, 'the provider connection closed')
    c.provider.destroy()
    await t.restart() // room unloads, logs its lines
    const text = JSON.stringify(log.lines)
    expect(log.lines.some((l) => l.msg === 'closing connection' && l.fields?.code === 4401)).toBe(true)
    for (const secret of [...Object.values(board.tokens), ...Object.values(tokensOfLinks(r.json.links)), person]) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(secret.split('.')[1] ?? secret)
    }
    expect(text).not.toMatch(/\?token=|token=/)
  })
})

describe('AUTH-5 rotation across processes (Redis)', () => {
  const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
  const schema = `arvo_auth_${Math.random().toString(36).slice(2, 10)}`
  const env = { DATABASE_URL: `${DB}?schema=${schema}`, REDIS_URL: REDIS, ROOM_UNLOAD_DELAY_MS: '0', ARVO_SECRET: TEST_SECRET }
  let a: Awaited<ReturnType<typeof spawnServer>>
  let b: Awaited<ReturnType<typeof spawnServer>>
  beforeAll(async () => {
    ;[a, b] = await Promise.all([spawnServer(env), spawnServer(env)])
  }, 30_000)
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()])
    await PostgresStorage.dropSchema(DB, schema)
  })

  it('AUTH-5 a rotation on process A closes the connections holding old tokens on process B too; B refuses the old token', async () => {
    const board = await createBoardAt(`http://127.0.0.1:${a.port}`)
    const url = (port: number, token: string) => `ws://127.0.0.1:${port}${SYNC_PATH}/${board.id}${syncQuery(token)}`
    const onB = await openRaw(url(b.port, board.tokens.customer))
    const onA = await openRaw(url(a.port, board.tokens.customer))
    const keep = await openRaw(url(b.port, board.tokens.provider))
    // B has the room loaded (and subscribed) once it answers sync step 1
    onB.ws.send(Buffer.from([0, 0, 1, 0]))
    await waitFor(() => onB.frames.length > 0, 5000, 'B answers')
    const r = await rotate(`http://127.0.0.1:${a.port}`, board.id, board.tokens.facilitator, { rotate: ['customer'] })
    expect(r.status).toBe(200)
    expect(await onA.closed).toEqual({ code: 4401, reason: 'link reset' })
    expect(await onB.closed).toEqual({ code: 4401, reason: 'link reset' })
    expect(await upgrade(url(b.port, board.tokens.customer))).toEqual({ status: 401, body: `${UpgradeRefusal.tokenReset.reason}\n` })
    expect((await upgrade(url(b.port, tokensOfLinks(r.json.links).customer))).status).toBe(101)
    expect(keep.ws.readyState).toBe(WebSocket.OPEN)
    keep.ws.close()
    for (const log of [a.log(), b.log()]) for (const tok of Object.values(board.tokens)) expect(log).not.toContain(tok)
  }, 30_000)
})
