import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isTemplateKind, placeTemplates, TEMPLATE_KINDS, type TemplateKind } from '../../shared/domain/index.ts'
import { isLanguage, LANGUAGES, type Language } from '../../shared/i18n/index.ts'
import {
  isValidBoardId,
  OWNER_FRAGMENT_PARAM,
  PROTOCOL_VERSION,
  type BoardRoleResponse,
  type ClientConfig,
  type CreateBoardResponse,
} from '../../shared/protocol.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import type { ServerConfig } from '../config.ts'
import type { BoardStorage } from '../storage/types.ts'
import { isOwnerKey, ownerKey, serverSecretSource } from './owner.ts'
import { SummaryUnavailable, type BoardSummaries } from './summaries.ts'

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

export interface ApiDeps {
  config: ServerConfig
  storage: BoardStorage
  /** summary.json bodies, cached per board version and built off the event loop (SUM-SRV-*). */
  summaries: BoardSummaries
}

const MAX_TEMPLATES = 8

/** Validates `POST /api/boards`' body: `{ templates?: TemplateKind[], language?: Language }`. */
export function parseCreateBoard(body: unknown): { templates: TemplateKind[]; language: Language } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object')
  }
  const b = body as { templates?: unknown; language?: unknown }
  const language = b.language ?? 'en'
  if (!isLanguage(language)) {
    throw new HttpError(400, `language must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
  }
  const templates = b.templates ?? []
  if (!Array.isArray(templates) || templates.length > MAX_TEMPLATES || !templates.every(isTemplateKind)) {
    throw new HttpError(400, `templates must be a list of at most ${MAX_TEMPLATES} of: ${TEMPLATE_KINDS.join(', ')}`)
  }
  return { templates, language }
}

function baseUrl(req: IncomingMessage, config: ServerConfig): string {
  if (config.publicUrl) return config.publicUrl
  const host = req.headers.host ?? `localhost:${config.port}`
  return `http://${host}`
}

/** Handles `/api/*`. Returns false when the path is not an API route. */
export function createApiHandler({ config, storage, summaries }: ApiDeps) {
  const secret = serverSecretSource(config.secret, storage)
  return async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith('/api/')) return false
    try {
      if (pathname === '/api/boards') {
        if (req.method !== 'POST') throw new HttpError(405, 'use POST to create a board')
        const { templates, language } = parseCreateBoard(await readJsonBody(req))
        const id = newBoardId()
        const key = ownerKey(await secret(), id)
        await storage.createBoard(id, initialBoardUpdate(placeTemplates(templates, language)))
        const url = `${baseUrl(req, config)}/b/${id}`
        const answer: CreateBoardResponse = { id, url, ownerKey: key, ownerUrl: `${url}#${OWNER_FRAGMENT_PARAM}=${key}` }
        sendJson(res, 201, answer)
        return true
      }
      const rm = /^\/api\/boards\/([^/]+)\/role$/.exec(pathname)
      if (rm) {
        if (req.method !== 'POST') throw new HttpError(405, 'use POST with { "ownerKey": "…" }')
        if (!isValidBoardId(rm[1])) throw new HttpError(400, 'invalid board id')
        const body = (await readJsonBody(req)) as { ownerKey?: unknown } | null
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'request body must be a JSON object')
        if (body.ownerKey !== undefined && typeof body.ownerKey !== 'string') throw new HttpError(400, 'ownerKey must be a string')
        if (!(await storage.getBoard(rm[1]))) throw new HttpError(404, 'board not found')
        const answer: BoardRoleResponse = { role: isOwnerKey(await secret(), rm[1], body.ownerKey) ? 'owner' : 'participant' }
        sendJson(res, 200, answer)
        return true
      }
      const sm = /^\/api\/boards\/([^/]+)\/summary\.json$/.exec(pathname)
      if (sm) {
        if (req.method !== 'GET') throw new HttpError(405, 'use GET')
        if (!isValidBoardId(sm[1])) throw new HttpError(400, 'invalid board id')
        const lang = new URL(req.url ?? '/', 'http://x').searchParams.get('lang') ?? 'en'
        if (!isLanguage(lang)) throw new HttpError(400, `lang must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
        // Access checks (tokens, roles) go here, before any work is done for the request.
        const body = await summaries.get(sm[1], lang).catch((e: unknown) => {
          if (e instanceof SummaryUnavailable) throw new HttpError(503, e.message)
          throw e
        })
        if (!body) throw new HttpError(404, 'board not found')
        sendJsonBytes(res, 200, body)
        return true
      }
      const m = /^\/api\/boards\/([^/]+)$/.exec(pathname)
      if (m) {
        if (req.method !== 'GET') throw new HttpError(405, 'use GET')
        if (!isValidBoardId(m[1])) throw new HttpError(400, 'invalid board id')
        const info = await storage.getBoard(m[1])
        if (!info) throw new HttpError(404, 'board not found')
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
      if (pathname === '/api/health') {
        sendJson(res, 200, { ok: true, storage: storage.name })
        return true
      }
      throw new HttpError(404, `no API route ${pathname}`)
    } catch (e) {
      if (e instanceof HttpError) sendError(res, e.status, e.message)
      else {
        sendError(res, 500, 'internal error')
        throw e
      }
      return true
    }
  }
}
