/**
 * Text on the PDF: fonts by tldraw font style, tldraw's size factors, drawing wrapped text
 * at a line height of 1.35 (tldraw's), and fitting a note's text inside the note by shrinking
 * the font (as the canvas does) instead of clipping or hyphenating.
 */
import { FONT, type FontName } from './fonts.ts'

/** tldraw's base font size (theme `fontSize`). */
export const BASE_PX = 16
/** tldraw's line height. */
export const LINE_HEIGHT = 1.35
/** `text` shape size factors (tldraw `FONT_SIZES`). */
export const TEXT_FACTOR: Readonly<Record<string, number>> = { s: 1.125, m: 1.5, l: 2.25, xl: 2.75 }
/** Geo, note and arrow label size factors (tldraw `LABEL_FONT_SIZES`). */
export const LABEL_FACTOR: Readonly<Record<string, number>> = { s: 1.125, m: 1.375, l: 1.625, xl: 2 }
/** Stroke widths by size (tldraw `STROKE_SIZES` × 2). */
export const STROKE: Readonly<Record<string, number>> = { s: 2, m: 3.5, l: 5, xl: 10 }
/** Padding around geo and note labels (tldraw `LABEL_PADDING`). */
export const LABEL_PADDING = 16

export const factor = (table: Readonly<Record<string, number>>, size: unknown): number =>
  (typeof size === 'string' && table[size]) || table.m!

/** The embedded font that draws a tldraw font style (`draw` is Shantell Sans, as on the canvas). */
export function fontFor(style: unknown, bold: boolean): FontName {
  if (style === 'draw') return FONT.note
  return bold ? FONT.bold : FONT.medium
}

export type Align = 'left' | 'center' | 'right'

/** tldraw alignment names (`start`, `middle`, `end`, `*-legacy`) as pdfkit's. */
export function alignOf(value: unknown): Align {
  const v = typeof value === 'string' ? value.replace(/-legacy$/, '') : ''
  return v === 'start' ? 'left' : v === 'end' ? 'right' : 'center'
}

export interface TextStyle {
  font: FontName
  size: number
  color: string
  align?: Align
  lineHeight?: number
}

/**
 * Most characters of one text the PDF lays out (the rest is cut, with "…"). pdfkit's wrapping
 * costs grow with the text (and fitting a note measures it up to 40 times); a board's texts are
 * untrusted, and the whole text stays in the CSV, Markdown and JSON exports.
 */
export const MAX_PDF_TEXT = 5000
/** Most characters of a single line (titles, names, labels: shrunk to fit, unreadable beyond). */
export const MAX_PDF_LINE = 400
/**
 * Runs of at least this many characters without white space are split to the line width here
 * (shorter ones cost pdfkit little, and keep its own break points, e.g. after "/" in a URL).
 */
const LONG_RUN = /\S{120,}/g

/** `text` cut to `max` characters (never inside a surrogate pair), with "…" when cut. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max
  const c = text.charCodeAt(end - 1)
  if (c >= 0xd800 && c <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/**
 * The text pdfkit is given to wrap at `width`: capped, and every run of characters wider than
 * the line split into lines that fit. pdfkit breaks such a run itself, one character at a time,
 * re-measuring the rest of the run after every line: quadratic (a 30,000-character word took
 * 50 s and 1.8 GB). The split here is linear and puts the breaks where pdfkit would.
 * Font and size must be set on `doc`.
 */
function wrappable(doc: PDFKit.PDFDocument, text: string, width: number): string {
  const capped = capText(text, MAX_PDF_TEXT)
  if (!(width > 0)) return capped
  return capped.replace(LONG_RUN, (run) => {
    if (doc.widthOfString(run) <= width) return run
    const lines: string[] = []
    let line = ''
    let used = 0
    for (const ch of run) {
      const w = doc.widthOfString(ch)
      if (line && used + w > width - 0.5) {
        lines.push(line)
        line = ''
        used = 0
      }
      line += ch
      used += w
    }
    if (line) lines.push(line)
    return lines.join('\n')
  })
}

