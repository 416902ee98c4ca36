/**
 * The outcome report pages: a flowing layout (headings, paragraphs, tables whose header row
 * repeats after a page break) over the summary in the chosen language. Labels come from the
 * catalogue (`shared/i18n/catalogues/report.ts` and the insight texts the board panel shows);
 * notes are printed as written.
 */
import {
  ACTION_COLUMNS,
  ACTION_WAYS,
  balanceWarningMessage,
  emptyZoneMessage,
  ROLE_COLUMNS,
  ROLE_ROWS,
  STAIRCASE_STEPS,
  templateTitle,
  templateZones,
  zoneLabel,
  type TemplateKind,
} from '../../../shared/domain/index.ts'
import { sideName, t, type Language } from '../../../shared/i18n/index.ts'
import type { Side } from '../../../shared/protocol.ts'
import type { ExportInput } from '../input.ts'
import { formatDate } from './board.ts'
import { FONT, type FontName } from './fonts.ts'
import { INK, MUTED, RULE, SIDE_INK, color, SIDE_NOTE_COLOR } from './palette.ts'
import { drawText, measureHeight, type Align } from './text.ts'

type Doc = PDFKit.PDFDocument
type Note = ExportInput['summary']['notes'][number]

/** The printable area of a report page. */
export interface Frame {
  x: number
  y: number
  w: number
  /** Bottom of the content (the footer lies below). */
  bottom: number
}

const BODY = 9.5
const SMALL = 8.5

interface Cell {
  text: string
  font?: FontName
  size?: number
  color?: string
  /** A side's colour chip left of the text. */
  side?: Side | null
  fill?: string
}

interface Column {
  header: string
  /** Share of the table's width. */
  width: number
  align?: Align
}

/** A flowing layout over report pages; `newPage` adds one and returns its frame. */
class Flow {
  y: number
  constructor(
    readonly doc: Doc,
    private frame: Frame,
    private readonly newPage: () => Frame,
  ) {
    this.y = frame.y
  }

  get x() {
    return this.frame.x
  }
  get w() {
    return this.frame.w
  }

  /** Starts a new page unless `h` fits below the cursor. */
  ensure(h: number): boolean {
    if (this.y + h <= this.frame.bottom) return false
    this.frame = this.newPage()
    this.y = this.frame.y
    return true
  }

  space(h: number) {
    this.y += h
  }

  heading(text: string, level: 1 | 2 | 3, keepWith = 60) {
    const size = level === 1 ? 20 : level === 2 ? 14 : 11
    const style = { font: FONT.bold, size, color: INK, lineHeight: 1.25 }
    const h = measureHeight(this.doc, text, this.w, style)
    this.space(level === 1 ? 0 : level === 2 ? 10 : 6)
    this.ensure(h + keepWith)
    drawText(this.doc, text, this.x, this.y, this.w, style)
    this.y += h + (level === 3 ? 2 : 4)
    if (level === 2) {
      this.doc.moveTo(this.x, this.y).lineTo(this.x + this.w, this.y).lineWidth(0.6).strokeColor(RULE).stroke()
      this.y += 5
    }
  }

  paragraph(text: string, opts: { font?: FontName; size?: number; color?: string; indent?: number } = {}) {
    const style = { font: opts.font ?? FONT.regular, size: opts.size ?? BODY, color: opts.color ?? INK, lineHeight: 1.35 }
    const indent = opts.indent ?? 0
    const h = measureHeight(this.doc, text, this.w - indent, style)
    this.ensure(h)
    drawText(this.doc, text, this.x + indent, this.y, this.w - indent, style)
    this.y += h + 2
  }

  /** A callout box (the balance warning). */
  callout(lines: string[], ink: string, fill: string) {
    const style = { font: FONT.medium, size: BODY, color: INK, lineHeight: 1.35 }
    const pad = 7
    const heights = lines.map((l, i) => measureHeight(this.doc, l, this.w - 2 * pad - 4, { ...style, font: i === 0 ? FONT.bold : FONT.regular }))
    const h = heights.reduce((a, b) => a + b, 0) + 2 * pad + (lines.length - 1) * 2
    this.ensure(h)
    this.doc.rect(this.x, this.y, this.w, h).fillColor(fill).fill()
    this.doc.rect(this.x, this.y, 4, h).fillColor(ink).fill()
    let y = this.y + pad
    lines.forEach((l, i) => {
      drawText(this.doc, l, this.x + pad + 4, y, this.w - 2 * pad - 4, { ...style, font: i === 0 ? FONT.bold : FONT.regular })
      y += heights[i]! + 2
    })
    this.y += h + 4
  }

