/**
 * The export routes and the import route over real HTTP against a started server, and the CLI
 * as a child process on a data dir with no server running (EXP-1..EXP-7).
 * The PDF tests need the renderer (server/export/pdf): they fail while it is a placeholder.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildNote, extractZones, indexKeysAbove, maxPageIndex } from '../../shared/domain/index.ts'
import { LINK_ROLES, type CreateBoardResponse } from '../../shared/protocol.ts'
import { BoardAccess } from '../auth/access.ts'
import { createExportRoutes } from '../http/exports.ts'
import { MemoryStorage } from '../storage/memory.ts'
import { SqliteStorage } from '../storage/sqlite.ts'
import { spawnServer } from '../test/processes.ts'
import { startTestServer, TEST_SECRET, testToken, tokenOfLink, waitFor, type TestServer } from '../test/fixtures.ts'
import { BOARD_TITLE, PEOPLE, seededBoard } from './test/seededBoard.ts'
import { boardCount, got } from './test/http.ts'

const ID = 'SeedBoard01'
const seeded = seededBoard()

/** The PDF without the parts that differ between two renders of one board (creation time, file id). */
function pdfComparable(bytes: Buffer): string {
  return bytes
    .toString('latin1')
    .replace(/\(D:[0-9]{14}[^)]*\)/g, '(D:)') // creation dates, inline or in their own objects
    .replace(/\/ID \[<[0-9a-fA-F]*> ?<[0-9a-fA-F]*>\]/g, '/ID []')
}

