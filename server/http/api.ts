import type { TimeResponse } from '../../shared/facilitation/session.ts'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isTemplateKind, placeTemplates, TEMPLATE_KINDS, type TemplateKind } from '../../shared/domain/index.ts'
import { isLanguage, LANGUAGES, type Language } from '../../shared/i18n/index.ts'
import {
  isValidBoardId,
  LINK_ROLES,
  PERSON_HEADER,
  PERSON_SECRET_PATTERN,
  PROTOCOL_VERSION,
  type AccessResponse,
  type ClientConfig,
  type CreateBoardResponse,
  type LinkRole,
  type LinksResponse,
  type UnauthorizedBody,
} from '../../shared/protocol.ts'
import {
  expiriesFrom,
  LinkInputError,
  linkUrls,
  parseExpiresInDays,
  parseRotate,
  principalOf,
  requestToken,
  unauthorizedBody,
  type BoardAccess,
  type Grant,
} from '../auth/access.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import type { ServerConfig } from '../config.ts'
import { defaultLinks, type BoardInfo, type BoardLinkState, type BoardStorage } from '../storage/types.ts'
import { SummaryUnavailable, type BoardSummaries } from './summaries.ts'
import { CAST_REFUSAL_TEXT, CastInputError, parseCastRequest, type Votes } from '../votes.ts'
import type { Room } from '../sync/room.ts'
import { isExportPath, type ExportRoutes } from './exports.ts'

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
const MAX_BODY_BYTES = 64 * 1024

/** A fresh board id: 12 characters from a 56-letter alphabet (~70 bits), unambiguous to read aloud. */
export function newBoardId(): string {
  const bytes = randomBytes(24)
  let id = ''
  for (const b of bytes) {
    if (b >= 224) continue // 224 = 4 * 56: keep the distribution uniform
    id += ALPHABET[b % ALPHABET.length]
    if (id.length === 12) break
  }
  return id.length === 12 ? id : newBoardId()
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonBytes(res, status, Buffer.from(JSON.stringify(body)))
}

/** Sends a body that already is UTF-8 JSON (e.g. a cached summary). */
function sendJsonBytes(res: ServerResponse, status: number, body: Uint8Array): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
  })
  res.end(body)
}

function sendError(res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error })
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'request body is not valid JSON')
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** A board that vanished between the token check and loading it (404). */
export class ApiNotFound extends Error {}

/** A board route refused for want of a valid token (401 with an UnauthorizedBody). */
class Unauthorized extends Error {
  constructor(readonly reason: UnauthorizedBody['reason']) {
    super(reason)
  }
}

export interface ApiDeps {
  config: ServerConfig
  storage: BoardStorage
  /** summary.json bodies, cached per board version and built off the event loop (SUM-SRV-*). */
  summaries: BoardSummaries
  /** Checks tokens and signs links (server/auth). */
  access: BoardAccess
  /** A board's links changed (rotation, expiry): close the connections holding old tokens, here and elsewhere. */
  onLinksChanged: (boardId: string, links: BoardLinkState) => void
  /** Dot voting (VOTE-S2, VOTE-S6); without it the votes routes answer 503. */
  votes?: Votes
  /** A board's loaded room for the votes routes; `release` lets it unload again when nobody is connected. */
  rooms?: { get(id: string): Promise<Room>; release(room: Room): void }
  /** The export and import routes (EXP-*, `exports.ts`); without them those paths are 404. */
  exports?: ExportRoutes
  now?: () => number
}

const MAX_TEMPLATES = 8

export interface CreateBoardInput {
  templates: TemplateKind[]
  language: Language
  /** Days until each link expires (links without an entry never expire). */
  expiresInDays: Partial<Record<LinkRole, number>>
}