  /** A table; its header row is drawn again at the top of every page it continues on. */
  table(columns: Column[], rows: Cell[][], opts: { headerFill?: string; header?: boolean } = {}) {
    const doc = this.doc
    const total = columns.reduce((s, c) => s + c.width, 0)
    const widths = columns.map((c) => (c.width / total) * this.w)
    const padX = 4
    const padY = 3
    const chip = 7
    const cellStyle = (c: Cell, header: boolean) => ({
      font: c.font ?? (header ? FONT.bold : FONT.regular),
      size: c.size ?? (header ? SMALL : BODY),
      color: c.color ?? (header ? MUTED : INK),
      lineHeight: 1.3,
    })
    const textW = (i: number, c: Cell) => Math.max(4, widths[i]! - 2 * padX - (c.side ? chip + 3 : 0))
    const rowHeight = (cells: Cell[], header: boolean) =>
      Math.max(...cells.map((c, i) => (c.text ? measureHeight(doc, c.text, textW(i, c), cellStyle(c, header)) : 0)), BODY) + 2 * padY
    const drawRow = (cells: Cell[], header: boolean, h: number) => {
      let x = this.x
      if (header) doc.rect(this.x, this.y, this.w, h).fillColor(opts.headerFill ?? '#f3f4f6').fill()
      cells.forEach((c, i) => {
        const w = widths[i]!
        if (c.fill) doc.rect(x, this.y, w, h).fillColor(c.fill).fill()
        let tx = x + padX
        if (c.side) {
          doc.roundedRect(tx, this.y + padY + 2, chip, chip, 1.5).fillColor(SIDE_INK[c.side]).fill()
          tx += chip + 3
        }
        if (c.text) drawText(doc, c.text, tx, this.y + padY, textW(i, c), { ...cellStyle(c, header), align: columns[i]!.align ?? 'left' })
        x += w
      })
      doc.moveTo(this.x, this.y + h).lineTo(this.x + this.w, this.y + h).lineWidth(header ? 0.8 : 0.4).strokeColor(RULE).stroke()
      this.y += h
    }
    const withHeader = opts.header !== false
    const header: Cell[] = columns.map((c) => ({ text: c.header }))
    const headerH = withHeader ? rowHeight(header, true) : 0
    const firstH = rows[0] ? rowHeight(rows[0], false) : 0
    this.ensure(headerH + firstH)
    if (withHeader) drawRow(header, true, headerH)
    for (const row of rows) {
      const h = rowHeight(row, false)
      if (this.ensure(h) && withHeader) drawRow(header, true, headerH)
      drawRow(row, false, h)
    }
    this.y += 6
  }
}

/** The export's date in words ("20 November 2026", "20. marraskuuta 2026"). */
function longDate(iso: string, lang: Language): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const locale = lang === 'en' ? 'en-GB' : lang
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d)
  } catch {
    return iso.slice(0, 10)
  }
}

const SIDES: readonly Side[] = ['provider', 'customer']

function authorOf(n: Note, lang: Language): string {
  return n.authorName?.trim() || t(lang, 'repUnknownAuthor')
}

/** Rows "note | author" of one zone's notes, provider first. */
function noteRows(notes: Note[], lang: Language): Cell[][] {
  const sorted = [...notes].sort((a, b) => SIDES.indexOf(a.side ?? 'provider') - SIDES.indexOf(b.side ?? 'provider'))
  return sorted.map((n) => [
    { text: n.text || '—', side: n.side },
    { text: n.side ? `${authorOf(n, lang)} · ${sideName(lang, n.side)}` : authorOf(n, lang), color: MUTED, size: SMALL },
  ])
}