describe('export routes (EXP-1..EXP-6)', () => {
  let t: TestServer
  const get = async (path: string, token: string | null = testToken(ID, 'viewer'), init: RequestInit = {}) =>
    got(await fetch(`${t.server.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } }))
  const importFile = async (body: string, headers: Record<string, string> = {}) =>
    got(await fetch(`${t.server.url}/api/boards/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }))

  beforeAll(async () => {
    t = await startTestServer({ ARVO_SECRET: TEST_SECRET })
    await t.server.storage.createBoard(ID, seeded.update)
  })
  afterAll(async () => {
    await t.stop()
  })

  it('EXP-1 every format downloads with its type, a sanitised attachment name from the title, no-store; any role reads', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const types = { csv: 'text/csv; charset=utf-8', md: 'text/markdown; charset=utf-8', json: 'application/json; charset=utf-8' }
    for (const role of LINK_ROLES) {
      for (const [ext, type] of Object.entries(types)) {
        const r = await get(`/api/boards/${ID}/export.${ext}?lang=fi`, testToken(ID, role))
        expect(r.status, `${role} ${ext}`).toBe(200)
        expect(r.headers.get('content-type')).toBe(type)
        expect(r.headers.get('cache-control')).toBe('no-store')
        expect(Number(r.headers.get('content-length'))).toBe(r.bytes.length)
        const cd = r.headers.get('content-disposition')!
        // the title "Arvotyöpaja — Kesko × Telia, syksy 2026": ASCII fallback plus the UTF-8 name
        expect(cd).toMatch(new RegExp(`^attachment; filename="Arvotyopaja _ Kesko _ Telia, syksy 2026-${today}\\.${ext}"; filename\\*=UTF-8''`))
        const star = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(cd)![1]!)
        expect(star).toBe(`${BOARD_TITLE}-${today}.${ext}`)
        expect(cd).not.toMatch(/[\r\n]/)
      }
    }
    // ?token= works for plain downloads too
    const q = await get(`/api/boards/${ID}/export.csv?token=${encodeURIComponent(testToken(ID, 'viewer'))}`, null)
    expect(q.status).toBe(200)
  })

  it('EXP-1 CSV over HTTP: BOM, localized columns, Finnish and Russian text intact, quoted commas', async () => {
    const r = await get(`/api/boards/${ID}/export.csv?lang=ru`)
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = r.text.slice(1).split('\r\n')
    expect(lines[0]).toBe('Шаблон,Раздел,Сторона,Автор,Текст,Голоса (поставщик),Голоса (клиент),Ответственный,Ответственная сторона,Срок')
    expect(lines.filter((l) => l !== '')).toHaveLength(1 + seeded.noteTexts.length)
    expect(r.text).toContain('Прозрачная отчётность каждый месяц')
    expect(r.text).toContain('Toimitusvarmuus ja nopea vasteaika')
    expect(r.text).toContain('"Õigeaegne arveldus, šokolaadi žürii"')
    expect(r.text).toContain('Ольга Смирнова')
  })

  it('EXP-1 Markdown over HTTP: every note and the headings of the chosen language', async () => {
    const r = await get(`/api/boards/${ID}/export.md?lang=et`)
    expect(r.status).toBe(200)
    for (const text of seeded.noteTexts) expect(r.text).toContain(text.replace(/[\\`*_{}[\]<>()#|~!&]/g, '\\$&'))
    for (const heading of ['## Osalejad', '## Hääletuse tulemused', '## Panuste tasakaal', '## Tühjad alad']) expect(r.text).toContain(`\n${heading}\n`)
  })

  it('EXP-1 refuses unauthorised requests before any work (401, no storage read), bad parameters 400, other methods 405', async () => {
    const storage = t.server.storage
    let reads = 0
    const load = storage.load.bind(storage)
    const getBoard = storage.getBoard.bind(storage)
    storage.load = (id) => (reads++, load(id))
    storage.getBoard = (id) => (reads++, getBoard(id))
    try {
      for (const ext of ['pdf', 'csv', 'md', 'json']) {
        for (const token of [null, 'forged.token', testToken(ID, 'viewer', 'another-secret-0123456789'), testToken('OtherBoard1', 'facilitator')]) {
          const r = await get(`/api/boards/${ID}/export.${ext}`, token)
          expect(r.status, `${ext} ${token}`).toBe(401)
          expect(r.json().error).toEqual(expect.any(String))
          expect(r.headers.get('content-disposition')).toBeNull()
        }
      }
      expect(reads, 'no storage read for a missing or forged token').toBe(0)
    } finally {
      storage.load = load
      storage.getBoard = getBoard
    }
    // a well-signed token of a board that does not exist: 404
    expect((await get('/api/boards/NoSuchBoard9/export.csv', testToken('NoSuchBoard9'))).status).toBe(404)
    const lang = await get(`/api/boards/${ID}/export.md?lang=de`)
    expect(lang.status).toBe(400)
    expect(lang.json().error).toBe('lang must be one of en, fi, et, ru')
    const paper = await get(`/api/boards/${ID}/export.pdf?paper=a3`)
    expect(paper.status).toBe(400)
    expect(paper.json().error).toBe('paper must be one of a4, letter')
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await get(`/api/boards/${ID}/export.csv`, undefined, { method })).status, method).toBe(405)
    expect((await get(`/api/boards/${ID}/export.xlsx`)).status).toBe(404)
    expect((await get('/api/boards/import')).status).toBe(405)
  })

  it('EXP-6 an export counts the latest edits of a loaded board (waits for them to reach storage)', async () => {
    const c = await t.client(ID, { token: testToken(ID, 'facilitator') })
    const all = [...c.records.values()]
    const zone = extractZones(all).find((z) => z.template === 'pyramid' && z.zone === 'inspirational')!
    const note = buildNote({
      id: 'shape:late-edit',
      x: zone.bounds.x + 30,
      y: zone.bounds.y + 30,
      index: indexKeysAbove(maxPageIndex(all), 1)[0]!,
      text: 'Vision for 2030, written last',
      author: PEOPLE.anna,
    })
    // storage slows down: the note is in the room's doc well before it is on disk
    const storage = t.server.storage
    const append = storage.append.bind(storage)
    storage.append = async (entries) => {
      await new Promise((r) => setTimeout(r, 400))
      return append(entries)
    }
    try {
      c.records.set(note.id, note)
      const room = await t.server.registry.loaded(ID)
      await waitFor(() => room!.doc.getMap('records').has(note.id), 5000, 'the note in the room')
      const r = await get(`/api/boards/${ID}/export.csv`)
      expect(r.text).toContain('Vision for 2030, written last')
    } finally {
      storage.append = append
      c.provider.destroy()
      c.doc.destroy()
    }
  })

  it('EXP-5 import(export.json) makes a new board with fresh links whose export.json has every record and the kept session', async () => {
    const before = await get(`/api/boards/${ID}/export.json`)
    const backup = before.json()
    const count = boardCount(t.dataDir)
    const r = await importFile(before.text)
    expect(r.status).toBe(201)
    const answer = r.json() as unknown as CreateBoardResponse
    expect(answer.id).not.toBe(ID)
    expect(answer.url).toBe(`${t.server.url}/b/${answer.id}`)
    expect(Object.keys(answer.links).sort()).toEqual([...LINK_ROLES].sort())
    expect(boardCount(t.dataDir)).toBe(count + 1)
    const after = await get(`/api/boards/${answer.id}/export.json`, tokenOfLink(answer.links.viewer))
    expect(after.status).toBe(200)
    const copy = after.json()
    expect(copy.boardId).toBe(answer.id)
    expect(copy.title).toBe(BOARD_TITLE)
    expect((copy.records as unknown[]).length).toBe((backup.records as unknown[]).length)
    expect(copy.records).toEqual(backup.records) // record for record (both sorted by id)
    const session = (b: Record<string, unknown>) => b.session as Record<string, unknown>
    for (const key of ['title', 'vote', 'voteResult']) expect(session(copy)[key], key).toEqual(session(backup)[key])
    // the old board's tokens do not open the new one
    expect((await get(`/api/boards/${answer.id}/export.json`, testToken(ID, 'viewer'))).status).toBe(401)
  })

  it('EXP-5 refuses bad files with a message that says what is wrong, and creates nothing', async () => {
    const good = (await get(`/api/boards/${ID}/export.json`)).json() as { records: Record<string, unknown>[] } & Record<string, unknown>
    const noteAt = good.records.findIndex((r) => r.type === 'note')
    const note = good.records[noteAt]!
    const withRecords = (records: unknown[]) => JSON.stringify({ ...good, records })
    const badNote = structuredClone(note) as { props: Record<string, unknown> }
    badNote.props.color = 42
    const cases: [string, string, RegExp][] = [
      ['not JSON', 'this is not json', /^the file is not JSON/],
      ['empty', '', /has no body/],
      ['wrong format', JSON.stringify({ ...good, format: 'excalidraw' }), /format is "excalidraw", expected "arvo-board"/],
      ['wrong version', JSON.stringify({ ...good, version: 7 }), /backup version 7 is not supported/],
      ['invalid record', withRecords(good.records.map((r, i) => (i === noteAt ? badNote : r))), new RegExp(`^record ${noteAt} \\(${note.id as string}\\): .*color`)],
      ['duplicate ids', withRecords([...good.records, note]), new RegExp(`id ${note.id as string} appears twice`)],
      ['foreign session key', JSON.stringify({ ...good, session: { title: 'x', owner: 'me' } }), /session\.owner is not a session key/],
    ]
    const count = boardCount(t.dataDir)
    for (const [what, body, message] of cases) {
      const r = await importFile(body)
      expect(r.status, what).toBe(400)
      expect(r.json().error, what).toMatch(message)
    }
    expect(boardCount(t.dataDir)).toBe(count)
  })

  it('EXP-5 refuses a file over 20 MB with 413 and Connection: close, and creates nothing', async () => {
    const count = boardCount(t.dataDir)
    // declared too large: answered from the headers, the body is never read
    const declared = await new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(`${t.server.url}/api/boards/import`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': 21 * 1024 * 1024 } }, (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }))
      })
      req.on('error', reject)
      req.write('{"format":"arvo-board",')
    })
    expect(declared.status).toBe(413)
    expect(declared.connection).toBe('close')
    expect(JSON.parse(declared.body).error).toMatch(/larger than 20 MB/)
    // streamed without a length: cut off at the limit (413, or the connection reset while sending)
    const streamed = await new Promise<number | string>((resolve) => {
      const req = httpRequest(`${t.server.url}/api/boards/import`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', () => resolve('reset'))
      const chunk = Buffer.alloc(256 * 1024, 0x20)
      let sent = 0
      const pump = () => {
        while (sent < 84) {
          sent++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    expect([413, 'reset']).toContain(streamed)
    expect(boardCount(t.dataDir)).toBe(count)
    expect((await fetch(`${t.server.url}/api/health`)).status).toBe(200)
  })

  it('EXP-1 PDF over HTTP: %PDF, application/pdf, A4 and letter', async () => {
    for (const paper of ['a4', 'letter']) {
      const r = await get(`/api/boards/${ID}/export.pdf?lang=fi&paper=${paper}`)
      expect(r.status, r.text.slice(0, 200)).toBe(200)
      expect(r.headers.get('content-type')).toBe('application/pdf')
      expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      expect(r.headers.get('content-disposition')).toMatch(/\.pdf"; filename\*=/)
    }
  })
})

describe('import with a create token (EXP-5)', () => {
  let t: TestServer
  const CREATE = 'create-token-0123456789abcdef'
  beforeAll(async () => {
    t = await startTestServer({ ARVO_SECRET: TEST_SECRET, ARVO_CREATE_TOKEN: CREATE })
    await t.server.storage.createBoard(ID, seeded.update)
  })
  afterAll(async () => {
    await t.stop()
  })

  it('EXP-5 needs the create token like POST /api/boards', async () => {
    const backup = await (await fetch(`${t.server.url}/api/boards/${ID}/export.json`, { headers: { authorization: `Bearer ${testToken(ID)}` } })).text()
    const count = boardCount(t.dataDir)
    const post = (auth?: string) => fetch(`${t.server.url}/api/boards/import`, { method: 'POST', headers: auth ? { authorization: auth } : {}, body: backup })
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${testToken(ID)}`]) {
      const r = await post(auth)
      expect(r.status, auth).toBe(401)
      expect(((await r.json()) as { error: string }).error).toMatch(/create token/)
    }
    expect(boardCount(t.dataDir)).toBe(count)
    expect((await post(`Bearer ${CREATE}`)).status).toBe(201)
    expect(boardCount(t.dataDir)).toBe(count + 1)
  })
})

