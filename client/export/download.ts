/**
 * The server's export routes as the board menu calls them (issue 12): the PDF, CSV, Markdown
 * and JSON backup of one board, fetched with the board token in the `Authorization` header
 * (never in the query string: CLIENT pitfalls), saved under the file name the server gives in
 * `Content-Disposition`. Pure helpers (URL, file name, error text) are DOM-free for vitest; the
 * fetch and the save take their `fetch` / document as arguments.
 */
import { t, type Language } from '../../shared/i18n/index.ts'

/** What the menu can download from the server. */
export type ServerExportFormat = 'pdf' | 'csv' | 'md' | 'json'
export type Paper = 'a4' | 'letter'

/** The format's name as the messages show it ("Preparing the PDF…"). */
export function formatName(lang: Language, format: ServerExportFormat): string {
  const key = ({ pdf: 'exportFormatPdf', csv: 'exportFormatCsv', md: 'exportFormatMarkdown', json: 'exportFormatJson' } as const)[format]
  return t(lang, key)
}

/**
 * The route of one export: `/api/boards/<id>/export.<ext>`, with `lang` for the documents that
 * have words of their own (not the JSON backup, which is the board as stored) and `paper` for
 * the PDF.
 */
export function exportUrl(boardId: string, format: ServerExportFormat, opts: { lang: Language; paper?: Paper }): string {
  const q = new URLSearchParams()
  if (format !== 'json') q.set('lang', opts.lang)
  if (format === 'pdf') q.set('paper', opts.paper ?? 'a4')
  const query = q.toString()
  return `/api/boards/${encodeURIComponent(boardId)}/export.${format}${query ? `?${query}` : ''}`
}

/** Characters a file name must not carry (path separators, reserved on Windows, controls). */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g

/** A name safe to save under: no path parts, no reserved characters, not empty. */
export function safeFileName(name: string): string | null {
  const cleaned = name.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '')
  return cleaned === '' ? null : cleaned
}

/** Decodes an RFC 5987 `ext-value` (`UTF-8''na%C3%AFve.pdf`), or null when it is not one. */
function decodeExtValue(value: string): string | null {
  const m = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[A-Za-z0-9-]*'(.*)$/.exec(value)
  if (!m) return null
  const charset = m[1]!.toLowerCase()
  const encoded = m[2]!
  try {
    if (charset === 'utf-8') return decodeURIComponent(encoded)
    if (charset === 'iso-8859-1') return encoded.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
  } catch {
    return null
  }
  return null
}

/** The parameters of a header value such as `attachment; filename="a.pdf"` (names lower-cased). */
function headerParams(header: string): Map<string, string> {
  const params = new Map<string, string>()
  // name = token | quoted-string (with backslash escapes)
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g
  for (let m = re.exec(header); m; m = re.exec(header)) {
    const name = m[1]!.toLowerCase()
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim()
    if (!params.has(name)) params.set(name, value)
  }
  return params
}

/**
 * The file name a `Content-Disposition` header asks for: `filename*` (RFC 5987/6266, e.g.
 * non-ASCII titles) wins over `filename`; the result is made safe to save (no path).
 *
 * @returns null when the header names no usable file.
 */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null
  const params = headerParams(`;${header.replace(/^[^;]*/, '')}`)
  const ext = params.get('filename*')
  const decoded = ext !== undefined ? decodeExtValue(ext) : null
  const raw = decoded ?? params.get('filename') ?? null
  if (raw === null) return null
  // Only the last path segment: a server never gets to choose the folder.
  const base = raw.split(/[\\/]/).pop() ?? ''
  return safeFileName(base)
}

/** A file name when the server gave none: `Arvo <board>.<ext>`. */
export function fallbackFileName(boardId: string, format: ServerExportFormat): string {
  return `Arvo ${boardId}.${format}`
}

/** Why an export failed, as the download learned it. */
export type ExportFailure =
  | { kind: 'network' }
  | { kind: 'http'; status: number; error: string | null }
  | { kind: 'empty' }

/** Reads the `{ error }` of a failed answer's body text (JSON), or null. */
export function serverError(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as unknown
    if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') {
      const e = (parsed as { error: string }).error.trim()
      return e === '' ? null : e.slice(0, 500)
    }
  } catch {
    // not JSON (a proxy's HTML page…): the status says it
  }
  return null
}

/** The message a failure shows, in the viewer's language: the server's reason when it gave one. */
export function failureMessage(lang: Language, format: ServerExportFormat, failure: ExportFailure): string {
  const what = formatName(lang, format)
  switch (failure.kind) {
    case 'network':
      return t(lang, 'exportUnreachable', { format: what })
    case 'empty':
      return t(lang, 'exportEmptyAnswer', { format: what })
    case 'http':
      if (failure.error) return t(lang, 'exportFailedBecause', { format: what, reason: failure.error })
      if (failure.status === 401 || failure.status === 403) return t(lang, 'exportNoAccess', { format: what })
      if (failure.status === 404) return t(lang, 'exportNotFound', { format: what })
      return t(lang, 'exportFailedStatus', { format: what, status: String(failure.status) })
  }
}

/** The outcome of one download. */
export type DownloadOutcome = { ok: true; blob: Blob; fileName: string } | { ok: false; failure: ExportFailure }

/**
 * Fetches one export with the board token. Never throws: a network error, an error status
 * (with the server's `{ error }`) or an empty body come back as a failure.
 */
export async function fetchExport(
  request: { boardId: string; token: string; format: ServerExportFormat; lang: Language; paper?: Paper },
  doFetch: typeof fetch = fetch,
): Promise<DownloadOutcome> {
  let res: Response
  try {
    res = await doFetch(exportUrl(request.boardId, request.format, request), { headers: { authorization: `Bearer ${request.token}` } })
  } catch {
    return { ok: false, failure: { kind: 'network' } }
  }
  if (!res.ok) {
    const body = await res.text().catch(() => '')
    return { ok: false, failure: { kind: 'http', status: res.status, error: serverError(body) } }
  }
  let blob: Blob
  try {
    blob = await res.blob()
  } catch {
    return { ok: false, failure: { kind: 'network' } }
  }
  if (blob.size === 0) return { ok: false, failure: { kind: 'empty' } }
  const fileName = fileNameFromDisposition(res.headers.get('content-disposition')) ?? fallbackFileName(request.boardId, request.format)
  return { ok: true, blob, fileName }
}

/** Saves a blob as a download named `fileName` (a temporary link; the object URL is released after). */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob)
  const a = doc.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  doc.body.appendChild(a)
  a.click()
  a.remove()
  // Chromium reads the blob when the click is handled; a minute is plenty for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