/** Renders the report pages into `doc` (the first page is added here). */
export function drawReport(doc: Doc, input: ExportInput, newPage: () => Frame): void {
  const lang = input.language
  const s = input.summary
  const L = (key: Parameters<typeof t>[1], args?: Record<string, string | number>) => t(lang, key, args as never)
  const flow = new Flow(doc, newPage(), newPage)
  const title = s.title?.trim() || L('repFallbackTitle')

  flow.heading(title, 1)
  flow.paragraph(`${L('repReportTitle')} · ${L('repExportedOn', { date: longDate(input.generatedAt, lang) })}`, { color: MUTED, font: FONT.medium })
  flow.space(4)

  // Participants by side
  flow.heading(L('repParticipantsBySide'), 2)
  {
    const people = s.balance.people
    const cols = SIDES.map((side) => {
      const mine = people.filter((p) => p.side === side)
      return mine.length
        ? mine.map((p) => `${p.authorName || t(lang, 'repUnknownAuthor')} (${t(lang, 'repNotesCount', { count: p.notes })})`).join('\n')
        : L('repNobodyYet')
    })
    flow.table(
      SIDES.map((side) => ({ header: sideName(lang, side), width: 1 })),
      [cols.map((text, i) => ({ text, side: SIDES[i] }))],
    )
  }

  // Per template
  const notesOf = (instance: string) => s.notes.filter((n) => n.instance === instance)
  for (const inst of s.templates) {
    const notes = notesOf(inst.instance)
    flow.heading(inst.title || templateTitle(inst.template, lang), 2)
    drawTemplateSection(flow, inst.template, inst.instance, notes, input)
  }

  // Vote results
  flow.heading(L('repVoteResults'), 2)
  const vote = s.vote
  if (!vote) flow.paragraph(L('repNoVote'), { color: MUTED })
  else {
    flow.paragraph(L('repVoteIntro', { dots: vote.dots, provider: vote.voters.provider, customer: vote.voters.customer }), { color: MUTED })
    const noteSide = new Map(s.notes.map((n) => [n.id, n]))
    flow.table(
      [
        { header: L('repRank'), width: 0.5, align: 'right' },
        { header: L('repNote'), width: 5 },
        { header: sideName(lang, 'provider'), width: 1, align: 'right' },
        { header: sideName(lang, 'customer'), width: 1, align: 'right' },
        { header: L('repTotal'), width: 0.8, align: 'right' },
      ],
      vote.ranked.map((e, i) => [
        { text: String(i + 1), color: MUTED },
        { text: e.text || '—', side: noteSide.get(e.noteId)?.side ?? null },
        { text: String(e.provider), color: SIDE_INK.provider, font: FONT.medium },
        { text: String(e.customer), color: SIDE_INK.customer, font: FONT.medium },
        { text: String(e.total), font: FONT.bold },
      ]),
    )
    flow.heading(L('repDisagreements'), 3, 60)
    if (vote.disagreements.length === 0) flow.paragraph(L('repNoDisagreements'), { color: MUTED })
    else {
      const cast = { provider: 0, customer: 0 }
      for (const e of vote.ranked) {
        cast.provider += e.provider
        cast.customer += e.customer
      }
      const pct = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 100) : 0)
      flow.table(
        [
          { header: L('repNote'), width: 3 },
          { header: L('gap'), width: 3 },
        ],
        vote.disagreements.map((d) => [
          { text: d.text || '—', side: noteSide.get(d.noteId)?.side ?? null },
          { text: L('repDisagreementLine', { provider: pct(d.provider, cast.provider), customer: pct(d.customer, cast.customer) }), color: MUTED },
        ]),
      )
    }
  }

  // Contribution balance
  flow.heading(L('balance'), 2)
  const b = s.balance
  if (b.total === 0) flow.paragraph(L('noContributionsYet'), { color: MUTED })
  else {
    drawBalanceBar(flow, b.provider.share, lang)
    const warning = balanceWarningMessage(b, lang)
    if (warning && b.warning) {
      flow.callout([warning, L(b.warning.side === 'provider' ? 'balanceHintProvider' : 'balanceHintCustomer')], '#b91c1c', '#fef2f2')
    } else flow.paragraph(L('balanceEven'), { color: MUTED })
    flow.table(
      [
        { header: L('repPerson'), width: 3 },
        { header: L('repSide'), width: 2 },
        { header: L('notes'), width: 1, align: 'right' },
        { header: L('edits'), width: 1, align: 'right' },
        { header: L('contributions'), width: 1.4, align: 'right' },
      ],
      b.people.map((p) => [
        { text: p.authorName || t(lang, 'repUnknownAuthor'), side: p.side },
        { text: sideName(lang, p.side), color: MUTED },
        { text: String(p.notes) },
        { text: String(p.edits) },
        { text: String(p.contributions), font: FONT.medium },
      ]),
    )
    if (b.unattributedNotes > 0) flow.paragraph(L('unattributedNotes', { count: b.unattributedNotes }), { color: MUTED })
  }

  // Coverage gaps
  flow.heading(L('repCoverageGaps'), 2)
  const cov = s.coverage
  if (cov.emptyZones.length === 0) flow.paragraph(L('repNoGaps'), { color: MUTED })
  else for (const z of cov.emptyZones) flow.paragraph(`•  ${emptyZoneMessage(z, lang)}`, { indent: 4 })
  flow.space(4)
  for (const inst of s.templates) {
    const zones = cov.zones.filter((z) => z.instance === inst.instance)
    if (zones.length === 0) continue
    flow.heading(`${L('coverage')} — ${inst.title}`, 3, 60)
    flow.table(
      [
        { header: L('repZone'), width: 5 },
        { header: sideName(lang, 'provider'), width: 1, align: 'right' },
        { header: sideName(lang, 'customer'), width: 1, align: 'right' },
        { header: L('repTotal'), width: 0.8, align: 'right' },
      ],
      zones.map((z) => [
        { text: z.label, color: z.total === 0 ? '#b91c1c' : INK },
        { text: String(z.provider) },
        { text: String(z.customer) },
        { text: String(z.total), font: FONT.medium },
      ]),
    )
  }

  // Notes outside the templates
  const outside = s.notes.filter((n) => !n.instance)
  if (outside.length > 0) {
    flow.heading(L('repOutsideTemplates'), 2)
    flow.table([{ header: L('repNote'), width: 3 }, { header: L('repPerson'), width: 1.4 }], noteRows(outside, lang))
  }
}

