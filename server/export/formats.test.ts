/**
 * CSV, Markdown and the JSON backup on the seeded board (EXP-2..EXP-5), without a server.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildNote, emptyZoneMessage, extractZones, indexKeysAbove, maxPageIndex, placeTemplates, templateTitle, zoneLabel } from '../../shared/domain/index.ts'
import { t } from '../../shared/i18n/index.ts'
import { DocLayout } from '../../shared/protocol.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import { tlSchema, validateRecord } from '../validation.ts'
import { backupJson, boardBackup, IMPORT_KEPT_SESSION_KEYS, importUpdate, readBackup } from './backup.ts'
import { boardCsv, csvCell } from './csv.ts'
import { exportInputFromStored, type ExportInput } from './input.ts'
import { boardMarkdown, escapeMarkdown } from './markdown.ts'
import { BOARD_TITLE, OUTSIDE_TEXT, PEOPLE, seededBoard } from './test/seededBoard.ts'

const AT = '2026-11-21T09:30:00.000Z'

async function inputOf(update: Uint8Array, language: ExportInput['language'] = 'en'): Promise<ExportInput> {
  return exportInputFromStored({ snapshot: null, updates: [update] }, { boardId: 'SeedBoard01', language, generatedAt: AT })
}

/** RFC 4180 read independently of the writer: fields, quoted fields with "" and line breaks, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += c
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF')
  return rows
}

/** The seeded board plus notes whose texts try to break CSV and Markdown. */
function trickyBoard(texts: string[]): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, seededBoard().update)
  const records = doc.getMap<unknown>(DocLayout.records)
  const all = [...records.values()]
  const zone = extractZones(all).find((z) => z.template === 'pyramid' && z.zone === 'inspirational')!
  const indices = indexKeysAbove(maxPageIndex(all), texts.length)
  texts.forEach((text, i) => {
    const note = buildNote({
      id: `shape:tricky-${i}`,
      x: zone.bounds.x + 20 + i * 30,
      y: zone.bounds.y + 20,
      index: indices[i]!,
      text,
      author: { ...PEOPLE.olga, authorName: i === 0 ? '=HYPERLINK("x")' : PEOPLE.olga.authorName },
    })
    records.set(note.id, note)
  })
  const u = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return u
}

describe('CSV export (EXP-2)', () => {
  it('EXP-2 starts with a BOM, has the localized columns and one row per note, every character intact', async () => {
    const board = seededBoard()
    const input = await inputOf(board.update, 'fi')
    const csv = boardCsv(input)
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const rows = parseCsv(csv.slice(1))
    expect(rows[0]).toEqual([
      'Pohja',
      'Kohta',
      'Osapuoli',
      'Kirjoittaja',
      'Teksti',
      'Äänet (palveluntarjoaja)',
      'Äänet (asiakas)',
      'Vastuuhenkilö',
      'Vastuussa oleva osapuoli',
      'Määräaika',
    ])
    const body = rows.slice(1)
    expect(body).toHaveLength(board.noteTexts.length)
    expect(body.every((r) => r.length === 10)).toBe(true)
    expect(body.map((r) => r[4]).sort()).toEqual([...board.noteTexts].sort())
    // Estonian, Russian and Finnish letters survive, as do the authors' names
    expect(body.map((r) => r[3])).toContain('Ольга Смирнова')
    expect(body.map((r) => r[4])).toContain('Õigeaegne arveldus, šokolaadi žürii')
    // localized template and zone names, and the side
    const first = body.find((r) => r[4] === 'Toimitusvarmuus ja nopea vasteaika' && r[1] === 'Yhteistyön vähimmäisvaatimukset')!
    expect(first[0]).toBe(templateTitle('pyramid', 'fi'))
    expect(first[2]).toBe('Palveluntarjoaja')
    // the vote: seed-000 got 2 + 1 provider dots and 1 customer dot
    expect([first[5], first[6]]).toEqual(['3', '1'])
    const outside = body.find((r) => r[4] === OUTSIDE_TEXT)!
    expect(outside[0]).toBe('Pohjien ulkopuolella')
    expect(outside[1]).toBe('')
    // action plan owner, side and due date
    const action = body.find((r) => r[8] !== '')!
    expect(action[7]).toMatch(/^(Jussi Mäkelä|Anna Virtanen)$/)
    expect(['Palveluntarjoaja', 'Asiakas']).toContain(action[8])
    expect(action[9]).toMatch(/^2027-0\d-15$/)
  })

  it('EXP-2 quotes commas, quotes and line breaks (RFC 4180) and defuses formulas', async () => {
    const texts = ['Price, "fair" and\nclear', '=SUM(A1:A9)', '+49 30 1234', '-1 escalation', '@admin please', 'plain']
    const csv = boardCsv(await inputOf(trickyBoard(texts), 'ru'))
    expect(csv).toContain('"Price, ""fair"" and\nclear"')
    expect(csv.endsWith('\r\n')).toBe(true)
    const rows = parseCsv(csv.slice(1))
    expect(rows[0]![0]).toBe('Шаблон')
    const cells = rows.map((r) => r[4])
    expect(cells).toContain('Price, "fair" and\nclear')
    expect(cells).toContain("'=SUM(A1:A9)")
    expect(cells).toContain("'+49 30 1234")
    expect(cells).toContain("'-1 escalation")
    expect(cells).toContain("'@admin please")
    expect(cells).toContain('plain')
    expect(rows.map((r) => r[3])).toContain(`'=HYPERLINK("x")`)
    // no cell a spreadsheet would run
    expect(rows.flat().filter((c) => /^[=+\-@]/.test(c))).toEqual([])
  })

  it('csvCell: numbers bare, empty for null, quoting only when needed', () => {
    expect(csvCell(null)).toBe('')
    expect(csvCell(0)).toBe('0')
    expect(csvCell('a b')).toBe('a b')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('\tcmd')).toBe("'\tcmd")
    expect(csvCell('=1,2')).toBe(`"'=1,2"`)
  })
})

