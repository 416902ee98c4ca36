/**
 * Adversarial review of the exports (issue 12): hand-made HTTP requests, crafted backup files
 * and crafted stored records against a started server. The server must never crash, never
 * corrupt a stored board, never leak another board's data, and always answer with a clear error.
 * Every hole found is fixed; its test stays as a regression.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildNote, indexKeysAbove, maxPageIndex } from '../../shared/domain/index.ts'
import type { CreateBoardResponse } from '../../shared/protocol.ts'
import { DocLayout } from '../../shared/protocol.ts'
import { signToken } from '../auth/tokens.ts'
import { defaultLinks } from '../storage/types.ts'
import { spawnServer } from '../test/processes.ts'
import { startTestServer, TEST_SECRET, testToken, tokenOfLink, type TestServer } from '../test/fixtures.ts'
import { csvCell } from './csv.ts'
import { PEOPLE, seededBoard } from './test/seededBoard.ts'
import { boardCount, got } from './test/http.ts'

const ID = 'SeedBoard01'
const OTHER = 'OtherBoard1'
const seeded = seededBoard()

/** Sends raw bytes on a TCP socket; resolves with everything the server answered (or 'reset'). */
function rawHttp(port: number, data: string | Buffer, opts: { endAfter?: boolean; waitMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1')
    let out = ''
    const timer = setTimeout(() => (sock.destroy(), resolve(out)), opts.waitMs ?? 3000)
    sock.on('data', (d) => (out += d.toString('latin1')))
    sock.on('error', () => (clearTimeout(timer), resolve(out || 'reset')))
    sock.on('close', () => (clearTimeout(timer), resolve(out)))
    sock.write(data)
    if (opts.endAfter) sock.end()
  })
}

/** A board update: the seeded board plus `extra` records set directly (no validation: as stored). */
function boardWith(extra: (records: Y.Map<unknown>, indices: string[]) => void, session: Record<string, unknown> = {}): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, seeded.update)
  const records = doc.getMap<unknown>(DocLayout.records)
  const indices = indexKeysAbove(maxPageIndex([...records.values()]), 50)
  doc.transact(() => {
    extra(records, indices)
    const s = doc.getMap<unknown>(DocLayout.session)
    for (const [k, v] of Object.entries(session)) s.set(k, v)
  })
  return Y.encodeStateAsUpdate(doc)
}

function note(id: string, index: string, text: string, author = PEOPLE.anna, x = 6000, y = 6000) {
  return buildNote({ id: `shape:${id}`, x, y, index: index as never, text, author })
}

