/**
 * The server-side PDF (issue 12, "The PDF"): drawn with pdfkit from the stored records.
 * Checks with poppler's tools what a reader gets: every note's text and every zone label of
 * the chosen language as selectable text, the page count the layout promises, footers, embedded
 * fonts, paper sizes, other tldraw content, odd records; and renders each page kind to
 * `e2e/screenshots/pdf-<lang>-<kind>.png` to be looked at.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { balanceWarningMessage, emptyZoneMessage, templateZones, zoneLabel } from '../../shared/domain/index.ts'
import { LANGUAGES, t, type Language } from '../../shared/i18n/index.ts'
import { exportInputFromStored, type ExportInput } from './input.ts'
import { PAGE_SIZES, renderBoardPdf, renderBoardPdfWithLayout, type PdfLayout } from './pdf/index.ts'
import { bigBoardInput, boardWithExtras, EXTRA } from './pdf/testShapes.ts'
import { BOARD_TITLE, OUTSIDE_TEXT, seededBoard } from './test/seededBoard.ts'

const TMP = join(process.cwd(), '.tmp', 'pdf-test')
const SHOTS = join(process.cwd(), 'e2e', 'screenshots')
mkdirSync(TMP, { recursive: true })
mkdirSync(SHOTS, { recursive: true })

const GENERATED_AT = '2026-11-20T12:00:00.000Z'
const seed = seededBoard()

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
/** Whitespace collapsed (wrapped lines come out of pdftotext on separate lines). */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim()
const text = (file: string, ...args: string[]) => norm(run('pdftotext', [...args, file, '-']))
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))![1])

async function inputFor(update: Uint8Array, language: Language): Promise<ExportInput> {
  return exportInputFromStored({ snapshot: update, updates: [] }, { boardId: 'pdf-test', language, generatedAt: GENERATED_AT })
}

describe.each(LANGUAGES.map((l) => l.code))('PDF of the seeded board in %s', (lang) => {
  const file = join(TMP, `seeded-${lang}.pdf`)
  let input: ExportInput
  let layout: PdfLayout
  let plain: string
  let laid: string

  beforeAll(async () => {
    input = await inputFor(seed.update, lang)
    const out = await renderBoardPdfWithLayout(input, { paper: 'a4' })
    layout = out.layout
    writeFileSync(file, out.bytes)
    plain = text(file)
    laid = text(file, '-layout')
  })

  it('has the overview, one page per template and the report pages, as the layout says', () => {
    expect(layout.templates).toEqual(['pyramid-1', 'roleMap-1', 'staircase-1', 'actionPlan-1'])
    expect(layout.reportPages).toBeGreaterThanOrEqual(1)
    expect(layout.pages).toBe(1 + 4 + layout.reportPages)
    expect(pageCount(file)).toBe(layout.pages)
  })

  it('holds every note text as selectable text (with and without -layout)', () => {
    expect(seed.noteTexts.length).toBeGreaterThan(30)
    for (const note of new Set(seed.noteTexts)) {
      expect(plain, note).toContain(norm(note))
      expect(laid, note).toContain(norm(note))
    }
    expect(plain).toContain(OUTSIDE_TEXT)
  })

  it('names every zone of every template in the chosen language, and the template titles', () => {
    for (const kind of ['pyramid', 'roleMap', 'staircase', 'actionPlan'] as const) {
      for (const z of templateZones(kind)) {
        const label = zoneLabel(kind, z.id, lang)!
        expect(plain, `${kind}.${z.id}`).toContain(norm(label))
      }
    }
    for (const tpl of input.summary.templates) expect(plain).toContain(norm(tpl.title))
    // The board page of each template shows its own title (page 2 = the first template).
    layout.templates.forEach((_, i) => {
      const page = text(file, '-f', String(i + 2), '-l', String(i + 2))
      expect(page).toContain(norm(input.summary.templates[i]!.title))
    })
  })

  it('puts the board title and "page N of M" in every footer', () => {
    for (let p = 1; p <= layout.pages; p++) {
      const page = text(file, '-f', String(p), '-l', String(p))
      expect(page, `page ${p}`).toContain(norm(BOARD_TITLE))
      expect(page, `page ${p}`).toContain(norm(t(lang, 'repPageOf', { page: p, pages: layout.pages })))
    }
  })

  it('reports participants by side, ratings, votes, balance and coverage gaps in the chosen language', () => {
    const report = text(file, '-f', String(1 + 4 + 1), '-l', String(layout.pages))
    expect(report).toContain(norm(t(lang, 'repParticipantsBySide')))
    for (const name of ['Anna Virtanen', 'Mart Tamm', 'Ольга Смирнова', 'Jussi Mäkelä']) expect(report).toContain(name)
    expect(report).toContain(norm(t(lang, 'repVoteResults')))
    expect(report).toContain(norm(t(lang, 'repDisagreements')))
    expect(report).toContain(norm(t(lang, 'balance')))
    expect(report).toContain(norm(t(lang, 'balanceEven')))
    expect(report).toContain(norm(t(lang, 'repCoverageGaps')))
    expect(input.summary.coverage.emptyZones.length).toBeGreaterThan(0)
    for (const z of input.summary.coverage.emptyZones) expect(report).toContain(norm(emptyZoneMessage(z, lang)))
    // The staircase gap: the provider rates "Differentiation" 5, the customer 1.
    expect(report).toContain(norm(t(lang, 'gapPoints', { gap: 4 })))
    // Action plan table: headers and a due date as the language writes it.
    expect(report).toContain(norm(t(lang, 'actionOwnerSide')))
    expect(report).toContain(norm(t(lang, 'actionDue')))
  })

  it('embeds IBM Plex Sans and Shantell Sans', () => {
    const fonts = run('pdffonts', [file])
      .split('\n')
      .filter((l) => /Plex|Shantell/.test(l))
    const embedded = (name: string) => fonts.some((l) => l.includes(name) && /\byes\s+yes\s+yes\b/.test(l))
    for (const name of ['IBMPlexSans-Regular', 'IBMPlexSans-Medium', 'IBMPlexSans-Bold', 'ShantellSans-Medium']) expect(embedded(name), name).toBe(true)
  })

  it('renders each page kind to e2e/screenshots (looked at by a person)', () => {
    const shots: [string, number][] = [
      ['overview', 1],
      ['template', 2],
      ['report', 1 + 4 + 1],
    ]
    for (const [kind, page] of shots) {
      const prefix = join(SHOTS, `pdf-${lang}-${kind}`)
      run('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', String(page), '-l', String(page), file, prefix])
    }
  })
})

