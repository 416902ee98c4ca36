/**
 * The export routes (rules EXP-1..EXP-7, server/SPEC.md), called from `api.ts`:
 * - `GET /api/boards/<id>/export.pdf|csv|md|json` — any token of the board (viewers too),
 *   checked before any work; `?lang=en|fi|et|ru`, `?paper=a4|letter` (PDF);
 * - `POST /api/boards/import` — a JSON backup as the body (create token as `POST /api/boards`),
 *   checked completely, then a new board with fresh links: 201 `{ id, url, links }`.
 * Errors are `{ error }` JSON; a download is sent only once it is complete (nothing half-sent).
 * Exports are built by `exportJobs.ts` (EXP-8..EXP-10): in a worker thread, a bounded number at
 * once (503 with Retry-After beyond), stopped after a time limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isLanguage, LANGUAGES, type Language } from '../../shared/i18n/index.ts'
import type { CreateBoardResponse } from '../../shared/protocol.ts'
import { linkUrls, type BoardAccess } from '../auth/access.ts'
import { ImportError, importUpdate, MAX_IMPORT_BYTES, readBackup } from '../export/backup.ts'
import { awaitRoomPersisted, ExportUnavailable, type ExportSource } from '../export/load.ts'
import { renderBoardPdf, type Paper } from '../export/pdf/index.ts'
import { buildExport, ExportRenderError, type ExportFormat, type ExportJob, type ExportResult } from '../export/workerJob.ts'
import type { Logger } from '../log.ts'
import { defaultLinks, type BoardStorage } from '../storage/types.ts'
import { ExportBusy, ExportFailed, ExportJobs, type ExportWorkers } from './exportJobs.ts'

export { EXPORT_FORMATS, renderExport, type ExportFormat } from '../export/workerJob.ts'
export const PAPERS: readonly Paper[] = ['a4', 'letter']

/** `/api/boards/<id>/export.<format>`. */
export const EXPORT_ROUTE = /^\/api\/boards\/([^/]+)\/export\.(pdf|csv|md|json)$/
export const IMPORT_PATH = '/api/boards/import'

/** True for the paths `handleExportRoute` answers. */
export function isExportPath(pathname: string): boolean {
  return pathname === IMPORT_PATH || EXPORT_ROUTE.test(pathname)
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
}

/** An export route's refusal: status and a message for `{ error }`. */
export class ExportHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds for `Retry-After` (busy answers). */
    readonly retryAfterS?: number,
  ) {
    super(message)
  }
}

/**
 * A download's file name without extension: the board title (or `board-<id>`), then the date.
 * Returns the ASCII `filename` (quotes, backslashes, path and control characters removed,
 * letters stripped of accents, anything else non-ASCII as `_`) and the full UTF-8 name for
 * RFC 5987's `filename*`.
 */
export function downloadNames(title: string | null, boardId: string, date: string, ext: string): { ascii: string; utf8: string } {
  // Control, path and quote characters and bidi controls (U+202E would make "…\u202Efdp.exe" read
  // as an .exe) go; leading dots and spaces too (no hidden files); at most 100 characters, never
  // splitting a surrogate pair (encodeURIComponent would throw on half an emoji).
  const clean = Array.from(
    (title ?? '')
      .replace(/[\u0000-\u001f\u007f"\\/:*?<>|\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[\s.]+/, ''),
  )
    .slice(0, 100)
    .join('')
    .trim()
  const base = clean || `board-${boardId}`
  const ascii = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/[%;]/g, '_')
  const asciiBase = /[A-Za-z0-9]/.test(ascii) ? ascii : `board-${boardId}`
  return { ascii: `${asciiBase}-${date}.${ext}`, utf8: `${base}-${date}.${ext}` }
}

/** `Content-Disposition: attachment` with both names (RFC 6266 / RFC 5987). */
export function contentDisposition(names: { ascii: string; utf8: string }): string {
  const star = encodeURIComponent(names.utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${names.ascii}"; filename*=UTF-8''${star}`
}

export interface ExportRouteDeps {
  storage: BoardStorage
  /** Checks tokens and signs the imported board's links. */
  access: BoardAccess
  /** The loaded rooms of this process (their pending edits are waited for). */
  rooms?: ExportSource['rooms']
  log?: Logger
  now?: () => number
  /** How long to wait for a loaded board's pending edits (default EXPORT_PERSIST_WAIT_MS). */
  persistWaitMs?: number
  /** The PDF renderer (tests give a failing one); given, exports are built in-process. */
  renderPdf?: typeof renderBoardPdf
  /** Worker threads that build exports off the event loop (EXP-8); without them, in-process. */
  workers?: ExportWorkers | null
  /** The admission limits (EXP-9); default: as many running as worker threads (1 without), 2 queued. */
  jobs?: ExportJobs
}

/** What `api.ts` gives a request: its token gate and its create-token check. */
export interface ExportRequestContext {
  url: URL
  /** The board URL base (`PUBLIC_URL` or the request's host). */
  baseUrl: string
  /** AUTH-4: throws (401/404 in api.ts) when the request holds no valid token of the board. */
  authorize(boardId: string): Promise<unknown>
  /** True when the request may create boards (the create token, if the server has one). */
  mayCreate(): boolean
  newBoardId(): string
  isValidBoardId(id: string): boolean
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body))
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store', ...headers })
  res.end(bytes)
}

