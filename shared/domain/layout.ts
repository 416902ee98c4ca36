/**
 * Text metrics for laying out templates without a DOM. tldraw measures text in the browser;
 * we cannot, so we estimate conservatively (wide average glyph) and size shapes generously.
 * Numbers mirror tldraw 5.4.2: theme font size 16 px, line height 1.35, size factors below.
 */
import type { TLDefaultSizeStyle } from '@tldraw/tlschema'

/** tldraw's base font size (theme `fontSize`). */
export const BASE_FONT_PX = 16
/** tldraw's theme line height. */
export const LINE_HEIGHT = 1.35
/** Font size factors of the `text` shape (tldraw `FONT_SIZES`). */
export const TEXT_SIZE_FACTOR: Readonly<Record<TLDefaultSizeStyle, number>> = {
  s: 1.125,
  m: 1.5,
  l: 2.25,
  xl: 2.75,
}
/** Font size factors of geo-shape labels (tldraw `LABEL_FONT_SIZES`). */
export const LABEL_SIZE_FACTOR: Readonly<Record<TLDefaultSizeStyle, number>> = {
  s: 1.125,
  m: 1.375,
  l: 1.625,
  xl: 2,
}
/** Padding tldraw keeps around a geo label, per side, in shape units (`LABEL_PADDING`). */
export const GEO_LABEL_PADDING = 16

/**
 * Glyph advance in em by character class, deliberately on the wide side for tldraw's sans font
 * (IBM Plex Sans): short Cyrillic words with wide letters (м, ш, ю) are where a flat average
 * fails. {@link WIDTH_SAFETY} adds a margin on top.
 */
export function charWidthEm(ch: string): number {
  if (ch === ' ') return 0.3
  if (/[ilj.,:;'’|!()[\]Ift]/.test(ch)) return 0.36
  if (/[mwMWШЩЖЮЫшщжюымДдФф★☆—–]/.test(ch)) return 0.92
  if (/[A-ZÀ-ÞА-ЯЁ]/.test(ch)) return 0.72
  if (/[а-яё]/.test(ch)) return 0.62
  if (/[0-9]/.test(ch)) return 0.6
  return 0.58
}
/** Multiplier on estimated widths: estimates must err towards "wider, more lines". */
export const WIDTH_SAFETY = 1.08
/** Bold text is a little wider. */
export const BOLD_WIDTH_FACTOR = 1.06

/** Estimated advance of `text` (one line, no wrapping) in page pixels. */
function runWidth(text: string, fontSizePx: number, bold: boolean): number {
  let em = 0
  for (const ch of text) em += charWidthEm(ch)
  return em * fontSizePx * WIDTH_SAFETY * (bold ? BOLD_WIDTH_FACTOR : 1)
}

/** A text style: tldraw size + shape scale (+ bold). */
export interface TextStyle {
  size: TLDefaultSizeStyle
  scale: number
  bold?: boolean
}

/** The text styles our templates use, chosen to stay legible when a template fills a 1080p screen. */
export const TYPE = {
  /** Template title: 66 px. */
  title: { size: 'xl', scale: 1.5, bold: true },
  /** Template subtitle / instructions: 30 px. */
  subtitle: { size: 'm', scale: 1.25 },
  /** Zone title (level, step, row): 45 px. */
  zoneTitle: { size: 'l', scale: 1.25, bold: true },
  /** Group and column headers: 30 px bold. */
  header: { size: 'm', scale: 1.25, bold: true },
  /** Prompts and element names: 30 px. */
  prompt: { size: 'm', scale: 1.25 },
} as const satisfies Record<string, TextStyle>

/** Font size in page pixels of a `text` shape with this style. */
export function fontPx(style: TextStyle): number {
  return BASE_FONT_PX * TEXT_SIZE_FACTOR[style.size] * style.scale
}

/** Line height in page pixels of a `text` shape with this style (tldraw rounds before scaling). */
export function lineHeightPx(style: TextStyle): number {
  return Math.round(BASE_FONT_PX * TEXT_SIZE_FACTOR[style.size] * LINE_HEIGHT) * style.scale
}

/**
 * Estimates how many lines `text` wraps to in a box `pageWidth` wide (greedy word wrap; words
 * longer than a line are broken, as CSS `overflow-wrap: break-word` does).
 *
 * @param text - Plain text; `\n` starts a new paragraph.
 * @param pageWidth - Available width in page pixels.
 * @param fontSizePx - Font size in page pixels.
 * @param bold - Whether the text is bold.
 */
export function estimateLines(
  text: string,
  pageWidth: number,
  fontSizePx: number,
  bold = false,
): number {
  const space = runWidth(' ', fontSizePx, bold)
  let lines = 0
  for (const paragraph of text.split('\n')) {
    const words = paragraph.split(/\s+/).filter(Boolean)
    lines += 1
    let used = 0
    for (const word of words) {
      const w = runWidth(word, fontSizePx, bold)
      if (used === 0 && w <= pageWidth) {
        used = w
      } else if (used + space + w <= pageWidth) {
        used += space + w
      } else if (w <= pageWidth) {
        lines += 1
        used = w
      } else {
        // Break a long word over several lines, starting on a fresh one.
        if (used > 0) lines += 1
        const span = Math.ceil(w / pageWidth)
        lines += span - 1
        used = w - (span - 1) * pageWidth
      }
    }
  }
  return lines
}

/** Estimated height in page pixels of a `text` shape of `pageWidth` holding `text`. */
export function estimateTextHeight(text: string, pageWidth: number, style: TextStyle): number {
  return estimateLines(text, pageWidth, fontPx(style), style.bold) * lineHeightPx(style)
}

/**
 * Estimated width in page pixels of the longest line of `text` (no wrapping), for sizing
 * single-line labels.
 */
export function estimateTextWidth(text: string, style: TextStyle): number {
  return Math.max(0, ...text.split('\n').map((l) => runWidth(l, fontPx(style), style.bold ?? false)))
}

/** Font size in page pixels of a geo shape's label with this style. */
export function labelFontPx(style: TextStyle): number {
  return BASE_FONT_PX * LABEL_SIZE_FACTOR[style.size] * style.scale
}

/**
 * Estimated height in page pixels of the text inside a geo shape `boxWidth` wide, padding
 * included: the box must be at least this tall or tldraw grows it (`growY`).
 */
export function estimateBoxLabelHeight(text: string, boxWidth: number, style: TextStyle): number {
  const padding = GEO_LABEL_PADDING * style.scale
  const lineH = Math.round(BASE_FONT_PX * LABEL_SIZE_FACTOR[style.size] * LINE_HEIGHT) * style.scale
  return estimateLines(text, boxWidth - 2 * padding, labelFontPx(style), style.bold) * lineH + 2 * padding
}