/** Sets font and size; returns pdfkit's `lineGap` that makes lines `lineHeight × size` apart. */
function apply(doc: PDFKit.PDFDocument, s: TextStyle): number {
  doc.font(s.font).fontSize(s.size)
  return s.size * (s.lineHeight ?? LINE_HEIGHT) - doc.currentLineHeight(true)
}

/** Height of `text` wrapped at `width`. */
export function measureHeight(doc: PDFKit.PDFDocument, text: string, width: number, s: TextStyle): number {
  const lineGap = apply(doc, s)
  return doc.heightOfString(wrappable(doc, text, width), { width, lineGap })
}

/** Width of `text` on one line. */
export function measureWidth(doc: PDFKit.PDFDocument, text: string, s: Pick<TextStyle, 'font' | 'size'>): number {
  doc.font(s.font).fontSize(s.size)
  return doc.widthOfString(capText(text, MAX_PDF_LINE))
}

/**
 * Draws `text` wrapped at `width` from (x, y) (top of the first line). Never adds a page: the
 * wrapper's height is unbounded, so text drawn in board coordinates under a transform stays.
 */
export function drawText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, s: TextStyle): void {
  const lineGap = apply(doc, s)
  doc.fillColor(s.color).text(wrappable(doc, text, width), x, y, { width, align: s.align ?? 'left', lineGap, height: 1e9 })
}

/** Draws `text` in a box, aligned horizontally and centred vertically (`valign` middle/start/end). */
export function drawTextInBox(
  doc: PDFKit.PDFDocument,
  text: string,
  box: { x: number; y: number; w: number; h: number },
  s: TextStyle,
  valign: 'start' | 'middle' | 'end' = 'middle',
): void {
  if (!text || box.w <= 0) return
  const h = measureHeight(doc, text, box.w, s)
  const y = valign === 'start' ? box.y : valign === 'end' ? box.y + box.h - h : box.y + (box.h - h) / 2
  drawText(doc, text, box.x, y, box.w, s)
}

/**
 * The largest font size ≤ `start` at which `text` fits in `w × h` with every word whole on a
 * line (the canvas shrinks a note's font when a word does not fit; we also shrink when the
 * lines do not fit the note's height). Not below `min`.
 */
export function fitFontSize(doc: PDFKit.PDFDocument, text: string, font: FontName, start: number, w: number, h: number, min = 6): number {
  if (!text.trim()) return start
  text = capText(text, MAX_PDF_TEXT)
  doc.font(font).fontSize(1)
  let widest = 0
  for (const word of text.split(/\s+/)) if (word) widest = Math.max(widest, doc.widthOfString(word))
  let size = widest > 0 ? Math.min(start, (w - 0.5) / widest) : start
  for (let i = 0; i < 40 && size > min; i++) {
    if (measureHeight(doc, text, w, { font, size, color: '#000' }) <= h) return size
    size = Math.max(min, size * 0.92)
  }
  return Math.max(min, size)
}

/** Draws `text` on one line in `w`, shrinking the font (down to `min`) until it fits. */
export function drawFittedLine(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  w: number,
  s: TextStyle,
  min = s.size * 0.5,
): number {
  const line = capText(text.replace(/\s*\n\s*/g, ' '), MAX_PDF_LINE)
  const width = measureWidth(doc, line, s)
  const size = width > w ? Math.max(min, (s.size * w) / width) : s.size
  const used = (width * size) / s.size
  const dx = s.align === 'center' ? (w - used) / 2 : s.align === 'right' ? w - used : 0
  // No `width`: pdfkit would wrap (it wraps whenever a width is given), splitting the line.
  doc.font(s.font).fontSize(size).fillColor(s.color)
  doc.text(line, x + Math.max(0, dx), y, { lineBreak: false })
  return size
}