describe('a PDF render that fails (EXP-1)', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    const storage = new MemoryStorage()
    await storage.createBoard(ID, seeded.update)
    const routes = createExportRoutes({
      storage,
      access: new BoardAccess(async () => TEST_SECRET, storage),
      renderPdf: async () => {
        throw new Error('font file missing')
      },
    })
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x')
      const ctx = { url: u, baseUrl: 'http://x', authorize: async () => ({}), mayCreate: () => true, newBoardId: () => 'NewBoard0001', isValidBoardId: () => true }
      routes.handle(req, res, u.pathname, ctx).catch(() => res.writeHead(599).end())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
  })

  it('EXP-1 answers 500 { error } saying why, with no attachment half-sent', async () => {
    const r = await got(await fetch(`${url}/api/boards/${ID}/export.pdf`))
    expect(r.status).toBe(500)
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(r.headers.get('content-disposition')).toBeNull()
    expect(r.json()).toEqual({ error: 'the PDF export could not be made: font file missing' })
  })
})

describe('the CLI on a stored board, no server running (EXP-7)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arvo-export-cli-'))
  const dataDir = join(dir, 'data')
  const outDir = join(dir, 'out')
  const routeBodies = new Map<string, Buffer>()
  let routeDate = ''

  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const childEnv: NodeJS.ProcessEnv = { ...process.env }
      delete childEnv.DATABASE_URL
      delete childEnv.DATA_DIR
      Object.assign(childEnv, env)
      execFile(process.execPath, ['--import', 'tsx', 'server/export/cli.ts', ...args], { env: childEnv, timeout: 90_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      )
    })

  beforeAll(async () => {
    const storage = new SqliteStorage(dataDir)
    await storage.createBoard(ID, seeded.update)
    await storage.close()
    // the route's bodies, from a real server on the same data dir, stopped afterwards
    const server = await spawnServer({ DATA_DIR: dataDir, ARVO_SECRET: TEST_SECRET })
    try {
      for (const [ext, q] of [['csv', '?lang=fi'], ['md', '?lang=ru'], ['json', ''], ['pdf', '?lang=et&paper=letter']] as const) {
        const res = await fetch(`http://127.0.0.1:${server.port}/api/boards/${ID}/export.${ext}${q}`, { headers: { authorization: `Bearer ${testToken(ID, 'viewer')}` } })
        routeBodies.set(ext, Buffer.from(await res.arrayBuffer()))
        if (res.status === 200) routeDate = /-(\d{4}-\d{2}-\d{2})\.\w+"/.exec(res.headers.get('content-disposition')!)![1]!
      }
    } finally {
      await server.kill('SIGTERM')
    }
    await import('node:fs/promises').then((fs) => fs.mkdir(outDir))
  }, 60_000)
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  const leftovers = () => readdirSync(outDir).filter((f) => f.endsWith('.tmp'))

  it('EXP-7 writes CSV, Markdown and JSON equal to the routes\' bodies', { timeout: 60_000 }, async () => {
    const at = `${routeDate}T12:00:00Z`
    const csv = await cli([ID, join(outDir, 'board.csv'), '--lang', 'fi', '--data-dir', dataDir])
    expect(csv.code, csv.stderr).toBe(0)
    expect(csv.stdout).toMatch(/wrote .*board\.csv \(csv, \d+ bytes, \d+ notes\)/)
    expect(readFileSync(join(outDir, 'board.csv'))).toEqual(routeBodies.get('csv'))
    const md = await cli([ID, join(outDir, 'board.md'), '--lang=ru', `--data-dir=${dataDir}`, '--generated-at', at])
    expect(md.code, md.stderr).toBe(0)
    expect(readFileSync(join(outDir, 'board.md'), 'utf8')).toBe(routeBodies.get('md')!.toString('utf8'))
    // DATA_DIR from the environment, as the server reads it
    const json = await cli([ID, join(outDir, 'board.json')], { DATA_DIR: dataDir })
    expect(json.code, json.stderr).toBe(0)
    const fromCli = JSON.parse(readFileSync(join(outDir, 'board.json'), 'utf8')) as Record<string, unknown>
    const fromRoute = JSON.parse(routeBodies.get('json')!.toString('utf8')) as Record<string, unknown>
    expect(typeof fromCli.exportedAt).toBe('string')
    delete fromCli.exportedAt
    delete fromRoute.exportedAt
    expect(fromCli).toEqual(fromRoute)
    expect(leftovers()).toEqual([])
  })

  it('EXP-7 bad arguments, an unknown board or a missing database: a message and a non-zero exit, no file left', { timeout: 120_000 }, async () => {
    const cases: [string[], number, RegExp][] = [
      [[], 2, /expected a board id and an output file, got 0 arguments/],
      [[ID, join(outDir, 'x.txt'), '--data-dir', dataDir], 2, /must end in \.pdf, \.csv, \.md, \.json/],
      [[ID, join(outDir, 'x.csv'), '--lang', 'de', '--data-dir', dataDir], 2, /--lang must be one of en, fi, et, ru/],
      [[ID, join(outDir, 'x.pdf'), '--paper', 'a3', '--data-dir', dataDir], 2, /--paper must be one of a4, letter/],
      [[ID, join(outDir, 'x.csv'), '--colour', 'red', '--data-dir', dataDir], 2, /unknown option --colour/],
      [['bad id!', join(outDir, 'x.csv'), '--data-dir', dataDir], 2, /is not a board id/],
      [['NoSuchBoard9', join(outDir, 'x.csv'), '--data-dir', dataDir], 1, /board NoSuchBoard9 not found in sqlite:/],
      [[ID, join(outDir, 'x.csv'), '--data-dir', join(dir, 'nowhere')], 1, /no Arvo database at .*nowhere.*arvo\.sqlite/],
      [[ID, join(dir, 'missing-dir', 'x.csv'), '--data-dir', dataDir], 1, /output directory .*missing-dir does not exist/],
    ]
    const results = await Promise.all(cases.map(([args]) => cli(args)))
    cases.forEach(([args, code, message], i) => {
      expect(results[i]!.code, `${args.join(' ')}: ${results[i]!.stderr}`).toBe(code)
      expect(results[i]!.stderr, args.join(' ')).toMatch(message)
    })
    expect(existsSync(join(outDir, 'x.csv'))).toBe(false)
    expect(existsSync(join(dir, 'nowhere'))).toBe(false)
    expect(leftovers()).toEqual([])
  })

  it('EXP-7 the PDF from the CLI equals the route\'s (creation date ignored)', { timeout: 60_000 }, async () => {
    const r = await cli([ID, join(outDir, 'board.pdf'), '--lang', 'et', '--paper', 'letter', '--data-dir', dataDir, '--generated-at', `${routeDate || '2026-01-01'}T12:00:00Z`])
    expect(leftovers()).toEqual([])
    expect(r.code, r.stderr).toBe(0)
    const pdf = readFileSync(join(outDir, 'board.pdf'))
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const route = routeBodies.get('pdf')!
    expect(route.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(pdfComparable(pdf)).toBe(pdfComparable(route))
  })
})
