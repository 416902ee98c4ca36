/**
 * Colours of the PDF: tldraw 5.4's light theme (the values its default theme gives each named
 * colour), the sides' note colours (as the client creates notes, `client/sync/colors.ts`) and
 * the sides' ink of badges (`client/board/noteShape.tsx`, `--arvo-badge-*`).
 */
import type { Side } from '../../../shared/protocol.ts'

export interface ColorEntry {
  /** Strokes, `fill: 'fill'`. */
  solid: string
  /** The light tint (`fill: 'solid'` paints this). */
  semi: string
  noteFill: string
  frameStroke: string
  frameHeadingFill: string
}

const c = (solid: string, semi: string, noteFill: string, frameStroke: string, frameHeadingFill: string): ColorEntry => ({
  solid,
  semi,
  noteFill,
  frameStroke,
  frameHeadingFill,
})

/** tldraw's light theme, by colour style name. */
export const PALETTE: Readonly<Record<string, ColorEntry>> = {
  black: c('#1d1d1d', '#e8e8e8', '#FCE19C', '#717171', '#ffffff'),
  blue: c('#4465e9', '#dce1f8', '#8AA3FF', '#6681ec', '#f9fafe'),
  green: c('#099268', '#d3e9e3', '#6FC896', '#37a684', '#f8fcfa'),
  grey: c('#9fa8b2', '#eceef0', '#C0CAD3', '#aaaaab', '#fbfcfc'),
  'light-blue': c('#4ba1f1', '#ddedfa', '#9BC4FD', '#6cb2f3', '#f8fbfe'),
  'light-green': c('#4cb05e', '#dbf0e0', '#98D08A', '#6dbe7c', '#f8fcf9'),
  'light-red': c('#f87777', '#f4dadb', '#F7A5A1', '#f89090', '#fffafa'),
  'light-violet': c('#e085f4', '#f5eafa', '#DFB0F9', '#e59bf5', '#fefaff'),
  orange: c('#e16919', '#f8e2d4', '#FAA475', '#e68544', '#fef9f6'),
  red: c('#e03131', '#f4dadb', '#FC8282', '#e55757', '#fef7f7'),
  violet: c('#ae3ec9', '#ecdcf2', '#DB91FD', '#bc62d3', '#fcf7fd'),
  yellow: c('#f1ac4b', '#f9f0e6', '#FED49A', '#f3bb6c', '#fefcf8'),
  white: c('#FFFFFF', '#f5f5f5', '#FFFFFF', '#7d7d7d', '#ffffff'),
}

/** tldraw's near-white `semi` fill (theme `solid`). */
export const THEME_SOLID = '#fcfffe'
/** tldraw's note border. */
export const NOTE_BORDER = '#909090'
/** Body text. */
export const INK = '#1f2937'
/** Secondary text. */
export const MUTED = '#6b7280'
/** Hairlines of tables. */
export const RULE = '#d1d5db'

/** A colour style's entry; unknown names fall back to black (records are untrusted). */
export function color(name: unknown): ColorEntry {
  return (typeof name === 'string' && Object.prototype.hasOwnProperty.call(PALETTE, name) ? PALETTE[name] : undefined) ?? PALETTE.black!
}

/** The tldraw colour a side's notes get (client/sync/colors.ts `SIDE_NOTE_COLOR`). */
export const SIDE_NOTE_COLOR: Readonly<Record<Side, string>> = { provider: 'light-blue', customer: 'orange' }
/** The side's ink: badges, vote dots, side tags (white text on it has AA contrast). */
export const SIDE_INK: Readonly<Record<Side, string>> = { provider: '#1d4ed8', customer: '#c2410c' }
