import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { TLShape } from '@tldraw/tlschema'
import { buildNote, extractZones, indexKeysAbove, maxPageIndex, placeTemplates } from '../../shared/domain/index.ts'
import { DocLayout, LINK_ROLES, SYNC_PATH, type BoardLinks, type CreateBoardResponse, type LinkRole } from '../../shared/protocol.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import { startServer, type ArvoServer } from '../app.ts'
import { loadConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { RefusalThrottle } from '../auth/throttle.ts'
import { signToken } from '../auth/tokens.ts'
import { replayStored } from '../storage/replay.ts'
import { SqliteStorage } from '../storage/sqlite.ts'
import type { BoardStorage } from '../storage/types.ts'

/** A full, valid tldraw note record (every prop present), as a script or CRM would write it. */
export function noteRecord(id: string, x: number, y: number, text: string, index = 'a1') {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: { type: 'doc', content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }] },
      scale: 1,
      textLastEditedBy: null,
    },
  }
}

/** A board made through `POST /api/boards`: its id, its four links and their tokens. */
export interface TestBoard {
  id: string
  links: BoardLinks
  tokens: Record<LinkRole, string>
}

/** Which credentials a test client connects with (default: the board's facilitator token). */
export interface ClientOptions {
  /** Use the token of this link of the board (as created by the fixture). */
  link?: LinkRole
  /** Use exactly this token ('' for none); wins over `link`. */
  token?: string
  /** The person secret (`person` query parameter). */
  person?: string
}

export interface TestServer {
  server: ArvoServer
  dataDir: string
  restart(): Promise<void>
  stop(): Promise<void>
  /** Creates a board (its links are remembered for `client` and `rawSocket`) and returns its id. */
  createBoard(body?: Record<string, unknown>): Promise<string>
  createBoardWithLinks(body?: Record<string, unknown>): Promise<TestBoard>
  /** The tokens the fixture knows for `boardId` (made by createBoard, or given to `remember`). */
  tokens(boardId: string): Record<LinkRole, string>
  /** Makes the fixture use these tokens for `boardId` (a board created some other way, or rotated links). */
  remember(boardId: string, links: BoardLinks): void
  /** A stock y-websocket client on `boardId`, resolved once synced. */
  client(boardId: string, opts?: ClientOptions): Promise<{ doc: Y.Doc; provider: WebsocketProvider; records: Y.Map<unknown> }>
  /** The websocket URL of `boardId` with the credentials of `opts` in the query. */
  syncUrl(boardId: string, opts?: ClientOptions): string
  /** A raw `ws` socket to `boardId` with the credentials of `opts` (not waited for: listen for open/unexpected-response). */
  rawSocket(boardId: string, opts?: ClientOptions): WebSocket
}

/** The token in an invite link's fragment (`…#token=<t>`). */
export function tokenOfLink(link: string): string {
  const t = new URLSearchParams(new URL(link).hash.slice(1)).get('token')
  if (!t) throw new Error(`no token in link ${link}`)
  return t
}

/** The tokens of a board's four links. */
export function tokensOfLinks(links: BoardLinks): Record<LinkRole, string> {
  return Object.fromEntries(LINK_ROLES.map((l) => [l, tokenOfLink(links[l])])) as Record<LinkRole, string>
}

/** Creates a board on the server at `baseUrl` (optionally with a create token); its links and tokens. */
export async function createBoardAt(baseUrl: string, body: Record<string, unknown> = {}, createToken?: string): Promise<TestBoard> {
  const res = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(createToken ? { authorization: `Bearer ${createToken}` } : {}) },
    body: JSON.stringify(body),
  })
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
  const json = (await res.json()) as CreateBoardResponse
  return { id: json.id, links: json.links, tokens: tokensOfLinks(json.links) }
}