describe('Markdown report (EXP-3)', () => {
  it('EXP-3 holds the title, participants by side, every note, and headings in the chosen language', async () => {
    const board = seededBoard()
    for (const lang of ['en', 'fi', 'et', 'ru'] as const) {
      const md = boardMarkdown(await inputOf(board.update, lang))
      expect(md.startsWith(`# ${escapeMarkdown(BOARD_TITLE)}\n`)).toBe(true)
      expect(md).toContain('2026-11-21')
      for (const text of board.noteTexts) expect(md, `${lang}: ${text}`).toContain(escapeMarkdown(text))
      for (const key of ['mdParticipants', 'mdVoteResults', 'mdCoverageGaps', 'balance'] as const) expect(md, `${lang}.${key}`).toContain(`\n## ${t(lang, key)}\n`)
      expect(md).toContain(`\n### ${t(lang, 'mdDisagreements')}\n`)
      for (const kind of ['pyramid', 'roleMap', 'staircase', 'actionPlan'] as const) expect(md).toContain(`\n## ${escapeMarkdown(templateTitle(kind, lang))}\n`)
      expect(md).toContain(`### ${escapeMarkdown(zoneLabel('pyramid', 'tableStakes', lang)!)}`)
      expect(md).toContain(`**${t(lang, 'sideProvider')}** (2): `)
      expect(md).toContain(`**${t(lang, 'sideCustomer')}** (2): `)
      expect(md).toContain('Ольга Смирнова')
    }
  })

  it('EXP-3 orders the pyramid from table stakes up, draws the role map grid and the staircase ratings with the gap', async () => {
    const md = boardMarkdown(await inputOf(seededBoard().update, 'en'))
    const levels = ['Table stakes', 'Functional value', 'Ease of doing business', 'Individual value', 'Inspirational value'].map((l) => md.indexOf(`### ${l}`))
    expect(levels.every((i) => i > 0)).toBe(true)
    expect([...levels].sort((a, b) => a - b)).toEqual(levels)
    expect(md).toMatch(/\| Stage \| Provider \| Together \| Customer \|/)
    // seeded ratings: information provider 2, customer 4; differentiation 5 vs 1 (gap 4)
    expect(md).toContain('Ratings: Provider 2/5 · Customer 4/5 · Gap 2')
    expect(md).toContain('Ratings: Provider 5/5 · Customer 1/5 · Gap 4')
    // the vote ranked: seed-000 first with 3 provider + 1 customer dots
    expect(md).toContain('| 1 | Toimitusvarmuus ja nopea vasteaika | 3 | 1 | 4 |')
    // action plan table with owners and due dates
    expect(md).toMatch(/\| Way to add value \| What \| Owner side \| Owner \| Due date \|/)
    expect(md).toMatch(/\| [^|]+ \| [^|]+ \| (Provider|Customer) \| (Jussi Mäkelä|Anna Virtanen) \| 2027-0\d-15 \|/)
    // coverage gaps in words
    expect(md).toContain(`- ${escapeMarkdown(emptyZoneMessage({ template: 'pyramid', zone: 'inspirational' }, 'en'))}`)
  })

  it('EXP-3 escapes Markdown in note texts so that they show as written and tables keep their columns', async () => {
    const texts = ['a | b', '*bold* _it_ # not a heading', '# heading?', '- not a list', '1. not a list', '<script>x</script>', 'two\nlines']
    const md = boardMarkdown(await inputOf(trickyBoard(texts), 'en'))
    expect(md).toContain('a \\| b')
    expect(md).toContain('\\*bold\\* \\_it\\_ \\# not a heading')
    expect(md).not.toContain('<script>')
    expect(md).toContain('two<br>lines')
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list')
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list')
    // every table row of the report has as many cells as its header
    const lines = md.split('\n')
    let width = 0
    for (const line of lines) {
      if (!line.startsWith('|')) {
        width = 0
        continue
      }
      const cells = line.replace(/\\\|/g, '').split('|').length
      if (width === 0) width = cells
      expect(cells, line).toBe(width)
    }
  })
})