function parseOrBadRequest<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof LinkInputError) throw new HttpError(400, e.message)
    throw e
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Validates `POST /api/boards`' body: `{ templates?: TemplateKind[], language?: Language, expiresInDays? }`. */
export function parseCreateBoard(body: unknown): CreateBoardInput {
  if (!isObject(body)) throw new HttpError(400, 'request body must be a JSON object')
  const language = body.language ?? 'en'
  if (!isLanguage(language)) {
    throw new HttpError(400, `language must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
  }
  const templates = body.templates ?? []
  if (!Array.isArray(templates) || templates.length > MAX_TEMPLATES || !templates.every(isTemplateKind)) {
    throw new HttpError(400, `templates must be a list of at most ${MAX_TEMPLATES} of: ${TEMPLATE_KINDS.join(', ')}`)
  }
  return { templates, language, expiresInDays: parseOrBadRequest(() => parseExpiresInDays(body.expiresInDays)) }
}

function baseUrl(req: IncomingMessage, config: ServerConfig): string {
  if (config.publicUrl) return config.publicUrl
  const host = req.headers.host ?? `localhost:${config.port}`
  return `http://${host}`
}

/** True when the request carries `Authorization: Bearer <want>` (constant-time comparison). */
function hasBearer(req: IncomingMessage, want: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  if (!m) return false
  const got = Buffer.from(m[1])
  const expected = Buffer.from(want)
  return got.length === expected.length && timingSafeEqual(got, expected)
}

function expiresAtIso(links: BoardLinkState): Record<LinkRole, string | null> {
  const out = {} as Record<LinkRole, string | null>
  for (const l of LINK_ROLES) {
    const e = links[l].expiresAt
    out[l] = e === null ? null : new Date(e).toISOString()
  }
  return out
}

/** Handles `/api/*`. Returns false when the path is not an API route. */
export function createApiHandler({ config, storage, summaries, access, onLinksChanged, votes, rooms, exports, now = Date.now }: ApiDeps) {
  /**
   * AUTH-4: the token of a board route, checked before any work is done for the request
   * (no token or a forged one: no storage read at all). 404 only for a well-signed token of a
   * board that no longer exists.
   */
  async function authorize(req: IncomingMessage, url: URL, boardId: string): Promise<{ info: BoardInfo; grant: Grant }> {
    const r = await access.check(boardId, requestToken(req, url))
    if (r.ok) return r
    if (r.reason === 'boardNotFound') throw new HttpError(404, 'board not found')
    throw new Unauthorized(r.reason)
  }

  async function linksAnswer(req: IncomingMessage, id: string, links: BoardLinkState): Promise<LinksResponse> {
    return { links: linkUrls(`${baseUrl(req, config)}/b/${id}`, await access.tokens(id, links)), expiresAt: expiresAtIso(links) }
  }

  return async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith('/api/')) return false
    const url = new URL(req.url ?? '/', 'http://x')
    try {
      if (exports && isExportPath(pathname)) {
        // EXP-*: exports.ts answers its own refusals; the token gate's errors come back here
        await exports.handle(req, res, pathname, {
          url,
          baseUrl: baseUrl(req, config),
          authorize: (id) => authorize(req, url, id),
          mayCreate: () => config.createToken === null || hasBearer(req, config.createToken),
          newBoardId,
          isValidBoardId,
        })
        return true
      }
      if (pathname === '/api/boards') {
        if (req.method !== 'POST') throw new HttpError(405, 'use POST to create a board')
        if (config.createToken !== null && !hasBearer(req, config.createToken)) {
          throw new HttpError(401, 'creating boards needs the create token: Authorization: Bearer <ARVO_CREATE_TOKEN>')
        }
        const { templates, language, expiresInDays } = parseCreateBoard(await readJsonBody(req))
        const id = newBoardId()
        const links = defaultLinks()
        for (const [l, e] of Object.entries(expiriesFrom(expiresInDays, now()))) links[l as LinkRole].expiresAt = e
        await storage.createBoard(id, initialBoardUpdate(placeTemplates(templates, language)), links)
        const boardUrl = `${baseUrl(req, config)}/b/${id}`
        const answer: CreateBoardResponse = { id, url: boardUrl, links: linkUrls(boardUrl, await access.tokens(id, links)) }
        sendJson(res, 201, answer)
        return true
      }
      const route = /^\/api\/boards\/([^/]+)(?:\/(summary\.json|access|links|votes))?$/.exec(pathname)
      if (route) {
        const [, id, sub] = route
        if (!isValidBoardId(id)) throw new HttpError(400, 'invalid board id')
        if (sub === 'summary.json') {
          if (req.method !== 'GET') throw new HttpError(405, 'use GET')
          const lang = url.searchParams.get('lang') ?? 'en'
          if (!isLanguage(lang)) throw new HttpError(400, `lang must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
          await authorize(req, url, id) // SUM-SRV-3: before the cache, before any work
          const body = await summaries.get(id, lang).catch((e: unknown) => {
            if (e instanceof SummaryUnavailable) throw new HttpError(503, e.message)
            throw e
          })
          if (!body) throw new HttpError(404, 'board not found')
          sendJsonBytes(res, 200, body)
          return true
        }
        if (sub === 'access') {
          if (req.method !== 'POST') throw new HttpError(405, 'use POST with Authorization: Bearer <token>')
          const person = req.headers[PERSON_HEADER]
          if (person !== undefined && (typeof person !== 'string' || !PERSON_SECRET_PATTERN.test(person))) {
            throw new HttpError(400, `${PERSON_HEADER} must be 16-128 characters of A-Z a-z 0-9 _ -`)
          }
          const { grant } = await authorize(req, url, id)
          const p = principalOf(grant, person)
          const answer: AccessResponse = {
            role: p.role,
            side: p.side,
            link: p.link,
            personId: p.personId,
            expiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt).toISOString(),
          }
          sendJson(res, 200, answer)
          return true
        }
        if (sub === 'votes') {
          // VOTE-S2 / VOTE-S6: cast a dot (participants), read the vote (anyone who may read)
          if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'use GET, or POST with { "voteId", "noteId", "delta": 1 | -1 }')
          const person = req.headers[PERSON_HEADER]
          if (person !== undefined && (typeof person !== 'string' || !PERSON_SECRET_PATTERN.test(person))) {
            throw new HttpError(400, `${PERSON_HEADER} must be 16-128 characters of A-Z a-z 0-9 _ -`)
          }
          const { grant } = await authorize(req, url, id)
          const who = principalOf(grant, person)
          if (!votes || !rooms) throw new HttpError(503, 'voting is not available on this server')
          if (req.method === 'POST') {
            if (who.role !== 'participant') {
              sendJson(res, 403, { error: 'only participants (provider or customer links) vote', reason: 'notParticipant' })
              return true
            }
            if (person === undefined) throw new HttpError(400, `voting needs the voter's person secret in ${PERSON_HEADER}`)
            let cast
            try {
              cast = parseCastRequest(await readJsonBody(req))
            } catch (e) {
              if (e instanceof CastInputError) throw new HttpError(400, e.message)
              throw e
            }
            const room = await rooms.get(id)
            try {
              const outcome = await votes.cast(room, who, cast)
              if (outcome.ok) sendJson(res, 200, outcome.ballot)
              else sendJson(res, 409, { error: CAST_REFUSAL_TEXT[outcome.reason], reason: outcome.reason })
            } finally {
              rooms.release(room)
            }
            return true
          }
          const room = await rooms.get(id)
          try {
            sendJson(res, 200, await votes.read(room, who, person !== undefined))
          } finally {
            rooms.release(room)
          }
          return true
        }
        if (sub === 'links') {
          if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'use GET, or POST with { "rotate": [...] }')
          const { info, grant } = await authorize(req, url, id)
          if (grant.role !== 'facilitator') throw new HttpError(403, 'only the facilitator link may see or reset the links')
          if (req.method === 'GET') {
            sendJson(res, 200, await linksAnswer(req, id, info.links))
            return true
          }
          const body = await readJsonBody(req)
          if (!isObject(body)) throw new HttpError(400, 'request body must be a JSON object')
          const rotate = parseOrBadRequest(() => parseRotate(body.rotate))
          const expiresAt = expiriesFrom(parseOrBadRequest(() => parseExpiresInDays(body.expiresInDays)), now())
          const links = await storage.updateLinks(id, { rotate, expiresAt })
          if (!links) throw new HttpError(404, 'board not found')
          // AUTH-5: stored first, then every process closes the connections holding old tokens
          onLinksChanged(id, links)
          sendJson(res, 200, await linksAnswer(req, id, links))
          return true
        }
        if (req.method !== 'GET') throw new HttpError(405, 'use GET')
        const { info } = await authorize(req, url, id)
        sendJson(res, 200, { id: info.id, createdAt: new Date(info.createdAt).toISOString() })
        return true
      }
      if (pathname === '/api/config') {
        const cfg: ClientConfig = {
          tldrawLicenseKey: config.tldrawLicenseKey,
          maxFrameBytes: config.maxFrameBytes,
          protocolVersion: PROTOCOL_VERSION,
        }
        sendJson(res, 200, cfg)
        return true
      }
      if (pathname === '/api/time') {
        // FAC-3: the server's clock, for the client's offset estimate (timers count against it)
        if (req.method !== 'GET') throw new HttpError(405, 'use GET')
        const answer: TimeResponse = { now: now() }
        res.setHeader('cache-control', 'no-store')
        sendJson(res, 200, answer)
        return true
      }
      if (pathname === '/api/health') {
        sendJson(res, 200, { ok: true, storage: storage.name })
        return true
      }
      throw new HttpError(404, `no API route ${pathname}`)
    } catch (e) {
      if (e instanceof HttpError) {
        // the rest of an oversized body is never read: the connection cannot carry another request
        if (e.status === 413) res.setHeader('connection', 'close')
        sendError(res, e.status, e.message)
      }
      else if (e instanceof ApiNotFound) sendError(res, 404, e.message)
      else if (e instanceof Unauthorized) {
        res.setHeader('www-authenticate', 'Bearer')
        sendJson(res, 401, unauthorizedBody(e.reason))
      } else {
        sendError(res, 500, 'internal error')
        throw e
      }
      return true
    }
  }
}