function drawBalanceBar(flow: Flow, providerShare: number, lang: Language) {
  const doc = flow.doc
  const h = 12
  flow.ensure(h + 26)
  const pw = flow.w * providerShare
  doc.rect(flow.x, flow.y, flow.w, h).fillColor(color(SIDE_NOTE_COLOR.customer).noteFill).fill()
  doc.rect(flow.x, flow.y, pw, h).fillColor(color(SIDE_NOTE_COLOR.provider).noteFill).fill()
  flow.y += h + 3
  const pct = (v: number) => Math.round(v * 100)
  const left = `${sideName(lang, 'provider')}: ${t(lang, 'repShareLine', { pct: pct(providerShare) })}`
  const right = `${sideName(lang, 'customer')}: ${t(lang, 'repShareLine', { pct: 100 - pct(providerShare) })}`
  drawText(doc, left, flow.x, flow.y, flow.w / 2, { font: FONT.medium, size: BODY, color: SIDE_INK.provider })
  drawText(doc, right, flow.x + flow.w / 2, flow.y, flow.w / 2, { font: FONT.medium, size: BODY, color: SIDE_INK.customer, align: 'right' })
  flow.y += 18
}

function drawZoneLists(flow: Flow, kind: TemplateKind, notes: Note[], lang: Language, zoneIds: readonly string[]) {
  for (const zone of zoneIds) {
    const mine = notes.filter((n) => n.zone === zone)
    const label = zoneLabel(kind, zone, lang) ?? zone
    flow.heading(`${label} · ${t(lang, 'repNotesCount', { count: mine.length })}`, 3, mine.length ? 34 : 16)
    if (mine.length === 0) flow.paragraph(t(lang, 'repNoNotesInZone'), { color: MUTED, size: SMALL, indent: 4 })
    else flow.table([{ header: t(lang, 'repNote'), width: 3 }, { header: t(lang, 'repPerson'), width: 1.4 }], noteRows(mine, lang), { header: false })
  }
}