describe('JSON backup and import (EXP-4, EXP-5)', () => {
  it('EXP-4 the backup holds format, version, schema, every record and the session', async () => {
    const input = await inputOf(seededBoard().update)
    const b = JSON.parse(backupJson(input)) as ReturnType<typeof boardBackup>
    expect(b).toMatchObject({ format: 'arvo-board', version: 1, exportedAt: AT, boardId: 'SeedBoard01', title: BOARD_TITLE })
    expect(b.schema).toEqual(tlSchema.serialize())
    expect(b.records).toHaveLength(input.records.length)
    expect(b.session.title).toBe(BOARD_TITLE)
    expect((b.session.voteResult as { voteId: string }).voteId).toBe('vote-1')
  })

  it('EXP-5 import(export(board)) reproduces every record and the kept session keys', async () => {
    const input = await inputOf(seededBoard().update)
    const imported = readBackup(backupJson(input))
    expect(imported.added).toEqual([])
    const again = await inputOf(importUpdate(imported))
    const byId = (rs: unknown[]) => new Map(rs.map((r) => [(r as { id: string }).id, r]))
    const before = byId(input.records)
    const after = byId(again.records)
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [id, r] of before) expect(after.get(id), id).toEqual(r)
    for (const key of IMPORT_KEPT_SESSION_KEYS) expect(again.sessionRaw[key], key).toEqual(input.sessionRaw[key])
    expect(again.summary.vote).toEqual(input.summary.vote)
  })

  it('EXP-5 drops the moment of the old workshop: timer, open vote, spotlight, private round, live counts', async () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, seededBoard().update)
    const session = doc.getMap<unknown>(DocLayout.session)
    session.set('timer', { status: 'running', durationMs: 60_000, remainingMs: 60_000, endsAt: 1_800_000_000_000 })
    session.set('vote', { id: 'vote-2', status: 'open', dots: 3, onePerNote: false, templates: null, endsAt: null })
    session.set('voteProgress', { voteId: 'vote-2', voters: 1 })
    session.set('spotlight', { instance: 'pyramid-1', zone: null, since: 1 })
    session.set('privateMode', { status: 'on', round: 'r1', since: 1 })
    session.set('privateCounts', { p: { name: 'A', side: 'provider', round: 'r1', count: 2 } })
    session.set('boardLocked', true)
    const input = await inputOf(Y.encodeStateAsUpdate(doc))
    const imported = readBackup(backupJson(input))
    expect(Object.keys(imported.session).sort()).toEqual(['boardLocked', 'title', 'voteResult'])
  })

  it('EXP-5 adds the document record and the board page when the file has none', async () => {
    const input = await inputOf(seededBoard().update)
    const b = boardBackup(input)
    b.records = b.records.filter((r) => !['document', 'page'].includes((r as { typeName: string }).typeName))
    const imported = readBackup(JSON.stringify(b))
    expect(imported.added.sort()).toEqual(['document:document', 'page:page'])
    for (const r of imported.records) expect(validateRecord(r.id, r)).toBeNull()
  })

  it('EXP-5 migrates records written with an older tldraw schema', async () => {
    const schema = structuredClone(tlSchema.serialize()) as { sequences: Record<string, number> }
    const current = schema.sequences['com.tldraw.shape.note']!
    schema.sequences['com.tldraw.shape.note'] = current - 1 // before textFirstEditedBy became textLastEditedBy
    const input = await inputOf(initialBoardUpdate(placeTemplates(['pyramid'], 'en')))
    const note = buildNote({ id: 'shape:old', x: 0, y: 0, index: 'a1' as never, text: 'old note', author: PEOPLE.anna }) as unknown as { props: Record<string, unknown> }
    delete note.props.textLastEditedBy
    note.props.textFirstEditedBy = null
    const b = { ...boardBackup(input), schema, records: [...input.records, note] }
    const imported = readBackup(JSON.stringify(b))
    const migrated = imported.records.find((r) => r.id === 'shape:old') as unknown as { props: Record<string, unknown> }
    expect(migrated.props.textLastEditedBy).toBeNull()
    expect('textFirstEditedBy' in migrated.props).toBe(false)
  })

  it('EXP-5 refuses a bad file and says what is wrong', async () => {
    const input = await inputOf(seededBoard().update)
    const good = () => boardBackup(input)
    const refusal = (file: unknown) => {
      try {
        readBackup(typeof file === 'string' ? file : JSON.stringify(file))
        return null
      } catch (e) {
        return (e as Error).message
      }
    }
    expect(refusal('{oops')).toMatch(/^the file is not JSON/)
    expect(refusal([1])).toMatch(/not an Arvo board backup/)
    expect(refusal({ ...good(), format: 'tldraw' })).toBe('the file is not an Arvo board backup: format is "tldraw", expected "arvo-board"')
    expect(refusal({ ...good(), version: 2 })).toMatch(/backup version 2 is not supported/)
    expect(refusal({ ...good(), records: {} })).toMatch(/records must be a list/)
    const idx = good().records.findIndex((r) => (r as { type?: string }).type === 'note')
    const broken = good()
    const note = structuredClone(broken.records[idx]) as { id: string; props: Record<string, unknown> }
    note.props.growY = 'tall'
    broken.records[idx] = note
    expect(refusal(broken)).toMatch(new RegExp(`^record ${idx} \\(${note.id}\\): .*growY`))
    const dup = good()
    dup.records.push(structuredClone(dup.records[idx]))
    expect(refusal(dup)).toBe(`record ${dup.records.length - 1} (${note.id}): id ${note.id} appears twice (first as record ${idx})`)
    const camera = good()
    camera.records.push({ id: 'camera:x', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} })
    expect(refusal(camera)).toMatch(/camera:x.*not a document record type/)
    const orphan = good()
    orphan.records[idx] = { ...(structuredClone(orphan.records[idx]) as object), parentId: 'shape:nowhere' }
    expect(refusal(orphan)).toMatch(/its parent shape:nowhere is not a page or shape of the file/)
    expect(refusal({ ...good(), session: { title: 'x', hack: 1 } })).toBe('session.hack is not a session key of Arvo')
    expect(refusal({ ...good(), session: { title: '' } })).toMatch(/^session\.title is not a valid value/)
    expect(refusal({ ...good(), schema: { schemaVersion: 2, sequences: { 'com.tldraw.shape.note': 999 } } })).toMatch(/newer tldraw/)
    expect(refusal({ ...good(), edits: [{ authorId: 'x' }] })).toMatch(/^edits\[0\]/)
  })
})