/** The request body, at most `limit` bytes (413 beyond, told by Content-Length before reading when it can). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new ExportHttpError(413, `the file is larger than ${limit / (1024 * 1024)} MB (${limit} bytes), the import limit`)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** The export and import routes; `handle` answers every path `isExportPath` accepts. */
export function createExportRoutes(deps: ExportRouteDeps) {
  const now = deps.now ?? Date.now
  const workers = deps.renderPdf ? null : (deps.workers ?? null)
  const jobs = deps.jobs ?? new ExportJobs({ running: workers?.size ?? 1, queued: 2 })
  // a worker thread reads the board itself (EXP-8); in-process only without one (in-memory storage, tests)
  const build = (job: ExportJob): Promise<ExportResult | null> =>
    workers ? workers.run(job) : buildExport(deps.storage, job, deps.renderPdf ?? renderBoardPdf)

  async function exportBoard(req: IncomingMessage, res: ServerResponse, ctx: ExportRequestContext, id: string, format: ExportFormat): Promise<void> {
    if (req.method !== 'GET') throw new ExportHttpError(405, 'use GET')
    if (!ctx.isValidBoardId(id)) throw new ExportHttpError(400, 'invalid board id')
    await ctx.authorize(id) // EXP-1: before any work; any role that can read
    const lang = ctx.url.searchParams.get('lang') ?? 'en'
    if (!isLanguage(lang)) throw new ExportHttpError(400, `lang must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
    const paper = ctx.url.searchParams.get('paper') ?? 'a4'
    if (!(PAPERS as readonly string[]).includes(paper)) throw new ExportHttpError(400, `paper must be one of ${PAPERS.join(', ')}`)
    const job: ExportJob = { boardId: id, format, language: lang as Language, paper: paper as Paper, generatedAt: new Date(now()).toISOString() }
    const room = (await deps.rooms?.loaded(id)) ?? null
    // EXP-9: requests for one version of the board (a loaded room's versionKey; not loaded: what
    // storage holds) in one format, language and paper, made while it is built, share the build
    const version = room ? room.versionKey : 'stored'
    const shareKey = version === undefined ? null : [id, version, format, lang, paper].join('\u0000')
    let made: { result: ExportResult | null; generatedAt: string }
    try {
      made = await jobs.run(shareKey, async () => {
        // EXP-6: what the room has taken in is on disk before the board is read
        if (room) await awaitRoomPersisted(room, deps.persistWaitMs)
        return { result: await build(job), generatedAt: job.generatedAt }
      })
    } catch (e) {
      if (e instanceof ExportBusy) throw new ExportHttpError(503, e.message, e.retryAfterS)
      if (e instanceof ExportUnavailable) throw new ExportHttpError(503, e.message)
      if (e instanceof ExportRenderError || e instanceof ExportFailed) {
        deps.log?.warn('export failed', { board: id, format, error: e.message })
        throw new ExportHttpError(500, e.message)
      }
      throw e
    }
    if (!made.result) throw new ExportHttpError(404, 'board not found')
    const { body, title } = made.result
    const generatedAt = made.generatedAt
    const names = downloadNames(title, id, generatedAt.slice(0, 10), format)
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[format],
      'content-length': body.length,
      'content-disposition': contentDisposition(names),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    res.end(body)
  }

  async function importBoard(req: IncomingMessage, res: ServerResponse, ctx: ExportRequestContext): Promise<void> {
    if (req.method !== 'POST') throw new ExportHttpError(405, 'use POST with a board backup (JSON) as the body')
    if (!ctx.mayCreate()) {
      throw new ExportHttpError(401, 'importing boards needs the create token: Authorization: Bearer <ARVO_CREATE_TOKEN>')
    }
    const body = await readBody(req, MAX_IMPORT_BYTES)
    if (body.length === 0) throw new ExportHttpError(400, 'the request has no body: send a board backup (the JSON of export.json)')
    let board
    try {
      board = readBackup(body)
    } catch (e) {
      if (e instanceof ImportError) throw new ExportHttpError(400, e.message)
      throw e
    }
    const id = ctx.newBoardId()
    const links = defaultLinks()
    await deps.storage.createBoard(id, importUpdate(board), links)
    const boardUrl = `${ctx.baseUrl}/b/${id}`
    const answer: CreateBoardResponse = { id, url: boardUrl, links: linkUrls(boardUrl, await deps.access.tokens(id, links)) }
    sendJson(res, 201, answer)
  }

  return {
    /**
     * Answers one export or import request. Its own refusals are sent here as `{ error }`;
     * the token gate's (and unexpected errors) are thrown on to `api.ts`.
     */
    async handle(req: IncomingMessage, res: ServerResponse, pathname: string, ctx: ExportRequestContext): Promise<void> {
      try {
        if (pathname === IMPORT_PATH) return await importBoard(req, res, ctx)
        const m = EXPORT_ROUTE.exec(pathname)
        if (!m) throw new ExportHttpError(404, `no API route ${pathname}`)
        return await exportBoard(req, res, ctx, m[1]!, m[2] as ExportFormat)
      } catch (e) {
        if (!(e instanceof ExportHttpError)) throw e
        // the rest of an oversized body is never read: the connection cannot carry another request
        if (e.status === 413) res.setHeader('connection', 'close')
        sendJson(res, e.status, { error: e.message }, e.retryAfterS ? { 'retry-after': e.retryAfterS } : {})
      }
    },
  }
}

export type ExportRoutes = ReturnType<typeof createExportRoutes>