function drawTemplateSection(flow: Flow, kind: TemplateKind, instance: string, notes: Note[], input: ExportInput) {
  const lang = input.language
  const known = new Set(templateZones(kind).map((z) => z.id))
  switch (kind) {
    case 'pyramid':
    case 'staircase': {
      if (kind === 'staircase') {
        const gaps = new Map(input.summary.perceptionGap.filter((g) => g.instance === instance).map((g) => [g.step, g]))
        const rating = (v: number | null) => (v === null ? t(lang, 'notRated') : `${v}/5`)
        flow.heading(t(lang, 'repRatingsAndGap'), 3, 60)
        flow.table(
          [
            { header: t(lang, 'step'), width: 2.2 },
            { header: sideName(lang, 'provider'), width: 1 },
            { header: sideName(lang, 'customer'), width: 1 },
            { header: t(lang, 'gap'), width: 2.4 },
          ],
          STAIRCASE_STEPS.map((step, i) => {
            const g = gaps.get(step.id)
            const gapText =
              g && g.gap !== null
                ? g.gap === 0
                  ? t(lang, 'repRatedEqual')
                  : `${t(lang, 'gapPoints', { gap: g.gap })} — ${t(lang, 'repHigherSide', { side: sideName(lang, g.higher as Side) })}`
                : '—'
            return [
              { text: `${i + 1} · ${step.label[lang]}`, font: FONT.medium },
              { text: rating(g?.provider ?? null), color: SIDE_INK.provider, font: FONT.bold },
              { text: rating(g?.customer ?? null), color: SIDE_INK.customer, font: FONT.bold },
              { text: gapText, color: g?.gap ? INK : MUTED, font: (g?.gap ?? 0) >= 2 ? FONT.bold : FONT.regular },
            ]
          }),
        )
      }
      drawZoneLists(flow, kind, notes, lang, templateZones(kind).map((z) => z.id))
      break
    }
    case 'roleMap': {
      const cellFor = (zone: string): Cell => {
        const mine = notes.filter((n) => n.zone === zone)
        if (mine.length === 0) return { text: '—', color: MUTED }
        return { text: mine.map((n) => `• ${n.text}\n   ${authorOf(n, lang)}${n.side ? ` · ${sideName(lang, n.side)}` : ''}`).join('\n') }
      }
      flow.table(
        [{ header: t(lang, 'repStage'), width: 1.2 }, ...ROLE_COLUMNS.map((c) => ({ header: c.label[lang], width: 2 }))],
        ROLE_ROWS.map((row) => [
          { text: row.label[lang], font: FONT.bold, size: SMALL },
          ...ROLE_COLUMNS.map((c) => ({ ...cellFor(`${row.id}.${c.id}`), size: SMALL })),
        ]),
      )
      break
    }
    case 'actionPlan': {
      const wayIndex = (zone: string | null) => ACTION_WAYS.findIndex((w) => zone?.startsWith(`${w.id}.`))
      const rows = notes
        .map((n) => ({ n, way: wayIndex(n.zone) }))
        .sort((a, b) => a.way - b.way)
        .map(({ n, way }) => {
          const col = n.zone ? ACTION_COLUMNS.find((c) => n.zone === `${ACTION_WAYS[way]?.id}.${c.id}`) : undefined
          const wayText = `${way >= 0 ? ACTION_WAYS[way]!.short[lang] : '—'}${col && col.id !== 'action' ? ` · ${col.label[lang]}` : ''}`
          return [
            { text: wayText, color: MUTED, size: SMALL },
            { text: n.text || '—', side: n.side },
            { text: n.ownerSide ? sideName(lang, n.ownerSide) : '—', color: n.ownerSide ? SIDE_INK[n.ownerSide] : MUTED, font: n.ownerSide ? FONT.medium : FONT.regular },
            { text: n.owner ?? '—', color: n.owner ? INK : MUTED },
            { text: n.due ? formatDate(n.due, lang) : '—', color: n.due ? INK : MUTED },
          ] satisfies Cell[]
        })
      if (rows.length === 0) flow.paragraph(t(lang, 'repNoActions'), { color: MUTED })
      else
        flow.table(
          [
            { header: t(lang, 'repWay'), width: 1.8 },
            { header: t(lang, 'repWhat'), width: 3.2 },
            { header: t(lang, 'actionOwnerSide'), width: 1.3 },
            { header: t(lang, 'actionOwner'), width: 1.5 },
            { header: t(lang, 'actionDue'), width: 1.1 },
          ],
          rows,
        )
      break
    }
    default:
      drawZoneLists(flow, kind, notes, lang, [...known])
  }
}
