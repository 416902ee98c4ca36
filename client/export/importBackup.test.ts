import { describe, expect, it } from 'vitest'
import { importBackup } from '../home/importBackup.ts'

describe('EXP-C4 importing a board backup from the home page', () => {
  it('posts the file with the create token and answers the new board', async () => {
    const seen: { url: string; method?: string; auth: string | null; body: unknown }[] = []
    const created = { id: 'newBoard1', url: 'http://x/b/newBoard1', links: { facilitator: 'http://x/b/newBoard1#token=f', provider: '', customer: '', viewer: '' } }
    const ok: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), method: init?.method, auth: new Headers(init?.headers).get('authorization'), body: init?.body })
      return new Response(JSON.stringify(created), { status: 201 })
    }
    expect(await importBackup('{"format":"arvo-board"}', 'ct', ok)).toEqual({ ok: true, board: created })
    expect(seen).toEqual([{ url: '/api/boards/import', method: 'POST', auth: 'Bearer ct', body: '{"format":"arvo-board"}' }])
  })

  it('says what the server refused, asks for the token on 401, and survives a dead server', async () => {
    const refused: typeof fetch = async () => new Response('{"error":"not an Arvo board backup: no records"}', { status: 400 })
    expect(await importBackup('{}', null, refused)).toEqual({ ok: false, kind: 'refused', status: 400, error: 'not an Arvo board backup: no records' })
    const token: typeof fetch = async () => new Response('{"error":"create token required"}', { status: 401 })
    expect(await importBackup('{}', null, token)).toEqual({ ok: false, kind: 'token' })
    const html: typeof fetch = async () => new Response('<h1>502</h1>', { status: 502 })
    expect(await importBackup('{}', null, html)).toEqual({ ok: false, kind: 'refused', status: 502, error: null })
    const down: typeof fetch = async () => {
      throw new TypeError('Failed to fetch')
    }
    expect(await importBackup('{}', null, down)).toEqual({ ok: false, kind: 'network' })
    const garbage: typeof fetch = async () => new Response('{"nope":1}', { status: 201 })
    expect((await importBackup('{}', null, garbage)).ok).toBe(false)
  })
})
