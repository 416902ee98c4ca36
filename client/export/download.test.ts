import { describe, expect, it } from 'vitest'
import {
  exportUrl,
  failureMessage,
  fetchExport,
  fileNameFromDisposition,
  safeFileName,
  serverError,
} from './download.ts'

describe('EXP-C1 export routes and file names', () => {
  it('builds the routes with the viewer’s language and paper, never a token', () => {
    expect(exportUrl('abc', 'pdf', { lang: 'fi', paper: 'letter' })).toBe('/api/boards/abc/export.pdf?lang=fi&paper=letter')
    expect(exportUrl('abc', 'pdf', { lang: 'en' })).toBe('/api/boards/abc/export.pdf?lang=en&paper=a4')
    expect(exportUrl('abc', 'csv', { lang: 'ru' })).toBe('/api/boards/abc/export.csv?lang=ru')
    expect(exportUrl('abc', 'md', { lang: 'et' })).toBe('/api/boards/abc/export.md?lang=et')
    expect(exportUrl('a b', 'json', { lang: 'et' })).toBe('/api/boards/a%20b/export.json')
  })

  it('reads filename and prefers RFC 5987 filename* (non-ASCII titles)', () => {
    expect(fileNameFromDisposition('attachment; filename="Arvo board-2026-03-01.pdf"')).toBe('Arvo board-2026-03-01.pdf')
    expect(fileNameFromDisposition('attachment; filename=plain.csv')).toBe('plain.csv')
    expect(
      fileNameFromDisposition(`attachment; filename="Tyopaja-2026-03-01.pdf"; filename*=UTF-8''Ty%C3%B6paja%20%E2%80%93%20%D0%9E%D1%82%D1%87%D1%91%D1%82-2026-03-01.pdf`),
    ).toBe('Työpaja – Отчёт-2026-03-01.pdf')
    // filename* first in the header works the same
    expect(fileNameFromDisposition(`attachment; filename*=utf-8'fi'S%C3%A4%C3%A4st%C3%B6.md; filename="Saasto.md"`)).toBe('Säästö.md')
    expect(fileNameFromDisposition(`attachment; filename*=iso-8859-1''caf%E9.csv`)).toBe('café.csv')
    // quoted-string escapes
    expect(fileNameFromDisposition('attachment; filename="say \\"hi\\".md"')).toBe('say hi .md')
    // case-insensitive parameter names
    expect(fileNameFromDisposition('Attachment; FILENAME="x.json"')).toBe('x.json')
  })

  it('falls back to filename when filename* is broken, and never keeps a path', () => {
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%E2%80; filename="ok.pdf"`)).toBe('ok.pdf')
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd')
    expect(fileNameFromDisposition('attachment; filename="C:\\\\Users\\\\x.pdf"')).toBe('x.pdf')
    expect(fileNameFromDisposition('attachment; filename="..."')).toBeNull()
    expect(fileNameFromDisposition('attachment')).toBeNull()
    expect(fileNameFromDisposition(null)).toBeNull()
    expect(safeFileName('a:b*c?.pdf')).toBe('a b c .pdf')
  })
})

describe('EXP-C2 a failed export says why', () => {
  it('takes the server’s { error }, ignores other bodies', () => {
    expect(serverError('{"error":"the board is empty"}')).toBe('the board is empty')
    expect(serverError('<html>Bad gateway</html>')).toBeNull()
    expect(serverError('{"error":""}')).toBeNull()
    expect(serverError('{"message":"x"}')).toBeNull()
  })

  it('maps failures to messages in the viewer’s language', () => {
    expect(failureMessage('en', 'pdf', { kind: 'http', status: 500, error: 'the renderer crashed' })).toBe(
      'PDF report could not be downloaded: the renderer crashed',
    )
    expect(failureMessage('fi', 'csv', { kind: 'network' })).toBe(
      'CSV-tiedosto – lataus epäonnistui: palvelimeen ei saatu yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen.',
    )
    expect(failureMessage('en', 'md', { kind: 'http', status: 403, error: null })).toContain('no longer opens the board')
    expect(failureMessage('ru', 'json', { kind: 'http', status: 404, error: null })).toContain('Резервная копия доски')
    expect(failureMessage('et', 'pdf', { kind: 'http', status: 502, error: null })).toContain('502')
    expect(failureMessage('en', 'pdf', { kind: 'empty' })).toContain('empty file')
  })

  it('fetches with the bearer token and answers the file name, or the failure', async () => {
    const calls: { url: string; auth: string | null }[] = []
    const ok: typeof fetch = async (url, init) => {
      calls.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') })
      return new Response(new Uint8Array([37, 80, 68, 70]), {
        status: 200,
        headers: { 'content-disposition': `attachment; filename="x.pdf"; filename*=UTF-8''%C3%A4.pdf` },
      })
    }
    const got = await fetchExport({ boardId: 'b1', token: 'tok', format: 'pdf', lang: 'fi', paper: 'a4' }, ok)
    expect(got.ok && got.fileName).toBe('ä.pdf')
    expect(got.ok && got.blob.size).toBe(4)
    expect(calls).toEqual([{ url: '/api/boards/b1/export.pdf?lang=fi&paper=a4', auth: 'Bearer tok' }])

    const noName: typeof fetch = async () => new Response('a,b\n', { status: 200 })
    const unnamed = await fetchExport({ boardId: 'b1', token: 't', format: 'csv', lang: 'en' }, noName)
    expect(unnamed.ok && unnamed.fileName).toBe('Arvo b1.csv')

    const refused: typeof fetch = async () => new Response('{"error":"unknown paper size"}', { status: 400 })
    expect(await fetchExport({ boardId: 'b1', token: 't', format: 'pdf', lang: 'en' }, refused)).toEqual({
      ok: false,
      failure: { kind: 'http', status: 400, error: 'unknown paper size' },
    })

    const down: typeof fetch = async () => {
      throw new TypeError('Failed to fetch')
    }
    expect(await fetchExport({ boardId: 'b1', token: 't', format: 'pdf', lang: 'en' }, down)).toEqual({ ok: false, failure: { kind: 'network' } })

    const empty: typeof fetch = async () => new Response('', { status: 200 })
    expect(await fetchExport({ boardId: 'b1', token: 't', format: 'md', lang: 'en' }, empty)).toEqual({ ok: false, failure: { kind: 'empty' } })
  })
})