describe('adversarial: export routes', () => {
  let t: TestServer
  let seededBackup: Record<string, unknown> & { records: Record<string, unknown>[]; session: Record<string, unknown> }
  const get = async (path: string, token: string | null = testToken(ID, 'viewer'), init: RequestInit = {}) =>
    got(await fetch(`${t.server.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } }))
  const importFile = async (body: string, headers: Record<string, string> = {}) =>
    got(await fetch(`${t.server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }))
  const healthy = async () => expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)

  beforeAll(async () => {
    t = await startTestServer({ ARVO_SECRET: TEST_SECRET })
    await t.server.storage.createBoard(ID, seeded.update)
    await t.server.storage.createBoard(
      OTHER,
      boardWith((records, ix) => records.set('shape:secret', note('secret', ix[0]!, 'OTHER BOARD SECRET TEXT'))),
    )
    seededBackup = (await get(`/api/boards/${ID}/export.json`)).json() as typeof seededBackup
  })
  afterAll(async () => {
    await t.stop()
  })

  it('tokens: another board\'s token, a token for a different secret, the create token as a board token — all 401; nothing of the other board leaks', async () => {
    for (const token of [testToken(OTHER, 'facilitator'), testToken(ID, 'facilitator', 'x'.repeat(40)), `${testToken(ID, 'viewer')}x`, 'Bearer', '']) {
      const r = await get(`/api/boards/${ID}/export.json`, token)
      expect(r.status, token).toBe(401)
      expect(r.text).not.toContain('OTHER BOARD SECRET TEXT')
    }
    // a token of OTHER opens OTHER only, never ID's notes
    const o = await get(`/api/boards/${OTHER}/export.md`, testToken(OTHER, 'viewer'))
    expect(o.status).toBe(200)
    expect(o.text).toContain('OTHER BOARD SECRET TEXT')
    const mine = await get(`/api/boards/${ID}/export.md`)
    expect(mine.text).not.toContain('OTHER BOARD SECRET TEXT')
  })

  it('query tricks: ?lang=__proto__ / constructor / "en " / repeated, ?paper=A4 / "a4 " / toString → 400 with a clear message', async () => {
    for (const q of ['lang=__proto__', 'lang=constructor', 'lang=toString', 'lang=en%20', 'lang=EN', 'lang=', 'lang=en%00']) {
      const r = await get(`/api/boards/${ID}/export.md?${q}`)
      expect(r.status, q).toBe(400)
      expect(r.json().error, q).toMatch(/^lang must be one of/)
    }
    for (const q of ['paper=A4', 'paper=a4%20', 'paper=toString', 'paper=__proto__', 'paper=']) {
      const r = await get(`/api/boards/${ID}/export.pdf?${q}`)
      expect(r.status, q).toBe(400)
      expect(r.json().error, q).toMatch(/^paper must be one of/)
    }
    // the first value of a repeated parameter counts, as URLSearchParams.get reads it
    expect((await get(`/api/boards/${ID}/export.csv?lang=fi&lang=__proto__`)).status).toBe(200)
  })

  it('path tricks: dot segments, encoded slashes, trailing slash, upper-case extension, double extension → never another board, never a 500', async () => {
    const paths = [
      `/api/boards/${ID}/../${OTHER}/export.md`,
      `/api/boards/${ID}%2F..%2F${OTHER}/export.md`,
      `/api/boards/${OTHER}%2F/export.md`,
      `/api/boards/${ID}/export.md/`,
      `/api/boards/${ID}/export.MD`,
      `/api/boards/${ID}/export.md.json`,
      `/api/boards/${ID}/export.md%00`,
      `/api/boards/${ID}/export%2Emd`,
      `/api/boards/import/export.md`,
      `/api/boards/%2e%2e/export.md`,
    ]
    for (const p of paths) {
      const r = await get(p)
      expect(r.status, p).toBeGreaterThanOrEqual(400)
      expect(r.status, p).toBeLessThan(500)
      expect(r.text, p).not.toContain('OTHER BOARD SECRET TEXT')
    }
    // fetch normalises "..": the raw request line must not either
    const raw = await rawHttp(t.server.port, `GET /api/boards/${ID}/../${OTHER}/export.md HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${testToken(ID, 'viewer')}\r\nConnection: close\r\n\r\n`)
    expect(raw).toMatch(/^HTTP\/1\.1 4\d\d/)
    expect(raw).not.toContain('OTHER BOARD SECRET TEXT')
  })

  it('HEAD and OPTIONS on an export: 405 with a JSON error, no attachment', async () => {
    for (const method of ['HEAD', 'OPTIONS', 'PATCH']) {
      const r = await get(`/api/boards/${ID}/export.pdf`, undefined, { method })
      expect(r.status, method).toBe(405)
      expect(r.headers.get('content-disposition'), method).toBeNull()
    }
  })

  it('an expired link token and a reset link (next generation) are refused 401', async () => {
    const created = (await (await fetch(`${t.server.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as CreateBoardResponse
    const viewer = tokenOfLink(created.links.viewer)
    const fac = tokenOfLink(created.links.facilitator)
    expect((await get(`/api/boards/${created.id}/export.csv`, viewer)).status).toBe(200)
    const reset = await fetch(`${t.server.url}/api/boards/${created.id}/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fac}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rotate: ['viewer'] }),
    })
    expect(reset.status, await reset.clone().text()).toBeLessThan(300)
    const r = await get(`/api/boards/${created.id}/export.csv`, viewer)
    expect(r.status).toBe(401)
    // a link that expired a second ago, token signed with that expiry
    const links = defaultLinks()
    const past = Date.now() - 1000
    links.viewer.expiresAt = past
    await t.server.storage.createBoard('Expired0001', seeded.update, links)
    const expired = await get('/api/boards/Expired0001/export.json', signToken(TEST_SECRET, 'Expired0001', 'viewer', 0, past))
    expect(expired.status).toBe(401)
  })

  it('Content-Disposition from hostile titles: quotes, backslashes, %, ;, RTL override, zero-width, full length — one header line, no injection', async () => {
    const titles = [
      'a"; filename="evil.exe',
      '100% off; filename=x.exe',
      'Invoice\u202Efdp.exe',
      'Zero\u200Bwidth\uFEFFbom',
      'Ä'.repeat(120),
      'x'.repeat(120),
      '=HYPERLINK("http://evil")',
    ]
    let i = 0
    for (const title of titles) {
      const id = `TitleBoard${i++}`
      await t.server.storage.createBoard(id, boardWith(() => {}, { title }))
      const r = await get(`/api/boards/${id}/export.csv`, testToken(id, 'viewer'))
      expect(r.status, title).toBe(200)
      const cd = r.headers.get('content-disposition')!
      expect(cd, title).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+$/)
      expect(cd).not.toMatch(/[\r\n]/)
      const ascii = /filename="([^"]*)"/.exec(cd)![1]!
      expect(ascii, title).not.toMatch(/[/\\]|^\./)
      expect(ascii.endsWith('.csv')).toBe(true)
      const utf8 = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(cd)![1]!)
      expect(utf8.endsWith('.csv'), title).toBe(true)
      expect(utf8, title).not.toMatch(/[/\\"]/)
    }
  })

  it('the title names the file without bidi controls (U+202E makes "…\u202Efdp.exe" read as an .exe)', async () => {
    await t.server.storage.createBoard('BidiTitle01', boardWith(() => {}, { title: 'Invoice\u202Efdp.exe' }))
    const r = await get('/api/boards/BidiTitle01/export.pdf', testToken('BidiTitle01', 'viewer'))
    const utf8 = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(r.headers.get('content-disposition')!)![1]!)
    expect(utf8).not.toMatch(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
  })

  it('a title "../../etc/passwd" (or "..\\..\\x") names a file without a leading dot (no hidden file)', async () => {
    await t.server.storage.createBoard('DotsTitle01', boardWith(() => {}, { title: '../../etc/passwd' }))
    const r = await get('/api/boards/DotsTitle01/export.csv', testToken('DotsTitle01', 'viewer'))
    const cd = r.headers.get('content-disposition')!
    expect(/filename="([^"]*)"/.exec(cd)![1]).not.toMatch(/^[.\s]/)
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(cd)![1]!)).not.toMatch(/^[.\s]/)
  })

  it('a 120-character title with an emoji across character 100 still downloads (the name is cut between characters, not inside a surrogate pair)', async () => {
    const title = `${'a'.repeat(99)}😀 workshop`
    await t.server.storage.createBoard('EmojiTitle1', boardWith(() => {}, { title }))
    const r = await get('/api/boards/EmojiTitle1/export.md', testToken('EmojiTitle1', 'viewer'))
    expect(r.status, r.text).toBe(200)
  })

  it('CSV formula injection in every cell: text, author, owner, zone-less notes; leading space/tab/full-width ＝/DDE', async () => {
    const evil = ['=1+1', '+SUM(A1)', '-2+3', '@SUM(A1)', '\t=1', '\r=1', ' =1', '\u00a0=1', '＝1+1', '=cmd|\' /C calc\'!A0', '|calc', '%0A=1']
    const id = 'CsvInject01'
    await t.server.storage.createBoard(
      id,
      boardWith((records, ix) => {
        evil.forEach((text, i) => {
          const n = note(`inj${i}`, ix[i]!, text, { authorId: `p-evil${i}`, authorName: evil[(i + 1) % evil.length]!, side: 'customer' }, 6000 + i * 250)
          const meta = n.meta as Record<string, unknown>
          meta.owner = evil[(i + 2) % evil.length]
          records.set(n.id, n)
        })
      }),
    )
    const r = await get(`/api/boards/${id}/export.csv`, testToken(id, 'viewer'))
    expect(r.status).toBe(200)
    for (const cell of ['＝1+1', ' =1', '\u3000@SUM(A1)', '\n=1']) expect(csvCell(cell), JSON.stringify(cell)).toMatch(/^"?'/)
    const rows = parseCsv(r.text.slice(1))
    for (const row of rows.slice(1)) {
      for (const cell of row) {
        // a spreadsheet trims leading white space (and reads full-width ＝ as =) before it looks for a formula
        const lead = cell.replace(/^[\s\u00a0\u3000]+/, '')
        expect(lead, JSON.stringify(row)).not.toMatch(/^[=+\-@＝＋－＠\t\r]/)
      }
    }
  })

  it('Markdown injection: HTML, </details>, javascript: links, table pipes, headings, backticks, images in notes and names stay text', async () => {
    const evil = [
      '<script>alert(1)</script>',
      '</details><img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '![x](http://evil/track.png)',
      'a | b | c',
      '# Heading\n## two\n| x |',
      '```\ncode\n```',
      '<https://evil.example>',
      'http://evil.example/autolink',
      '&lt;script&gt;',
      '*bold* _it_ ~~s~~',
      '1. list\n- item\n> quote',
    ]
    const id = 'MdInject001'
    await t.server.storage.createBoard(
      id,
      boardWith((records, ix) => {
        evil.forEach((text, i) => records.set(`shape:md${i}`, note(`md${i}`, ix[i]!, text, { authorId: `p-md${i}`, authorName: evil[(i + 3) % evil.length]!, side: 'provider' }, 6000 + i * 250)))
      }),
    )
    const r = await get(`/api/boards/${id}/export.md`, testToken(id, 'viewer'))
    expect(r.status).toBe(200)
    // no raw HTML tag, no link/image syntax, no fence from a note
    expect(r.text).not.toMatch(/(?<!\\)<(?!br>)[a-z/!]/i)
    expect(r.text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/)
    expect(r.text).not.toMatch(/(?<!\\)\]\(javascript:/)
    expect(r.text).not.toContain('```')
    expect(r.text).not.toMatch(/(?<!\\)&lt;/)
    // every line that starts with # is one of ours (## / ### headings), none from a note
    for (const line of r.text.split('\n')) if (line.startsWith('#')) expect(line).not.toMatch(/Heading|two/)
    // table rows keep their column count
    const tables = r.text.split('\n').filter((l) => l.startsWith('| '))
    for (const l of tables) expect(l.replace(/\\\|/g, '').split('|').length, l).toBeGreaterThan(2)
  })

  it('export.json of a board with an open vote: no ballots anywhere, the open vote progress only as the session has it', async () => {
    const id = 'OpenVote001'
    await t.server.storage.createBoard(
      id,
      boardWith(() => {}, {
        vote: { id: 'v-open', status: 'open', dots: 3, onePerNote: true, templates: null, endsAt: null },
        voteProgress: { voteId: 'v-open', voters: 2 },
      }),
    )
    const r = await get(`/api/boards/${id}/export.json`, testToken(id, 'viewer'))
    expect(r.status).toBe(200)
    expect(r.text).not.toMatch(/ballot/i)
    // the report formats show no result for an open vote
    const md = await get(`/api/boards/${id}/export.md`, testToken(id, 'viewer'))
    expect(md.text).not.toContain('v-open')
    // and an import of it drops the open vote and its progress
    const imp = await importFile(r.text)
    expect(imp.status).toBe(201)
    const copy = (await get(`/api/boards/${imp.json().id as string}/export.json`, tokenOfLink((imp.json().links as Record<string, string>).viewer!))).json()
    const session = copy.session as Record<string, unknown>
    expect(session.voteProgress).toBeUndefined()
    expect((session.vote as { status?: string } | undefined)?.status).not.toBe('open')
  })

  it('PDF of a note with one 20,000-character word answers within seconds and the server stays responsive meanwhile', { timeout: 120_000 }, async () => {
    const id = 'LongWord001'
    await t.server.storage.createBoard(id, boardWith((records, ix) => records.set('shape:lw', note('lw', ix[0]!, 'x'.repeat(20_000)))))
    const started = performance.now()
    const pdf = get(`/api/boards/${id}/export.pdf`, testToken(id, 'viewer'))
    await new Promise((r) => setTimeout(r, 200))
    const h0 = performance.now()
    await healthy()
    const healthMs = performance.now() - h0
    const r = await pdf
    const ms = performance.now() - started
    expect(r.status, r.text.slice(0, 200)).toBe(200)
    expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(ms, 'PDF time').toBeLessThan(8000)
    expect(healthMs, 'health answered while the PDF rendered').toBeLessThan(8000)
  })

  it('PDF of notes with 1 MB of text, 10,000 lines, a 10,000-character author name: answers within seconds', { timeout: 120_000 }, async () => {
    const id = 'HugeTexts01'
    await t.server.storage.createBoard(
      id,
      boardWith((records, ix) => {
        records.set('shape:mb', note('mb', ix[0]!, 'word '.repeat(200_000)))
        records.set('shape:lines', note('lines', ix[1]!, 'a\n'.repeat(10_000), PEOPLE.anna, 6300))
        records.set('shape:name', note('name', ix[2]!, 'hi', { authorId: 'p-long', authorName: 'N'.repeat(10_000), side: 'customer' }, 6600))
      }),
    )
    const started = performance.now()
    const r = await get(`/api/boards/${id}/export.pdf`, testToken(id, 'viewer'))
    expect(r.status, r.text.slice(0, 200)).toBe(200)
    expect(performance.now() - started, 'PDF time').toBeLessThan(8000)
    await healthy()
  })

  it('PDF of crafted records: geo w=1e308, NaN-ish strings, draw with 200k points, self-parented and cyclic shapes, 1000-deep richText, __proto__ meta — 200, server alive', { timeout: 120_000 }, async () => {
    const id = 'OddShapes01'
    const base = (sid: string, type: string, index: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      id: `shape:${sid}`, typeName: 'shape', type, x: 0, y: 0, rotation: 0, index, parentId: 'page:page', isLocked: false, opacity: 1, meta: {}, props, ...extra,
    })
    // as deep as Yjs can still store (a client's update cannot hold more either)
    let deep: Record<string, unknown> = { type: 'text', text: 'deep' }
    for (let i = 0; i < 1000; i++) deep = { type: 'paragraph', content: [deep] }
    await t.server.storage.createBoard(
      id,
      boardWith((records, ix) => {
        records.set('shape:huge', base('huge', 'geo', ix[0]!, { geo: 'rectangle', w: 1e308, h: 1e308, richText: { type: 'doc', content: [] } }))
        records.set('shape:nan', base('nan', 'geo', ix[1]!, { geo: 'ellipse', w: 'NaN', h: '1e999', scale: -1 }, { x: 'Infinity', rotation: 'NaN' }))
        const pts = Array.from({ length: 200_000 }, (_, i) => ({ x: i % 500, y: (i * 7) % 500, z: 0.5 }))
        records.set('shape:draw', base('draw', 'draw', ix[2]!, { segments: [{ type: 'free', points: pts }], color: 'black', size: 'm', scale: 1 }))
        records.set('shape:self', base('self', 'geo', ix[3]!, { geo: 'rectangle', w: 10, h: 10 }, { parentId: 'shape:self' }))
        records.set('shape:c1', base('c1', 'geo', ix[4]!, { geo: 'rectangle', w: 10, h: 10 }, { parentId: 'shape:c2' }))
        records.set('shape:c2', base('c2', 'geo', ix[5]!, { geo: 'rectangle', w: 10, h: 10 }, { parentId: 'shape:c1' }))
        records.set('shape:deep', base('deep', 'text', ix[6]!, { w: 200, richText: { type: 'doc', content: [deep] } }))
        records.set('shape:proto', { ...base('proto', 'note', ix[7]!, { richText: { type: 'doc', content: [] } }), meta: JSON.parse('{"__proto__":{"polluted":1},"arvo":{"kind":"note","side":"constructor"}}') })
        records.set('shape:nullprops', base('nullprops', 'note', ix[8]!, null as never))
        records.set('shape:arr', [1, 2, 3] as never)
      }),
    )
    const r = await get(`/api/boards/${id}/export.pdf`, testToken(id, 'viewer'))
    expect(r.status, r.text.slice(0, 300)).toBe(200)
    for (const ext of ['csv', 'md', 'json']) expect((await get(`/api/boards/${id}/export.${ext}`, testToken(id, 'viewer'))).status, ext).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    await healthy()
  })

  it('PDF of images that attack pdfkit: a PNG decompression bomb, short pixel data, a huge IHDR, a palette PNG without palette — 200, bounded memory, server alive', { timeout: 120_000 }, async () => {
    const id = 'PngAttack01'
    const { crc32, deflateSync } = await import('node:zlib')
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4)
      len.writeUInt32BE(data.length)
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
      const crc = Buffer.alloc(4)
      crc.writeUInt32BE(crc32(body) >>> 0)
      return Buffer.concat([len, body, crc])
    }
    const png = (w: number, h: number, colorType: number, raw: Buffer, extra: Buffer[] = []) => {
      const ihdr = Buffer.alloc(13)
      ihdr.writeUInt32BE(w, 0)
      ihdr.writeUInt32BE(h, 4)
      ihdr.set([8, colorType, 0, 0, 0], 8)
      const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...extra, chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
      return `data:image/png;base64,${bytes.toString('base64')}`
    }
    const images: Record<string, string> = {
      // 20000 × 20000 RGBA claimed, ~1.6 GB of zeros inflated from ~1.5 MB
      bomb: png(20_000, 20_000, 6, Buffer.alloc(1_600_000_000 / 1000)),
      short: png(1000, 1000, 6, Buffer.alloc(100)),
      nopalette: png(10, 10, 3, Buffer.alloc(110)),
      grayAlphaShort: png(500, 500, 4, Buffer.alloc(10)),
    }
    // the "bomb" above is only as big as allowed in memory here: make the real one by hand
    const bombRaw = deflateSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 })
    const ihdr = Buffer.alloc(13)
    ihdr.writeUInt32BE(8000, 0)
    ihdr.writeUInt32BE(6500, 4)
    ihdr.set([8, 6, 0, 0, 0], 8)
    images.bomb = `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', bombRaw), chunk('IEND', Buffer.alloc(0))]).toString('base64')}`
    await t.server.storage.createBoard(
      id,
      boardWith((records, ix) => {
        Object.entries(images).forEach(([name, src], i) => {
          records.set(`asset:${name}`, { id: `asset:${name}`, typeName: 'asset', type: 'image', meta: {}, props: { name, src, w: 100, h: 100, mimeType: 'image/png', isAnimated: false } })
          records.set(`shape:img-${name}`, {
            id: `shape:img-${name}`, typeName: 'shape', type: 'image', x: 6000 + i * 300, y: 6000, rotation: 0, index: ix[i]!, parentId: 'page:page', isLocked: false, opacity: 1, meta: {},
            props: { w: 200, h: 200, assetId: `asset:${name}`, playing: true, url: '', crop: null, flipX: false, flipY: false, altText: '' },
          })
        })
      }),
    )
    const rss0 = process.memoryUsage().rss
    const r = await get(`/api/boards/${id}/export.pdf`, testToken(id, 'viewer'))
    const grew = process.memoryUsage().rss - rss0
    expect(r.status, r.text.slice(0, 300)).toBe(200)
    expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(grew, 'memory the render took').toBeLessThan(600 * 1024 * 1024)
    await healthy()
  })
})