/** The query string of a sync URL for `token` and `person` (either may be absent). */
export function syncQuery(token: string | undefined, person?: string): string {
  const q = new URLSearchParams()
  if (token) q.set('token', token)
  if (person) q.set('person', person)
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** Log lines a test server wrote (when started with a {@link recordingLogger}). */
export interface RecordedLog {
  level: 'info' | 'warn'
  msg: string
  fields?: Record<string, unknown>
}

/** A logger that keeps every line in `lines` (and prints nothing). */
export function recordingLogger(): Logger & { lines: RecordedLog[] } {
  const lines: RecordedLog[] = []
  return {
    lines,
    info: (msg, fields) => void lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => void lines.push({ level: 'warn', msg, fields }),
  }
}

/** Starts the real server on port 0 with a fresh data dir (removed by `stop`). */
export async function startTestServer(
  env: Record<string, string> = {},
  deps: { log?: Logger; throttle?: RefusalThrottle; keepAliveMs?: number } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'arvo-it-'))
  const cfg = () =>
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ROOM_UNLOAD_DELAY_MS: '0', ...env })
  const providers: WebsocketProvider[] = []
  const known = new Map<string, Record<LinkRole, string>>()
  const tokenFor = (boardId: string, opts: ClientOptions = {}): string | undefined => {
    if (opts.token !== undefined) return opts.token || undefined
    return known.get(boardId)?.[opts.link ?? 'facilitator']
  }
  const t: TestServer = {
    server: await startServer(cfg(), deps),
    dataDir,
    async restart() {
      await t.server.close()
      t.server = await startServer({ ...cfg(), port: t.server.port }, deps)
    },
    async stop() {
      for (const p of providers) p.destroy()
      await t.server.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
    async createBoard(body) {
      return (await t.createBoardWithLinks(body)).id
    },
    async createBoardWithLinks(body = {}) {
      const board = await createBoardAt(t.server.url, body, env.ARVO_CREATE_TOKEN)
      known.set(board.id, board.tokens)
      return board
    },
    tokens(boardId) {
      const k = known.get(boardId)
      if (!k) throw new Error(`the fixture knows no tokens of board ${boardId}`)
      return k
    },
    remember(boardId, links) {
      known.set(boardId, tokensOfLinks(links))
    },
    syncUrl(boardId, opts = {}) {
      return `${t.server.url.replace('http', 'ws')}${SYNC_PATH}/${boardId}${syncQuery(tokenFor(boardId, opts), opts.person)}`
    },
    rawSocket(boardId, opts = {}) {
      return new WebSocket(t.syncUrl(boardId, opts))
    },
    async client(boardId, opts = {}) {
      const doc = new Y.Doc()
      const token = tokenFor(boardId, opts)
      const params: Record<string, string> = {}
      if (token) params.token = token
      if (opts.person) params.person = opts.person
      const provider = new WebsocketProvider(`${t.server.url.replace('http', 'ws')}${SYNC_PATH}`, boardId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params,
      })
      providers.push(provider)
      await new Promise<void>((resolve) => {
        if (provider.synced) resolve()
        else provider.once('sync', () => resolve())
      })
      return { doc, provider, records: doc.getMap(DocLayout.records) }
    },
  }
  return t
}

/** ARVO_SECRET for spawned test servers whose boards are seeded into storage directly (no API, so no links). */
export const TEST_SECRET = 'arvo-test-secret-0123456789abcdef'

/** A token of `boardId` signed with `secret` (default TEST_SECRET) at the link's generation 0, no expiry. */
export function testToken(boardId: string, link: LinkRole = 'facilitator', secret = TEST_SECRET): string {
  return signToken(secret, boardId, link, 0, null)
}

/** Resolves once `check()` is true, polling every 10 ms; rejects after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** What {@link bigBoardRecords} put on the board, counted independently of the summary code. */
export interface BigBoardFacts {
  notes: number
  /** Notes per side. */
  provider: number
  customer: number
  /** Notes placed at a zone's centre (the others sit far right of every template). */
  inZones: number
}

/**
 * The records of a big board: every template once, then `notes` notes from four people
 * (two per side), three of four at the centre of a zone (round robin), one of four far to the
 * right of every template. Built with the domain's builders.
 */
export function bigBoardRecords(notes: number): { records: TLShape[]; facts: BigBoardFacts } {
  const templates = placeTemplates(['pyramid', 'roleMap', 'staircase', 'actionPlan'], 'en')
  const zones = extractZones(templates)
  const people = [
    { authorId: 'p1', authorName: 'Paula', side: 'provider' as const },
    { authorId: 'p2', authorName: 'Pekka', side: 'provider' as const },
    { authorId: 'c1', authorName: 'Carla', side: 'customer' as const },
    { authorId: 'c2', authorName: 'Kalle', side: 'customer' as const },
  ]
  const indices = indexKeysAbove(maxPageIndex(templates), notes)
  const facts: BigBoardFacts = { notes, provider: 0, customer: 0, inZones: 0 }
  const records: TLShape[] = [...templates]
  for (let i = 0; i < notes; i++) {
    const author = people[i % people.length]
    facts[author.side]++
    let center: { x: number; y: number }
    if (i % 4 === 3) center = { x: 1_000_000 + (i % 100) * 220, y: Math.floor(i / 100) * 220 }
    else {
      const b = zones[i % zones.length].bounds
      center = { x: b.x + b.w / 2, y: b.y + b.h / 2 }
      facts.inZones++
    }
    records.push(buildNote({ id: `shape:big${i}`, x: center.x - 100, y: center.y - 100, index: indices[i], text: `note ${i}`, author }))
  }
  return { records, facts }
}

/** Creates board `id` in `storage` holding {@link bigBoardRecords} (one update, no server involved). */
export async function seedBigBoard(storage: BoardStorage, id: string, notes: number): Promise<BigBoardFacts> {
  const { records, facts } = bigBoardRecords(notes)
  await storage.createBoard(id, initialBoardUpdate(records))
  return facts
}

/** The board as stored, read through a separate SQLite connection (what a restart would load). */
export async function loadStored(dataDir: string, boardId: string): Promise<Y.Doc> {
  const s = new SqliteStorage(dataDir)
  const stored = await s.load(boardId)
  await s.close()
  return replayStored(stored ?? { snapshot: null, updates: [] })
}
