/**
 * The board and its outcome as a PDF, drawn on the server from the stored records with pdfkit
 * (no browser): page 1 the whole board, then one page per template instance, then the outcome
 * report; the board title and "page N of M" in every footer. Fonts embedded (IBM Plex Sans,
 * Shantell Sans for notes). See `../CONTEXT.md`.
 */
import PDFDocument from 'pdfkit'
import { t } from '../../../shared/i18n/index.ts'
import type { ExportInput } from '../input.ts'
import { buildScene, drawScene, fitView } from './board.ts'
import { FONT, parsedFonts } from './fonts.ts'
import { color, INK, MUTED, RULE, SIDE_NOTE_COLOR } from './palette.ts'
import { drawReport, type Frame } from './report.ts'
import { drawFittedLine } from './text.ts'

export type Paper = 'a4' | 'letter'

export interface PdfOptions {
  paper: Paper
}

/** Landscape page sizes in points. */
export const PAGE_SIZES: Readonly<Record<Paper, { w: number; h: number }>> = {
  a4: { w: 841.89, h: 595.28 },
  letter: { w: 792, h: 612 },
}

const MARGIN = 28
const HEADER_H = 24
const FOOTER_H = 18

/** What a rendered PDF holds, page by page. */
export interface PdfLayout {
  pages: number
  overview: 1
  /** Template instances, one page each, in board order. */
  templates: string[]
  reportPages: number
}

/** The whole PDF (board pages, overview, outcome report) as bytes. */
export async function renderBoardPdf(input: ExportInput, opts: PdfOptions): Promise<Uint8Array> {
  return (await renderBoardPdfWithLayout(input, opts)).bytes
}

/** {@link renderBoardPdf} plus the page layout it produced (tests and the bench read it). */
export async function renderBoardPdfWithLayout(input: ExportInput, opts: PdfOptions): Promise<{ bytes: Uint8Array; layout: PdfLayout }> {
  const paper = PAGE_SIZES[opts.paper] ? opts.paper : 'a4'
  const size = PAGE_SIZES[paper]
  const lang = input.language
  const title = input.summary.title?.trim() || t(lang, 'repFallbackTitle')
  const doc = new PDFDocument({
    size: [size.w, size.h],
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    info: { Title: title, Creator: 'Arvo', Producer: 'Arvo (pdfkit)', CreationDate: validDate(input.generatedAt) },
    lang,
    displayTitle: true,
  })
  for (const [name, font] of parsedFonts()) doc.registerFont(name, font as Buffer)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve())
    doc.on('error', reject)
  })

  const scene = buildScene(input)
  const area = { x: MARGIN, y: MARGIN + HEADER_H, w: size.w - 2 * MARGIN, h: size.h - 2 * MARGIN - HEADER_H - FOOTER_H }

  // Page 1: the whole board.
  doc.addPage()
  pageHeading(doc, t(lang, 'repOverview'), size.w, true, lang)
  if (scene.bounds) drawScene(doc, scene, fitView(pad(scene.bounds, 40), area))

  // One page per template instance.
  const templates: string[] = []
  for (const inst of input.summary.templates) {
    const bounds = scene.instanceBounds.get(inst.instance)
    if (!bounds) continue
    templates.push(inst.instance)
    doc.addPage()
    pageHeading(doc, inst.title, size.w, false, lang)
    drawScene(doc, scene, fitView(pad(bounds, 20), area))
  }

  // The outcome report.
  const before = doc.bufferedPageRange().count
  const newPage = (): Frame => {
    doc.addPage()
    return { x: MARGIN + 12, y: MARGIN, w: size.w - 2 * MARGIN - 24, bottom: size.h - MARGIN - FOOTER_H - 4 }
  }
  drawReport(doc, input, newPage)
  const pages = doc.bufferedPageRange().count
  const reportPages = pages - before

  // Footers: title and page numbers on every page.
  for (let i = 0; i < pages; i++) {
    doc.switchToPage(i)
    const y = size.h - MARGIN - FOOTER_H + 6
    doc.moveTo(MARGIN, y - 4).lineTo(size.w - MARGIN, y - 4).lineWidth(0.5).strokeColor(RULE).stroke()
    const pageText = t(lang, 'repPageOf', { page: i + 1, pages })
    drawFittedLine(doc, title, MARGIN, y, size.w * 0.62, { font: FONT.medium, size: 8, color: MUTED }, 5)
    drawFittedLine(doc, pageText, size.w - MARGIN - 160, y, 160, { font: FONT.medium, size: 8, color: MUTED, align: 'right' }, 5)
  }
  doc.end()
  await done
  const bytes = Buffer.concat(chunks)
  return {
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    layout: { pages, overview: 1, templates, reportPages },
  }
}

function validDate(iso: string): Date {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? new Date(0) : d
}

function pad(r: { x: number; y: number; w: number; h: number }, by: number) {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by }
}

/** A board page's heading; the overview also shows the legend of the sides' note colours. */
function pageHeading(doc: PDFKit.PDFDocument, text: string, pageW: number, legend: boolean, lang: ExportInput['language']): void {
  const legendW = legend ? 250 : 0
  // Template pages: the template draws its own title; the heading only says where we are.
  const style = legend ? { font: FONT.bold, size: 13, color: INK } : { font: FONT.medium, size: 9, color: MUTED }
  drawFittedLine(doc, text, MARGIN, MARGIN + (legend ? 0 : 3), pageW - 2 * MARGIN - legendW, style, 7)
  if (!legend) return
  let x = pageW - MARGIN - legendW
  for (const side of ['provider', 'customer'] as const) {
    doc.rect(x, MARGIN + 3, 10, 10).fillColor(color(SIDE_NOTE_COLOR[side]).noteFill).fill()
    const label = t(lang, side === 'provider' ? 'legendProviderNotes' : 'legendCustomerNotes')
    drawFittedLine(doc, label, x + 14, MARGIN + 2, legendW / 2 - 18, { font: FONT.medium, size: 9, color: INK }, 6)
    x += legendW / 2
  }
}