describe('adversarial: import', () => {
  let t: TestServer
  let backup: Record<string, unknown> & { records: Record<string, unknown>[]; session: Record<string, unknown> }
  let backupText: string
  const importFile = async (body: string | Buffer | Uint8Array, headers: Record<string, string> = {}) =>
    got(await fetch(`${t.server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body as BodyInit }))
  const exportOf = async (answer: Record<string, unknown>, ext = 'json') =>
    got(await fetch(`${t.server.url}/api/boards/${answer.id as string}/export.${ext}`, { headers: { authorization: `Bearer ${tokenOfLink((answer.links as Record<string, string>).viewer!)}` } }))
  const withRecords = (records: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ ...backup, records, ...extra })
  const noteAt = () => backup.records.findIndex((r) => r.type === 'note')
  const refused = async (what: string, body: string | Buffer, message: RegExp) => {
    const count = boardCount(t.dataDir)
    const r = await importFile(body)
    expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(400)
    expect(r.json().error, what).toMatch(message)
    expect(boardCount(t.dataDir), what).toBe(count)
  }

  beforeAll(async () => {
    t = await startTestServer({ ARVO_SECRET: TEST_SECRET })
    await t.server.storage.createBoard(ID, seeded.update)
    backupText = await (await fetch(`${t.server.url}/api/boards/${ID}/export.json`, { headers: { authorization: `Bearer ${testToken(ID, 'viewer')}` } })).text()
    backup = JSON.parse(backupText) as typeof backup
  })
  afterAll(async () => {
    await t.stop()
  })

  it('prototype keys: __proto__ / constructor in the file, session, records, meta — refused or kept as plain data; nothing polluted', async () => {
    await refused('__proto__ session key', backupText.replace('"session": {', '"session": {\n  "__proto__": {"title": "polluted"},'), /session\.__proto__ is not a session key/)
    await refused('constructor session key', JSON.stringify({ ...backup, session: { constructor: 1 } }), /session\.constructor is not a session key/)
    await refused('toString session key', JSON.stringify({ ...backup, session: { toString: 'x' } }), /session\.toString is not a session key/)
    await refused('hasOwnProperty', JSON.stringify({ ...backup, session: { hasOwnProperty: true } }), /not a session key/)
    // a record whose id is __proto__
    await refused('record id __proto__', withRecords([...backup.records, { id: '__proto__', typeName: 'shape' }]), /record \d+ \(__proto__\)/)
    // a file whose top-level __proto__ tries to supply format and version
    await refused('format via __proto__', JSON.stringify({ ...backup, format: undefined, version: undefined }).replace('{', '{"__proto__":{"format":"arvo-board","version":1},'), /format is undefined/)
    // __proto__ inside a note's meta is data: the import keeps the note, no object is polluted
    const recs = structuredClone(backup.records)
    const n = recs[noteAt()]!
    const withProto = JSON.stringify({ ...backup, records: recs }).replace(`"id": "${n.id as string}"`, `"id": "${n.id as string}", "__proto__": {"isLocked": true}`)
    const r = await importFile(withProto)
    expect([201, 400], r.text).toContain(r.status)
    expect(({} as Record<string, unknown>).isLocked).toBeUndefined()
    expect(({} as Record<string, unknown>).title).toBeUndefined()
  })

  it('records whose id differs from the key of another record, or whose typeName is not a document type', async () => {
    const recs = structuredClone(backup.records)
    await refused('instance record', withRecords([...recs, { id: 'instance', typeName: 'instance' }]), /typeName "instance" is not a document record type/)
    await refused('camera', withRecords([...recs, { id: 'camera:page:page', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }]), /not a document record type/)
    await refused('pointer', withRecords([...recs, { id: 'pointer:pointer', typeName: 'pointer', x: 0, y: 0, lastActivityTimestamp: 0, meta: {} }]), /not a document record type/)
    const note = structuredClone(recs[noteAt()]!)
    note.id = 'page:page'
    await refused('a note with a page id', withRecords([...recs.filter((r) => r.id !== 'page:page'), note]), /page:page/)
    await refused('a shape id without prefix', withRecords([...recs, { ...structuredClone(recs[noteAt()]!), id: 'nope' }]), /record \d+ \(nope\)/)
  })

  it('numbers: 1e308, -0, huge exponents, "NaN" strings in shape props are refused by tldraw, never stored', async () => {
    for (const [what, patch] of [
      ['x "NaN"', { x: 'NaN' }],
      ['x 1e999 (Infinity after JSON.parse)', null],
      ['rotation string', { rotation: '0' }],
      ['opacity 2', { opacity: 2 }],
    ] as const) {
      const recs = structuredClone(backup.records)
      const i = noteAt()
      Object.assign(recs[i]!, patch ?? { x: 'INFINITY_HERE' })
      const body = withRecords(recs).replace('"INFINITY_HERE"', '1e999')
      const r = await importFile(body)
      expect(r.status, `${what}: ${r.text.slice(0, 200)}`).toBe(400)
    }
  })

  it('deeply nested JSON (100k levels) in a record and in the session: 400 with a clear error, no stack overflow 500, server alive', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const recs = structuredClone(backup.records)
    const body = withRecords(recs).replace('"meta":{}', `"meta":{"x":${deep}}`)
    expect(body.length).toBeGreaterThan(200_000)
    const r = await importFile(body)
    expect(r.status, r.text.slice(0, 200)).toBe(400)
    expect(r.json().error).toMatch(/^record \d+ \([^)]+\): nested more than 100 levels deep/)
    const s = await importFile(JSON.stringify({ ...backup }).replace('"session":{', `"session":{"agenda":${deep},`))
    expect(s.status, s.text.slice(0, 200)).toBe(400)
    expect(s.json().error).toMatch(/session\.agenda/)
    // 1,000 levels of richText inside a note pass tldraw's validator (richText is free-form): import then export must work
    let node: Record<string, unknown> = { type: 'text', text: 'deep' }
    for (let i = 0; i < 1000; i++) node = { type: 'paragraph', content: [node] }
    const recs2 = structuredClone(backup.records)
    ;(recs2[noteAt()]!.props as Record<string, unknown>).richText = { type: 'doc', content: [node] }
    const d = await importFile(withRecords(recs2))
    // before the depth check: tldraw accepted it, then Yjs overflowed the stack encoding it (500 "internal error")
    expect(d.status, d.text.slice(0, 300)).toBe(400)
    expect(d.json().error).toMatch(/nested more than 100 levels deep/)
    // 10 levels of nested lists are fine, and every export of them works
    let ok: Record<string, unknown> = { type: 'text', text: 'nested list item' }
    for (let i = 0; i < 10; i++) ok = { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [ok] }] }] }
    const recs3 = structuredClone(backup.records)
    ;(recs3[noteAt()]!.props as Record<string, unknown>).richText = { type: 'doc', content: [ok] }
    const fine = await importFile(withRecords(recs3))
    expect(fine.status, fine.text.slice(0, 300)).toBe(201)
    for (const ext of ['json', 'csv', 'md', 'pdf']) expect((await exportOf(fine.json(), ext)).status, ext).toBe(200)
    expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)
  })

  it('invalid UTF-8, a BOM, duplicate JSON keys, trailing garbage, UTF-16 — clear answers', async () => {
    const count = boardCount(t.dataDir)
    const bad = Buffer.concat([Buffer.from(backupText.slice(0, 100)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(backupText.slice(100))])
    const r = await importFile(bad)
    expect(r.status).toBe(400)
    expect(r.json().error).toMatch(/UTF-8|not JSON/)
    // a BOM is fine
    const bom = await importFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(backupText)]))
    expect(bom.status).toBe(201)
    // duplicate keys: the last wins (JSON.parse) — still fully validated
    const dup = await importFile(backupText.replace('"format": "arvo-board",', '"format": "arvo-board", "format": "evil",'))
    expect(dup.status).toBe(400)
    expect((await importFile(`${backupText}garbage`)).status).toBe(400)
    const utf16 = await importFile(Buffer.from(`\ufeff${backupText}`, 'utf16le'))
    expect(utf16.status).toBe(400)
    expect(boardCount(t.dataDir)).toBe(count + 1)
  })

  it('invalid UTF-8 inside a note text is refused, not stored as U+FFFD silently', async () => {
    const i = noteAt()
    const text = ((backup.records[i]!.props as { richText: { content: { content: { text: string }[] }[] } }).richText.content[0]!.content[0]!.text)
    const at = backupText.indexOf(text)
    const bad = Buffer.concat([Buffer.from(backupText.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(backupText.slice(at))])
    const r = await importFile(bad)
    expect(r.status, r.text.slice(0, 200)).toBe(400)
    expect(r.json().error).toMatch(/UTF-8/)
  })

  it('100,000 tiny records (within 20 MB): answered with a clear refusal or a board, within seconds, server responsive', { timeout: 120_000 }, async () => {
    const recs = structuredClone(backup.records)
    const many = Array.from({ length: 100_000 }, (_, i) => ({ id: `binding:${i}`, typeName: 'binding' }))
    const started = performance.now()
    const r = await importFile(withRecords([...recs, ...many]))
    expect(r.status).toBe(400)
    expect(r.json().error).toMatch(/record \d+ \(binding:0\)/)
    expect(performance.now() - started).toBeLessThan(20_000)
    expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)
  })

  it('a 19.9 MB file holding one giant string in a note: a board or a clear refusal, and its exports answer within seconds', { timeout: 180_000 }, async () => {
    const recs = structuredClone(backup.records)
    const i = noteAt()
    const big = 'A'.repeat(Math.floor(19.5 * 1024 * 1024) - backupText.length)
    ;(recs[i]!.props as Record<string, unknown>).richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: big }] }] }
    const body = withRecords(recs)
    expect(Buffer.byteLength(body)).toBeLessThan(20 * 1024 * 1024)
    const r = await importFile(body)
    expect(r.status, r.text.slice(0, 300)).toBe(201)
    for (const ext of ['csv', 'md', 'json', 'pdf']) {
      const started = performance.now()
      const e = await exportOf(r.json(), ext)
      expect(e.status, `${ext}: ${e.text.slice(0, 200)}`).toBe(200)
      expect(performance.now() - started, ext).toBeLessThan(15_000)
    }
  })

  it('Content-Length lies: declared small but more sent, declared larger than sent, chunked over the limit → no board, server alive', { timeout: 60_000 }, async () => {
    const count = boardCount(t.dataDir)
    const body = backupText
    // shorter Content-Length than the body: the server reads only what was declared → not JSON (cut) → 400
    const short = await rawHttp(t.server.port, `POST /api/boards/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\nConnection: close\r\n\r\n${body}`)
    expect(short).toMatch(/^HTTP\/1\.1 400/)
    // longer Content-Length than sent, then the client closes its side: no board
    await rawHttp(t.server.port, `POST /api/boards/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 1000}\r\n\r\n${body}`, { endAfter: true, waitMs: 1000 })
    // chunked, beyond 20 MB
    const chunk = `${(1024 * 1024).toString(16)}\r\n${' '.repeat(1024 * 1024)}\r\n`
    const big = await new Promise<string>((resolve) => {
      const sock = connect(t.server.port, '127.0.0.1')
      let out = ''
      sock.on('data', (d) => (out += d.toString()))
      sock.on('error', () => resolve(out || 'reset'))
      sock.on('close', () => resolve(out))
      sock.write('POST /api/boards/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n')
      let n = 0
      const pump = () => {
        while (n < 22) {
          n++
          if (!sock.write(chunk)) return void sock.once('drain', pump)
        }
        sock.end('0\r\n\r\n')
      }
      pump()
    })
    expect(big === 'reset' || big === '' || /^HTTP\/1\.1 413/.test(big), big.slice(0, 100)).toBe(true)
    // a negative / non-numeric Content-Length is a bad request at the HTTP layer
    const neg = await rawHttp(t.server.port, 'POST /api/boards/import HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n')
    expect(neg).toMatch(/^HTTP\/1\.1 400/)
    await new Promise((r) => setTimeout(r, 300))
    expect(boardCount(t.dataDir)).toBe(count)
    expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)
  })

  it('slow-loris body: one byte a second does not hold the server; other requests are answered', { timeout: 30_000 }, async () => {
    const sock = connect(t.server.port, '127.0.0.1')
    await new Promise((r) => sock.once('connect', r))
    sock.write('POST /api/boards/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{')
    const drip = setInterval(() => sock.write(' '), 200)
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)
    } finally {
      clearInterval(drip)
      sock.destroy()
    }
  })

  it('session values that pass validators: a 120-char title, a 30-phase agenda; longer ones refused', async () => {
    const title = `${'Ж'.repeat(119)}x`
    const ok = await importFile(JSON.stringify({ ...backup, session: { ...backup.session, title } }))
    expect(ok.status).toBe(201)
    const e = await exportOf(ok.json(), 'pdf')
    expect(e.status).toBe(200)
    await refused('title of 10k chars', JSON.stringify({ ...backup, session: { title: 'x'.repeat(10_000) } }), /session\.title is not a valid value/)
    const phases = Array.from({ length: 1000 }, (_, i) => ({ id: `ph${i}`, preset: 'discuss', name: '', durationMs: 60_000 }))
    await refused('agenda of 1000 phases', JSON.stringify({ ...backup, session: { agenda: { phases, current: null } } }), /session\.agenda is not a valid value/)
  })

  it('edits: 10k entries, huge names, __proto__ author ids → refused or bounded', async () => {
    await refused('authorName too long', JSON.stringify({ ...backup, edits: [{ authorId: 'a', authorName: 'x'.repeat(10_000), side: 'provider', edits: 1 }] }), /edits\[0\]/)
    await refused('edits a float', JSON.stringify({ ...backup, edits: [{ authorId: 'a', authorName: 'x', side: 'provider', edits: 1.5 }] }), /edits\[0\]/)
    await refused('edits 1e308', JSON.stringify({ ...backup, edits: [{ authorId: 'a', authorName: 'x', side: 'provider', edits: 1e308 }] }), /edits\[0\]/)
    const proto = await importFile(JSON.stringify({ ...backup, edits: [{ authorId: '__proto__', authorName: 'x', side: 'provider', edits: 3 }] }))
    expect([201, 400]).toContain(proto.status)
    if (proto.status === 201) expect((await exportOf(proto.json(), 'md')).status).toBe(200)
    expect(({} as Record<string, unknown>).edits).toBeUndefined()
  })

  it('a backup whose records reference assets that are missing or hostile (remote URL, javascript:, file:)', async () => {
    const recs = structuredClone(backup.records)
    const shape = (sid: string, assetId: string | null, index: string) => ({
      id: `shape:${sid}`, typeName: 'shape', type: 'image', x: 9000, y: 9000, rotation: 0, index, parentId: 'page:page', isLocked: false, opacity: 1, meta: {},
      props: { w: 100, h: 100, assetId, playing: true, url: '', crop: null, flipX: false, flipY: false, altText: '' },
    })
    const asset = (aid: string, src: string) => ({ id: `asset:${aid}`, typeName: 'asset', type: 'image', meta: {}, props: { name: aid, src, w: 100, h: 100, mimeType: 'image/png', isAnimated: false } })
    const r = await importFile(
      withRecords([
        ...recs,
        asset('remote', 'http://169.254.169.254/latest/meta-data/'),
        asset('file', 'file:///etc/passwd'),
        shape('remote', 'asset:remote', 'zz1'),
        shape('file', 'asset:file', 'zz2'),
        shape('missing', 'asset:missing', 'zz3'),
      ]),
    )
    // a missing asset is not a parent: tldraw's validator accepts the reference; the PDF draws a placeholder, never fetches
    expect([201, 400], r.text.slice(0, 300)).toContain(r.status)
    if (r.status === 201) {
      const pdf = await exportOf(r.json(), 'pdf')
      expect(pdf.status).toBe(200)
      expect(pdf.bytes.toString('latin1')).not.toContain('/etc/passwd')
    }
  })

  it('an import of another board\'s export keeps nothing of the original id: fresh id, fresh links, the old tokens do not open it, the original untouched', async () => {
    const before = await (await fetch(`${t.server.url}/api/boards/${ID}/export.json`, { headers: { authorization: `Bearer ${testToken(ID, 'viewer')}` } })).text()
    // boardId in the file pointing at the original and at a brand-new id: both ignored
    for (const boardId of [ID, 'Attacker0001', '../../x']) {
      const r = await importFile(JSON.stringify({ ...backup, boardId }))
      expect(r.status).toBe(201)
      const id = r.json().id as string
      expect(id).not.toBe(boardId)
      expect(id).not.toBe(ID)
      const a = await fetch(`${t.server.url}/api/boards/${id}/export.json`, { headers: { authorization: `Bearer ${testToken(ID, 'facilitator')}` } })
      expect(a.status).toBe(401)
    }
    expect((await fetch(`${t.server.url}/api/boards/Attacker0001/export.json`, { headers: { authorization: `Bearer ${testToken('Attacker0001')}` } })).status).toBe(404)
    const after = await (await fetch(`${t.server.url}/api/boards/${ID}/export.json`, { headers: { authorization: `Bearer ${testToken(ID, 'viewer')}` } })).text()
    const strip = (s: string) => s.replace(/"exportedAt": "[^"]*"/, '')
    expect(strip(after)).toBe(strip(before))
  })

  it('a closed vote whose result is malformed inside (ranked entries not tallies, 100k entries, NaN-ish counts): refused, so no board is made that every export and summary.json answer 500', async () => {
    const vote = { id: 'v-closed', status: 'closed', dots: 3, onePerNote: true, templates: null, endsAt: null }
    const noteId = backup.records[noteAt()]!.id as string
    const results: unknown[] = [
      { voteId: 'v-closed', closedAt: 1, dots: 3, voters: { provider: 1, customer: 1 }, ranked: [null, 5, 'x', { noteId: { a: 1 }, provider: 'many' }], disagreements: [null] },
      { voteId: 'v-closed', closedAt: 1, dots: 3, voters: { provider: 'x' }, ranked: [{ noteId, provider: -5, customer: 1e308, total: Number.MAX_VALUE }], disagreements: [{ noteId, provider: 1, customer: 0, total: 1, gap: 'big' }] },
      { voteId: 'v-closed', closedAt: 1, dots: 3, voters: { provider: 1, customer: 1 }, ranked: Array.from({ length: 100_000 }, (_, i) => ({ noteId: `shape:ghost${i}`, provider: 1, customer: 0, total: 1 })), disagreements: [] },
    ]
    for (const [i, voteResult] of results.entries()) {
      const r = await importFile(JSON.stringify({ ...backup, session: { ...backup.session, vote, voteResult } }))
      // before the deep check: 201, then every export and summary.json of the new board answered 500 (withSession read null entries)
      expect(r.status, `result ${i}: ${r.text.slice(0, 200)}`).toBe(400)
      expect(r.json().error, `result ${i}`).toMatch(/^session\.voteResult is not a vote result: (ranked|voters)/)
    }
    // the seeded board's real result passes, and the copy's summary.json works
    const ok = await importFile(backupText)
    expect(ok.status).toBe(201)
    const summary = await got(await fetch(`${t.server.url}/api/boards/${ok.json().id as string}/summary.json`, { headers: { authorization: `Bearer ${tokenOfLink((ok.json().links as Record<string, string>).viewer!)}` } }))
    expect(summary.status).toBe(200)
  })

  it('the session of an import never carries server-only live state (voteProgress, privateCounts, an open vote)', async () => {
    const session = {
      ...backup.session,
      vote: { id: 'v-open', status: 'open', dots: 3, onePerNote: true, templates: null, endsAt: null },
      voteProgress: { voteId: 'v-open', voters: 9 },
      privateCounts: { p1: { name: 'Spy', side: 'provider', round: 'r1', count: 4 } },
      privateMode: { status: 'on', round: 'r1', since: 1 },
    }
    const r = await importFile(JSON.stringify({ ...backup, session }))
    expect(r.status).toBe(201)
    const copy = (await exportOf(r.json())).json()
    const s = copy.session as Record<string, unknown>
    expect(s.voteProgress).toBeUndefined()
    expect(s.privateCounts).toBeUndefined()
    expect(s.privateMode).toBeUndefined()
    expect((s.vote as { id?: string } | undefined)?.id).not.toBe('v-open')
  })
})

describe('adversarial: create token', () => {
  let t: TestServer
  const CREATE = 'create-token-0123456789abcdef'
  beforeAll(async () => {
    t = await startTestServer({ ARVO_SECRET: TEST_SECRET, ARVO_CREATE_TOKEN: CREATE })
    await t.server.storage.createBoard(ID, seeded.update)
  })
  afterAll(async () => {
    await t.stop()
  })

  it('import without the create token is refused before the body is read (a 30 MB body does not matter), token in ?token= does not count', async () => {
    const count = boardCount(t.dataDir)
    const r = await rawHttp(t.server.port, `POST /api/boards/import?token=${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${30 * 1024 * 1024}\r\n\r\n{`)
    expect(r).toMatch(/^HTTP\/1\.1 401/)
    for (const auth of [`bearer ${CREATE}`, `Bearer  ${CREATE}`, `Bearer ${CREATE} `, `Basic ${CREATE}`, `Bearer ${CREATE.slice(0, -1)}`]) {
      const x = await fetch(`${t.server.url}/api/boards/import`, { method: 'POST', headers: { authorization: auth }, body: '{}' })
      // only exactly "Bearer <token>" (case-insensitive scheme allowed) may pass; a pass still meets the 400 of the empty backup
      expect([400, 401], auth).toContain(x.status)
    }
    expect(boardCount(t.dataDir)).toBe(count)
  })
})

describe('adversarial: a raw request line the URL parser refuses', () => {
  it('"GET // HTTP/1.1" (a URL new URL() cannot parse) is answered 400 and the server lives on (it used to kill the process)', { timeout: 60_000 }, async () => {
    const s = await spawnServer({ ARVO_SECRET: TEST_SECRET })
    try {
      const answer = await rawHttp(s.port, 'GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
      expect(answer).toMatch(/^HTTP\/1\.1 400/)
      // The same URL as a websocket upgrade is refused too.
      const upgrade = await rawHttp(s.port, 'GET // HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
      expect(upgrade).toMatch(/^HTTP\/1\.1 4\d\d/)
      const health = await fetch(`http://127.0.0.1:${s.port}/api/health`).then((r) => r.status, () => 'down')
      expect(health).toBe(200)
    } finally {
      await s.kill('SIGTERM').catch(() => {})
    }
  })
})

/** A tiny RFC 4180 reader (quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++
      else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(cell), (cell = '')
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++
    else cell += c
  }
  if (cell || row.length) row.push(cell), rows.push(row)
  return rows
}