describe('PDF paper sizes', () => {
  it('prints landscape A4 and Letter', async () => {
    const input = await inputFor(seed.update, 'en')
    for (const paper of ['a4', 'letter'] as const) {
      const file = join(TMP, `paper-${paper}.pdf`)
      writeFileSync(file, await renderBoardPdf(input, { paper }))
      const info = run('pdfinfo', [file])
      const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!
      expect(Number(w)).toBeCloseTo(PAGE_SIZES[paper].w, 1)
      expect(Number(h)).toBeCloseTo(PAGE_SIZES[paper].h, 1)
      expect(Number(w)).toBeGreaterThan(Number(h))
    }
  })
})

describe('PDF of other tldraw content and odd records', () => {
  const file = join(TMP, 'extras-fi.pdf')
  let plain: string
  let layout: PdfLayout

  beforeAll(async () => {
    const input = await inputFor(boardWithExtras(seed.update, { odd: true }), 'fi')
    const out = await renderBoardPdfWithLayout(input, { paper: 'a4' })
    layout = out.layout
    writeFileSync(file, out.bytes)
    plain = text(file)
    run('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', '1', '-l', '1', file, join(SHOTS, 'pdf-fi-extras-overview')])
  })

  it('draws text shapes, frame names, arrow labels, geo labels and image placeholders, never dropping them', () => {
    for (const s of [EXTRA.text, EXTRA.frame, EXTRA.arrow, EXTRA.geoLabel]) expect(plain, s).toContain(s)
    expect(plain).toContain(t('fi', 'repImage'))
    expect(plain).toContain('https://example.com/arvo')
  })

  it('shrinks long notes to fit instead of clipping or hyphenating them', () => {
    expect(plain).toContain(norm(EXTRA.longNote))
    expect(plain).toContain(EXTRA.longWord)
  })

  it('still counts its pages: the extras are outside every template', () => {
    expect(layout.templates).toHaveLength(4)
    expect(pageCount(file)).toBe(1 + 4 + layout.reportPages)
  })

  it('renders records that are not records at all without throwing', async () => {
    const input = await inputFor(seed.update, 'en')
    const junk: ExportInput = {
      ...input,
      records: [null, 1, 'x', { typeName: 'shape' }, { typeName: 'shape', id: 'shape:a', type: 'note', x: 0, y: 0, rotation: 0, parentId: 'page:page', props: { richText: 5 } }],
      summary: { ...input.summary, title: null },
    }
    const bytes = await renderBoardPdf(junk, { paper: 'letter' })
    const f = join(TMP, 'junk.pdf')
    writeFileSync(f, bytes)
    expect(text(f)).toContain(t('en', 'repFallbackTitle'))
  })
})

describe('PDF report of a busy board', () => {
  it('shows the balance warning and its hint when one side carries too much', async () => {
    const input = await inputFor(seed.update, 'fi')
    const balance = { ...input.summary.balance, warning: { side: 'provider' as const, pct: 82 } }
    const file = join(TMP, 'warning-fi.pdf')
    writeFileSync(file, await renderBoardPdf({ ...input, summary: { ...input.summary, balance } }, { paper: 'a4' }))
    const all = text(file)
    expect(all).toContain(norm(balanceWarningMessage(balance, 'fi')!))
    expect(all).toContain(norm(t('fi', 'balanceHintProvider')))
    expect(all).not.toContain(norm(t('fi', 'balanceEven')))
  })

  it('renders a 500-note board: every note found, tables continue on the next page with their header row', async () => {
    const input = bigBoardInput(500, 'en')
    const file = join(TMP, 'big-en.pdf')
    const out = await renderBoardPdfWithLayout(input, { paper: 'letter' })
    writeFileSync(file, out.bytes)
    expect(pageCount(file)).toBe(1 + 4 + out.layout.reportPages)
    const all = text(file)
    for (const n of input.summary.notes) expect(all, n.text).toContain(norm(n.text))
    // The action plan's table (a note per row) spans pages: each of them starts with the header row.
    const header = norm([t('en', 'repWay'), t('en', 'repWhat'), t('en', 'actionOwnerSide'), t('en', 'actionOwner'), t('en', 'actionDue')].join(' '))
    const withHeader = Array.from({ length: out.layout.pages }, (_, i) => text(file, '-f', String(i + 1), '-l', String(i + 1))).filter((p) => p.includes(header))
    expect(withHeader.length).toBeGreaterThanOrEqual(2)
    run('pdftoppm', ['-r', '60', '-png', '-singlefile', '-f', '5', '-l', '5', file, join(SHOTS, 'pdf-en-big-template')])
  }, 60_000)
})
