/**
 * Board pages: every drawable record of the board, drawn from the records themselves in board
 * coordinates under a view transform (board → page), so the same scene serves the overview
 * and each template's page. Template texts in the chosen language (TPL-8), notes in their
 * side's colour with text, author, side, vote dots and action fields. Untrusted records:
 * anything malformed is skipped, never thrown on.
 */
import { inflateSync } from 'node:zlib'
import { b64Vecs } from '@tldraw/tlschema'
import {
  applyTransform,
  asShape,
  NOTE_SIZE,
  polygonBounds,
  rectPolygon,
  shapeLocalOutline,
  shapePageTransform,
  TRAPEZOID_INSET,
  type Point,
  type Rect,
  type ShapeLike,
  type Transform,
} from '../../../shared/domain/geometry.ts'
import { localizedTemplateText, readArvoMeta, richTextToPlain, type ArvoNoteMeta } from '../../../shared/domain/index.ts'
import { sideName, t, type Language } from '../../../shared/i18n/index.ts'
import type { ExportInput } from '../input.ts'
import { FONT } from './fonts.ts'
import { color, INK, MUTED, NOTE_BORDER, SIDE_INK, SIDE_NOTE_COLOR, THEME_SOLID } from './palette.ts'
import {
  alignOf,
  drawFittedLine,
  drawTextInBox,
  factor,
  fitFontSize,
  fontFor,
  LABEL_FACTOR,
  LABEL_PADDING,
  measureWidth,
  STROKE,
  TEXT_FACTOR,
  BASE_PX,
  drawText,
  measureHeight,
} from './text.ts'

type Doc = PDFKit.PDFDocument

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const num = (v: unknown, d: number): number => (finite(v) ? v : d)
const positive = (v: unknown, d: number): number => (finite(v) && v > 0 ? v : d)

/** One shape ready to draw: its record, page transform and approximate page bounds. */
interface Item {
  shape: ShapeLike
  t: Transform
  bounds: Rect
  /** Sort key: the index chain from the page down to this shape. */
  order: string[]
}

/** Vote dots of a note, by side. */
export type NoteVotes = { provider: number; customer: number }

/** What the board pages draw, prepared once per document. */
export interface Scene {
  items: Item[]
  /** Bounds of everything drawable. */
  bounds: Rect | null
  /** Bounds of each template instance's own shapes (zones, labels, ratings). */
  instanceBounds: Map<string, Rect>
  votes: Map<string, NoteVotes>
  /** Note font sizes found by fitting (board units; reused across pages). */
  noteFit: Map<string, number>
  assets: Map<string, unknown>
  language: Language
}

function union(a: Rect | null, b: Rect): Rect {
  if (!a) return { ...b }
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y }
}

/** A shape's local size for drawing: w, h in its own frame (text height estimated). */
function localSize(s: ShapeLike): { w: number; h: number } | null {
  const p = s.props
  switch (s.type) {
    case 'note': {
      const scale = positive(p.scale, 1)
      return { w: NOTE_SIZE * scale, h: (NOTE_SIZE + Math.max(0, num(p.growY, 0))) * scale }
    }
    case 'text': {
      const scale = positive(p.scale, 1)
      const lines = Math.max(1, richTextToPlain(p.richText).split('\n').length)
      const fs = BASE_PX * factor(TEXT_FACTOR, p.size)
      return { w: positive(p.w, 100) * scale, h: lines * fs * 1.35 * scale * 1.5 }
    }
    case 'arrow':
    case 'line':
    case 'draw':
    case 'highlight': {
      const pts = pathPoints(s).flat()
      if (pts.length === 0) return null
      const b = polygonBounds(pts)
      return { w: Math.max(1, b.x + b.w), h: Math.max(1, b.y + b.h) }
    }
    default:
      if (finite(p.w) && finite(p.h) && p.w > 0 && p.h > 0) return { w: p.w, h: p.h + Math.max(0, num(p.growY, 0)) }
      return null
  }
}

/** Local bounds (may start at negative coordinates for paths). */
function localBounds(s: ShapeLike): Rect | null {
  if (s.type === 'arrow' || s.type === 'line' || s.type === 'draw' || s.type === 'highlight') {
    const pts = pathPoints(s).flat()
    if (pts.length === 0) return null
    const b = polygonBounds(pts)
    const pad = 20
    return { x: b.x - pad, y: b.y - pad, w: b.w + 2 * pad, h: b.h + 2 * pad }
  }
  const size = localSize(s)
  if (!size) return null
  if (s.type === 'note') {
    const meta = readArvoMeta(s)
    // Action fields sit right of the note.
    if (meta?.kind === 'note' && (meta.owner || meta.ownerSide || meta.due)) return { x: 0, y: 0, w: size.w * 2.7, h: size.h }
  }
  if (s.type === 'frame') return { x: 0, y: -40, w: size.w, h: size.h + 40 }
  return { x: 0, y: 0, ...size }
}

/** The point lists of a path-like shape in its local frame (each list one stroke). */
function pathPoints(s: ShapeLike): Point[][] {
  const p = s.props
  try {
    if (s.type === 'draw' || s.type === 'highlight') {
      const sx = positive(p.scaleX, 1) * positive(p.scale, 1)
      const sy = positive(p.scaleY, 1) * positive(p.scale, 1)
      const out: Point[][] = []
      if (!Array.isArray(p.segments)) return []
      for (const seg of p.segments.slice(0, 2000) as unknown[]) {
        if (typeof seg !== 'object' || seg === null) continue
        const g = seg as { path?: unknown; points?: unknown; dim?: unknown }
        let pts: { x: number; y: number }[] = []
        if (typeof g.path === 'string') pts = b64Vecs.decodePoints(g.path, g.dim === 2 ? 2 : g.dim === 3 ? 3 : undefined)
        else if (Array.isArray(g.points)) pts = g.points as { x: number; y: number }[]
        const clean = pts.filter((q) => q && finite(q.x) && finite(q.y)).map((q) => ({ x: q.x * sx, y: q.y * sy }))
        if (clean.length) out.push(clean)
      }
      return out
    }
    if (s.type === 'line') {
      const pts = p.points
      if (typeof pts !== 'object' || pts === null) return []
      const list = Object.values(pts as Record<string, unknown>)
        .filter((q): q is { x: number; y: number; index?: unknown } => typeof q === 'object' && q !== null && finite((q as Point).x) && finite((q as Point).y))
        .sort((a, b) => (String(a.index ?? '') < String(b.index ?? '') ? -1 : 1))
      const scale = positive(p.scale, 1)
      return list.length ? [list.map((q) => ({ x: q.x * scale, y: q.y * scale }))] : []
    }
    if (s.type === 'arrow') {
      const a = p.start as Point | undefined
      const b = p.end as Point | undefined
      if (!a || !b || !finite(a.x) || !finite(a.y) || !finite(b.x) || !finite(b.y)) return []
      return [[{ x: a.x, y: a.y }, { x: b.x, y: b.y }]]
    }
  } catch {
    return []
  }
  return []
}

function compareOrder(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
  return a.length - b.length
}

/** Prepares the scene of a board: drawable shapes in paint order, bounds, votes. */
export function buildScene(input: ExportInput): Scene {
  const byId = new Map<string, ShapeLike>()
  const assets = new Map<string, unknown>()
  for (const r of input.records) {
    const s = asShape(r)
    if (s) byId.set(s.id, s)
    else if (typeof r === 'object' && r !== null && (r as { typeName?: unknown }).typeName === 'asset') {
      const id = (r as { id?: unknown }).id
      if (typeof id === 'string') assets.set(id, r)
    }
  }
  const orderOf = new Map<string, string[]>()
  const chain = (s: ShapeLike, depth = 0): string[] => {
    const known = orderOf.get(s.id)
    if (known) return known
    const own = typeof s.index === 'string' ? s.index : ''
    const parent = byId.get(s.parentId)
    const result = parent && depth < 32 ? [...chain(parent, depth + 1), own] : [own]
    orderOf.set(s.id, result)
    return result
  }
  const items: Item[] = []
  let bounds: Rect | null = null
  const instanceBounds = new Map<string, Rect>()
  for (const s of byId.values()) {
    if (s.type === 'group') continue
    const t = shapePageTransform(s, byId)
    const lb = localBounds(s)
    if (!t || !lb) continue
    const pageB = polygonBounds(rectPolygon(lb).map((p) => applyTransform(t, p)))
    if (![pageB.x, pageB.y, pageB.w, pageB.h].every(Number.isFinite)) continue
    items.push({ shape: s, t, bounds: pageB, order: chain(s) })
    bounds = union(bounds, pageB)
    const meta = readArvoMeta(s)
    if (meta && meta.kind !== 'note') instanceBounds.set(meta.instance, union(instanceBounds.get(meta.instance) ?? null, pageB))
  }
  items.sort((a, b) => compareOrder(a.order, b.order))
  // A template's page also shows what sticks out of its notes (action fields beside them).
  for (const item of items) {
    if (item.shape.type !== 'note') continue
    const cx = item.t.x
    const cy = item.t.y
    for (const [instance, b] of instanceBounds) {
      if (cx >= b.x && cx <= b.x + b.w && cy >= b.y && cy <= b.y + b.h) instanceBounds.set(instance, union(b, item.bounds))
    }
  }
  const votes = new Map<string, NoteVotes>()
  for (const n of input.summary.notes) if (n.votes && n.votes.provider + n.votes.customer > 0) votes.set(n.id, n.votes)
  return { items, bounds, instanceBounds, votes, noteFit: new Map(), assets, language: input.language }
}

/** Where a board rectangle lands on the page: uniform scale, centred in `area`. */
export interface View {
  scale: number
  ox: number
  oy: number
  /** The board rectangle shown. */
  board: Rect
}

export function fitView(board: Rect, area: Rect): View {
  const w = Math.max(board.w, 1)
  const h = Math.max(board.h, 1)
  const scale = Math.min(area.w / w, area.h / h)
  return { scale, ox: area.x + (area.w - w * scale) / 2 - board.x * scale, oy: area.y + (area.h - h * scale) / 2 - board.y * scale, board }
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h
}

/** Draws the scene through `view`, clipped to the view's board rectangle. */
export function drawScene(doc: Doc, scene: Scene, view: View): void {
  const { scale, ox, oy, board } = view
  doc.save()
  doc.rect(ox + board.x * scale, oy + board.y * scale, board.w * scale, board.h * scale).clip()
  const ctx: DrawCtx = { doc, scene, scale, lang: scene.language }
  for (const item of scene.items) {
    if (!overlaps(item.bounds, board)) continue
    const { t } = item
    const cos = Math.cos(t.rotation) * scale
    const sin = Math.sin(t.rotation) * scale
    doc.save()
    doc.transform(cos, sin, -sin, cos, ox + t.x * scale, oy + t.y * scale)
    const opacity = item.shape.props && finite((item.shape as unknown as { opacity?: unknown }).opacity) ? (item.shape as unknown as { opacity: number }).opacity : 1
    if (opacity < 1) doc.opacity(Math.max(0.1, opacity))
    try {
      drawShape(ctx, item.shape)
    } catch {
      // A record that pdfkit cannot draw is skipped; the page goes on.
    }
    doc.restore()
  }
  doc.restore()
}

interface DrawCtx {
  doc: Doc
  scene: Scene
  /** Board units → points (for hairline minimums). */
  scale: number
  lang: Language
}

/** A stroke width in board units, never thinner than 0.35 pt on paper. */
const strokeWidth = (ctx: DrawCtx, w: number) => Math.max(w, 0.35 / ctx.scale)

function shapeText(s: ShapeLike, lang: Language): string {
  const localized = localizedTemplateText(s, lang)
  return richTextToPlain(localized ?? s.props.richText).trim()
}

function hasBold(doc: unknown, depth = 0): boolean {
  if (depth > 32 || typeof doc !== 'object' || doc === null) return false
  const n = doc as { marks?: unknown; content?: unknown }
  if (Array.isArray(n.marks) && n.marks.some((m) => (m as { type?: unknown })?.type === 'bold')) return true
  return Array.isArray(n.content) && n.content.some((c) => hasBold(c, depth + 1))
}

function drawShape(ctx: DrawCtx, s: ShapeLike): void {
  switch (s.type) {
    case 'geo':
      return drawGeo(ctx, s)
    case 'text':
      return drawTextShape(ctx, s)
    case 'note':
      return drawNote(ctx, s)
    case 'frame':
      return drawFrame(ctx, s)
    case 'arrow':
      return drawArrow(ctx, s)
    case 'line':
    case 'draw':
    case 'highlight':
      return drawPaths(ctx, s)
    case 'image':
    case 'video':
      return drawImage(ctx, s)
    default:
      return drawUnknown(ctx, s)
  }
}

/** Outline of a geo shape in its local frame (a polygon, or 'ellipse'). */
function geoOutline(geo: unknown, w: number, h: number, flipY: boolean): Point[] | 'ellipse' {
  const P = (x: number, y: number): Point => ({ x: x * w, y: y * h })
  const regular = (n: number, start = -Math.PI / 2) =>
    Array.from({ length: n }, (_, i) => {
      const a = start + (i * 2 * Math.PI) / n
      return P(0.5 + 0.5 * Math.cos(a), 0.5 + 0.5 * Math.sin(a))
    })
  switch (geo) {
    case 'ellipse':
    case 'oval':
    case 'cloud':
      return 'ellipse'
    case 'triangle':
      return [P(0.5, 0), P(1, 1), P(0, 1)]
    case 'diamond':
      return [P(0.5, 0), P(1, 0.5), P(0.5, 1), P(0, 0.5)]
    case 'pentagon':
      return regular(5)
    case 'hexagon':
      return [P(0.25, 0), P(0.75, 0), P(1, 0.5), P(0.75, 1), P(0.25, 1), P(0, 0.5)]
    case 'octagon':
      return regular(8, -Math.PI / 2 + Math.PI / 8)
    case 'star':
      return Array.from({ length: 10 }, (_, i) => {
        const a = -Math.PI / 2 + (i * Math.PI) / 5
        const r = i % 2 ? 0.2 : 0.5
        return P(0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a))
      })
    case 'rhombus':
      return [P(0.25, 0), P(1, 0), P(0.75, 1), P(0, 1)]
    case 'rhombus-2':
      return [P(0, 0), P(0.75, 0), P(1, 1), P(0.25, 1)]
    case 'trapezoid': {
      const o = Math.min(w, h) * TRAPEZOID_INSET
      return flipY
        ? [{ x: 0, y: 0 }, { x: w, y: 0 }, { x: w - o, y: h }, { x: o, y: h }]
        : [{ x: o, y: 0 }, { x: w - o, y: 0 }, { x: w, y: h }, { x: 0, y: h }]
    }
    case 'arrow-right':
      return [P(0, 0.25), P(0.6, 0.25), P(0.6, 0), P(1, 0.5), P(0.6, 1), P(0.6, 0.75), P(0, 0.75)]
    case 'arrow-left':
      return [P(1, 0.25), P(0.4, 0.25), P(0.4, 0), P(0, 0.5), P(0.4, 1), P(0.4, 0.75), P(1, 0.75)]
    case 'arrow-up':
      return [P(0.25, 1), P(0.25, 0.4), P(0, 0.4), P(0.5, 0), P(1, 0.4), P(0.75, 0.4), P(0.75, 1)]
    case 'arrow-down':
      return [P(0.25, 0), P(0.25, 0.6), P(0, 0.6), P(0.5, 1), P(1, 0.6), P(0.75, 0.6), P(0.75, 0)]
    case 'heart':
      return [P(0.5, 1), P(0.05, 0.5), P(0, 0.25), P(0.12, 0.05), P(0.3, 0), P(0.5, 0.18), P(0.7, 0), P(0.88, 0.05), P(1, 0.25), P(0.95, 0.5)]
    default:
      return rectPolygon({ x: 0, y: 0, w, h })
  }
}

function tracePath(doc: Doc, outline: Point[] | 'ellipse', w: number, h: number): void {
  if (outline === 'ellipse') {
    doc.ellipse(w / 2, h / 2, w / 2, h / 2)
    return
  }
  doc.polygon(...outline.map((p) => [p.x, p.y] as [number, number]))
}

function dashFor(ctx: DrawCtx, dash: unknown, width: number): void {
  if (dash === 'dashed') ctx.doc.dash(width * 4, { space: width * 4 })
  else if (dash === 'dotted') ctx.doc.dash(width, { space: width * 2.5 })
  else ctx.doc.undash()
}

/** Fill colour of a tldraw fill style (`solid` is the light tint, `semi` near-white). */
function fillColor(fill: unknown, c: ReturnType<typeof color>): string | null {
  switch (fill) {
    case 'none':
      return null
    case 'semi':
      return THEME_SOLID
    case 'fill':
      return c.solid
    default:
      return c.semi
  }
}

function drawGeo(ctx: DrawCtx, s: ShapeLike): void {
  const { doc } = ctx
  const p = s.props
  const size = localSize(s)
  if (!size) return
  const { w, h } = size
  const c = color(p.color)
  const outline = s.props.geo === 'trapezoid' ? (shapeLocalOutline(s) ?? geoOutline('trapezoid', w, h, p.flipY === true)) : geoOutline(p.geo, w, h, p.flipY === true)
  const sw = strokeWidth(ctx, factor(STROKE, p.size) * positive(p.scale, 1))
  const fill = fillColor(p.fill, c)
  tracePath(doc, outline, w, h)
  doc.lineWidth(sw).strokeColor(c.solid).lineJoin('round')
  dashFor(ctx, p.dash, sw)
  if (fill) doc.fillColor(fill).fillAndStroke()
  else doc.stroke()
  doc.undash()
  if (p.geo === 'x-box') {
    doc.moveTo(0, 0).lineTo(w, h).moveTo(w, 0).lineTo(0, h).stroke()
  } else if (p.geo === 'check-box') {
    doc.moveTo(w * 0.25, h * 0.52).lineTo(w * 0.45, h * 0.72).lineTo(w * 0.78, h * 0.3).stroke()
  }
  const meta = readArvoMeta(s)
  if (meta?.kind === 'rating') return drawRating(ctx, s, meta.side, meta.value, w, h)
  const text = shapeText(s, ctx.lang)
  if (!text) return
  const scale = positive(p.scale, 1)
  const pad = LABEL_PADDING * scale
  const labelColor = p.labelColor === 'black' || p.labelColor === undefined ? '#1d1d1d' : color(p.labelColor).solid
  const font = fontFor(p.font, hasBold(p.richText))
  const base = BASE_PX * factor(LABEL_FACTOR, p.size) * scale
  const box = { x: pad, y: pad, w: Math.max(1, w - 2 * pad), h: Math.max(1, h - 2 * pad) }
  const fs = fitFontSize(doc, text, font, base, box.w, Math.max(box.h, base * 1.35), base * 0.4)
  const v = p.verticalAlign === 'start' ? 'start' : p.verticalAlign === 'end' ? 'end' : 'middle'
  drawTextInBox(doc, text, box, { font, size: fs, color: labelColor, align: alignOf(p.align) }, v)
}

/** Five stars as vector shapes (the fonts have no ★): `value` filled. */
function drawStars(doc: Doc, x: number, cy: number, size: number, value: number, ink: string): number {
  const gap = size * 0.18
  for (let i = 0; i < 5; i++) {
    const cx = x + i * (size + gap) + size / 2
    const pts: [number, number][] = Array.from({ length: 10 }, (_, k) => {
      const a = -Math.PI / 2 + (k * Math.PI) / 5
      const r = (k % 2 ? 0.2 : 0.5) * size
      return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
    })
    doc.polygon(...pts).lineWidth(size * 0.07).strokeColor(ink)
    if (i < value) doc.fillColor(ink).fillAndStroke()
    else doc.stroke()
  }
  return 5 * size + 4 * gap
}

/** A staircase rating shape: "<side>: ★★★☆☆ 3/5" with vector stars, in the chosen language. */
function drawRating(ctx: DrawCtx, s: ShapeLike, side: 'provider' | 'customer', value: number, w: number, h: number): void {
  const { doc } = ctx
  const scale = positive(s.props.scale, 1)
  const fs = BASE_PX * factor(LABEL_FACTOR, s.props.size) * scale
  const ink = '#1d1d1d'
  const label = `${sideName(ctx.lang, side)}:`
  const tail = value === 0 ? `(${t(ctx.lang, 'notRated')})` : `${value}/5`
  const style = { font: FONT.medium, size: fs, color: ink } as const
  const star = fs * 1.1
  const labelW = measureWidth(doc, label, style)
  const tailW = measureWidth(doc, tail, style)
  const total = labelW + fs * 0.4 + 5 * star + 4 * star * 0.18 + fs * 0.4 + tailW
  const k = total > w - 16 ? (w - 16) / total : 1
  const size = fs * k
  let x = (w - total * k) / 2
  const y = h / 2 - (size * 1.35) / 2
  drawText(doc, label, x, y, labelW * k + 2, { ...style, size })
  x += (labelW + fs * 0.4) * k
  x += drawStars(doc, x, h / 2, star * k, value, side === 'provider' ? SIDE_INK.provider : SIDE_INK.customer) + fs * 0.4 * k
  drawText(doc, tail, x, y, tailW * k + 2, { ...style, size })
}

function drawTextShape(ctx: DrawCtx, s: ShapeLike): void {
  const { doc } = ctx
  const p = s.props
  const text = shapeText(s, ctx.lang)
  if (!text) return
  const scale = positive(p.scale, 1)
  const w = positive(p.w, 100)
  doc.save()
  doc.scale(scale)
  const font = fontFor(p.font, hasBold(p.richText))
  const fs = BASE_PX * factor(TEXT_FACTOR, p.size)
  drawText(doc, text, 0, 0, Math.max(w, fs), { font, size: fs, color: color(p.color).solid === '#1d1d1d' ? '#1d1d1d' : color(p.color).solid, align: alignOf(p.textAlign) })
  doc.restore()
}

/** Note layout in the note's own frame (units of a 200-wide note). */
const NOTE_PAD = LABEL_PADDING
const AUTHOR_BAND = 26
const DOTS_BAND = 24

function drawNote(ctx: DrawCtx, s: ShapeLike): void {
  const { doc, scene } = ctx
  const p = s.props
  const scale = positive(p.scale, 1)
  const h = NOTE_SIZE + Math.max(0, num(p.growY, 0))
  const w = NOTE_SIZE
  const metaAny = readArvoMeta(s)
  const meta: ArvoNoteMeta | null = metaAny?.kind === 'note' ? metaAny : null
  doc.save()
  doc.scale(scale)
  const fill = color(meta ? SIDE_NOTE_COLOR[meta.side] : p.color).noteFill
  // A soft shadow, the note, a hairline border.
  doc.rect(2, 3, w, h).fillColor('#000000').fillOpacity(0.12).fill()
  doc.fillOpacity(1)
  doc.rect(0, 0, w, h).fillColor(fill).fill()
  doc.rect(0, 0, w, h).lineWidth(strokeWidth(ctx, 1)).strokeColor(NOTE_BORDER).stroke()
  const votes = scene.votes.get(s.id)
  const top = votes ? DOTS_BAND : NOTE_PAD * 0.75
  const bottom = meta ? AUTHOR_BAND : NOTE_PAD * 0.75
  const box = { x: NOTE_PAD * 0.75, y: top, w: w - 1.5 * NOTE_PAD * 0.75, h: h - top - bottom }
  const text = richTextToPlain(p.richText).trim()
  if (text) {
    const font = fontFor(p.font, hasBold(p.richText))
    let fs = scene.noteFit.get(s.id)
    if (fs === undefined) {
      const base = BASE_PX * factor(LABEL_FACTOR, p.size) * Math.min(1, positive(p.fontSizeAdjustment, 1))
      fs = fitFontSize(doc, text, font, base, box.w, box.h, 5)
      scene.noteFit.set(s.id, fs)
    }
    const labelColor = p.labelColor === 'black' || p.labelColor === undefined ? '#000000' : color(p.labelColor).solid
    const v = p.verticalAlign === 'start' ? 'start' : p.verticalAlign === 'end' ? 'end' : 'middle'
    drawTextInBox(doc, text, box, { font, size: fs, color: labelColor, align: alignOf(p.align) }, v)
  }
  if (meta) {
    const who = `${meta.authorName.trim() || t(ctx.lang, 'repUnknownAuthor')} · ${sideName(ctx.lang, meta.side)}`
    doc.rect(0, h - 4, w, 4).fillColor(SIDE_INK[meta.side]).fill()
    drawFittedLine(doc, who, 8, h - AUTHOR_BAND + 5, w - 16, { font: FONT.medium, size: 12, color: INK, align: 'left' }, 6)
  }
  if (votes) drawVoteDots(doc, votes, w)
  if (meta) drawActionFields(ctx, meta, w, h)
  doc.restore()
}

/** Vote dots along the note's top edge: one dot per vote and side, or a dot with a count when many. */
function drawVoteDots(doc: Doc, votes: NoteVotes, w: number): void {
  const r = 7
  let x = 10 + r
  const y = 12
  for (const side of ['provider', 'customer'] as const) {
    const n = votes[side]
    if (n <= 0) continue
    const ink = SIDE_INK[side]
    if (n <= 5) {
      for (let i = 0; i < n; i++) {
        doc.circle(x, y, r).fillColor(ink).fill()
        doc.circle(x, y, r).lineWidth(1.2).strokeColor('#ffffff').stroke()
        x += 2 * r + 3
      }
    } else {
      doc.circle(x, y, r).fillColor(ink).fill()
      doc.font(FONT.bold).fontSize(13).fillColor(INK)
      doc.text(`×${n}`, x + r + 2, y - 8, { lineBreak: false, height: 1e9 })
      x += 2 * r + 6 + doc.widthOfString(`×${n}`)
    }
    x += 6
    if (x > w - r) break
  }
}

/** Owner side, owner and due date stacked right of the note, as on the canvas. */
function drawActionFields(ctx: DrawCtx, meta: ArvoNoteMeta, w: number, h: number): void {
  const { doc, lang } = ctx
  const lines: { text: string; side?: 'provider' | 'customer' }[] = []
  if (meta.ownerSide) lines.push({ text: sideName(lang, meta.ownerSide), side: meta.ownerSide })
  if (meta.owner) lines.push({ text: meta.owner })
  if (meta.due) lines.push({ text: formatDate(meta.due, lang) })
  if (lines.length === 0) return
  const fs = 22
  const lineH = fs * 1.25 + fs * 0.25
  const maxW = w * 1.6
  let y = 0
  for (const line of lines) {
    if (y + lineH > h + 1) break
    const style = { font: line.side ? FONT.bold : FONT.medium, size: fs, color: line.side ? '#ffffff' : INK }
    const tw = Math.min(maxW - fs * 0.8, measureWidth(doc, line.text, style))
    const bw = tw + fs * 0.8
    doc.roundedRect(w + 10, y, bw, fs * 1.3, fs * 0.35).fillColor(line.side ? SIDE_INK[line.side] : '#ffffff').fill()
    if (!line.side) doc.roundedRect(w + 10, y, bw, fs * 1.3, fs * 0.35).lineWidth(1).strokeColor('#cbd5e1').stroke()
    drawFittedLine(doc, line.text, w + 10 + fs * 0.4, y + fs * 0.12, tw + 1, style, fs * 0.5)
    y += lineH
  }
}

/** `2026-12-15` as the language reads dates (as the canvas badges show them). */
const dateFormats = new Map<Language, Intl.DateTimeFormat>()

export function formatDate(iso: string, lang: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  try {
    let f = dateFormats.get(lang)
    if (!f) {
      f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
      dateFormats.set(lang, f)
    }
    return f.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  } catch {
    return iso
  }
}

function drawFrame(ctx: DrawCtx, s: ShapeLike): void {
  const { doc } = ctx
  const size = localSize(s)
  if (!size) return
  const c = color(s.props.color)
  doc.rect(0, 0, size.w, size.h).fillColor('#ffffff').fill()
  doc.rect(0, 0, size.w, size.h).lineWidth(strokeWidth(ctx, 1.5)).strokeColor(c.frameStroke).stroke()
  const name = typeof s.props.name === 'string' && s.props.name.trim() ? s.props.name.trim() : 'Frame'
  drawFittedLine(doc, name, 0, -30, size.w, { font: FONT.medium, size: 22, color: INK }, 8)
}

function drawArrow(ctx: DrawCtx, s: ShapeLike): void {
  const { doc } = ctx
  const p = s.props
  const [pts] = pathPoints(s)
  if (!pts || pts.length < 2) return
  const a = pts[0]!
  const b = pts[1]!
  const c = color(p.color)
  const sw = strokeWidth(ctx, factor(STROKE, p.size) * positive(p.scale, 1))
  const bend = num(p.bend, 0)
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1
  // tldraw's bend: the middle of the arc is `bend` away from the chord's middle, to its left.
  const ctrl = { x: mid.x + ((b.y - a.y) / len) * bend * 2, y: mid.y - ((b.x - a.x) / len) * bend * 2 }
  doc.lineWidth(sw).strokeColor(c.solid).lineCap('round')
  dashFor(ctx, p.dash, sw)
  doc.moveTo(a.x, a.y)
  if (Math.abs(bend) > 0.5) doc.quadraticCurveTo(ctrl.x, ctrl.y, b.x, b.y)
  else doc.lineTo(b.x, b.y)
  doc.stroke().undash()
  const head = (tip: Point, from: Point) => {
    const ang = Math.atan2(tip.y - from.y, tip.x - from.x)
    const size = Math.min(len / 3, sw * 6 + 8)
    const l = { x: tip.x - size * Math.cos(ang - 0.45), y: tip.y - size * Math.sin(ang - 0.45) }
    const r = { x: tip.x - size * Math.cos(ang + 0.45), y: tip.y - size * Math.sin(ang + 0.45) }
    doc.polygon([tip.x, tip.y], [l.x, l.y], [r.x, r.y]).fillColor(c.solid).fill()
  }
  const useCtrl = Math.abs(bend) > 0.5
  if (p.arrowheadEnd !== 'none') head(b, useCtrl ? ctrl : a)
  if (p.arrowheadStart !== undefined && p.arrowheadStart !== 'none') head(a, useCtrl ? ctrl : b)
  const text = richTextToPlain(p.richText).trim()
  if (text) {
    const fs = BASE_PX * factor(LABEL_FACTOR, p.size) * positive(p.scale, 1)
    const style = { font: fontFor(p.font, false), size: fs, color: c.solid, align: 'center' as const }
    const lw = Math.min(Math.max(len * 0.8, fs * 6), measureWidth(doc, text, style) + 4)
    const lh = measureHeight(doc, text, lw, style)
    const at = useCtrl ? { x: (mid.x + ctrl.x) / 2, y: (mid.y + ctrl.y) / 2 } : mid
    doc.rect(at.x - lw / 2 - 4, at.y - lh / 2 - 2, lw + 8, lh + 4).fillColor('#ffffff').fill()
    drawText(doc, text, at.x - lw / 2, at.y - lh / 2, lw, style)
  }
}

function drawPaths(ctx: DrawCtx, s: ShapeLike): void {
  const { doc } = ctx
  const p = s.props
  const c = color(p.color)
  const highlight = s.type === 'highlight'
  const sw = strokeWidth(ctx, factor(STROKE, p.size) * (highlight ? 5 : 1) * positive(p.scale, 1))
  doc.lineWidth(sw).strokeColor(highlight ? c.semi : c.solid).lineCap('round').lineJoin('round')
  if (highlight) doc.strokeOpacity(0.7)
  dashFor(ctx, p.dash, sw)
  for (const pts of pathPoints(s)) {
    if (pts.length === 1) {
      doc.circle(pts[0]!.x, pts[0]!.y, sw / 2).fillColor(highlight ? c.semi : c.solid).fill()
      continue
    }
    doc.moveTo(pts[0]!.x, pts[0]!.y)
    for (let i = 1; i < pts.length; i++) doc.lineTo(pts[i]!.x, pts[i]!.y)
    if (s.type === 'draw' && p.isClosed === true) {
      doc.closePath()
      const fill = fillColor(p.fill, c)
      if (fill && p.fill !== 'none') doc.fillColor(fill).fillAndStroke()
      else doc.stroke()
    } else doc.stroke()
  }
  doc.undash().strokeOpacity(1)
}

/**
 * The bytes of an image asset stored inline (`data:` URL), when pdfkit can embed them safely:
 * a PNG whose compressed data inflates (pdfkit inflates it later, asynchronously, where an
 * error could not be caught) or a JPEG with a frame header. Remote URLs are never fetched.
 */
function imageBytes(scene: Scene, assetId: unknown): Buffer | null {
  if (typeof assetId !== 'string') return null
  const asset = scene.assets.get(assetId) as { props?: { src?: unknown } } | undefined
  const src = asset?.props?.src
  if (typeof src !== 'string' || src.length > 20_000_000) return null
  const m = /^data:image\/(png|jpe?g);base64,([A-Za-z0-9+/=\s]+)$/.exec(src)
  if (!m) return null
  const bytes = Buffer.from(m[2]!, 'base64')
  return m[1] === 'png' ? (pngIsSound(bytes) ? bytes : null) : jpegIsSound(bytes) ? bytes : null
}

/**
 * Most pixels of an embedded PNG (4096 × 4096). pdfkit holds the decoded pixels (and, with
 * alpha, a copy split into colour and mask) in memory: a small file may claim a huge image.
 */
export const MAX_PNG_PIXELS = 4096 * 4096
/** Bytes per pixel of a PNG colour type at bit depth 8. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/**
 * True when pdfkit can embed the PNG without failing later (asynchronously, uncatchable) or
 * blowing up memory: a non-interlaced 8-bit image of at most MAX_PNG_PIXELS whose compressed
 * data inflates to exactly the bytes its header implies — inflated with that bound, so a
 * decompression bomb stops at the bound instead of filling the memory.
 */
function pngIsSound(b: Buffer): boolean {
  if (b.length < 33 || b.readUInt32BE(0) !== 0x89504e47) return false
  const idat: Buffer[] = []
  let at = 8
  let sawHeader = false
  let expected = 0
  let paletted = false
  let palette = false
  while (at + 8 <= b.length) {
    const len = b.readUInt32BE(at)
    const type = b.toString('latin1', at + 4, at + 8)
    if (at + 12 + len > b.length) return false
    if (type === 'IHDR') {
      sawHeader = true
      const bitDepth = b[at + 16]
      const colorType = b[at + 17]
      if (bitDepth !== 8 || ![0, 2, 3, 4, 6].includes(colorType ?? -1) || b[at + 20] !== 0) return false
      const width = b.readUInt32BE(at + 8)
      const height = b.readUInt32BE(at + 12)
      if (width === 0 || height === 0 || width * height > MAX_PNG_PIXELS) return false
      expected = height * (1 + width * PNG_CHANNELS[colorType!]!)
      paletted = colorType === 3
    }
    if (type === 'PLTE') palette = true
    if (type === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + len))
    if (type === 'IEND') break
    at += 12 + len
  }
  if (!sawHeader || idat.length === 0 || expected === 0) return false
  if (paletted && !palette) return false
  try {
    // one byte more than expected: a longer stream is refused too, without inflating it all
    return inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 }).length === expected
  } catch {
    return false
  }
}

function jpegIsSound(b: Buffer): boolean {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return false
  // pdfkit reads the frame header (SOF0…SOF15 except DHT/JPG/DAC) for the size.
  for (let i = 2; i + 9 < b.length; ) {
    if (b[i] !== 0xff) return false
    const marker = b[i + 1]!
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return true
    i += 2 + b.readUInt16BE(i + 2)
  }
  return false
}

function drawImage(ctx: DrawCtx, s: ShapeLike): void {
  const { doc } = ctx
  const size = localSize(s)
  if (!size) return
  const bytes = s.type === 'image' ? imageBytes(ctx.scene, s.props.assetId) : null
  if (bytes) {
    try {
      doc.image(bytes, 0, 0, { width: size.w, height: size.h })
      return
    } catch {
      // Undecodable bytes: draw the placeholder.
    }
  }
  drawPlaceholder(ctx, size.w, size.h, t(ctx.lang, 'repImage'))
}

function drawPlaceholder(ctx: DrawCtx, w: number, h: number, label: string): void {
  const { doc } = ctx
  doc.rect(0, 0, w, h).fillColor('#f3f4f6').fill()
  const sw = strokeWidth(ctx, 2)
  doc.rect(0, 0, w, h).lineWidth(sw).strokeColor('#9ca3af').dash(sw * 4, { space: sw * 3 }).stroke().undash()
  doc.moveTo(0, 0).lineTo(w, h).moveTo(w, 0).lineTo(0, h).lineWidth(sw / 2).strokeColor('#d1d5db').stroke()
  const fs = Math.max(8, Math.min(h / 4, w / 6, 28))
  const lw = Math.min(w - 8, measureWidth(ctx.doc, label, { font: FONT.medium, size: fs }) + 12)
  doc.rect((w - lw) / 2, h / 2 - fs * 0.75, lw, fs * 1.5).fillColor('#ffffff').fill()
  // One line, shrunk to fit: a URL must stay whole.
  drawFittedLine(doc, label, 6, h / 2 - fs * 0.6, w - 12, { font: FONT.medium, size: fs, color: MUTED, align: 'center' }, 3)
}

/** Bookmarks, embeds and shapes of custom types: a box with what we know (URL or type). */
function drawUnknown(ctx: DrawCtx, s: ShapeLike): void {
  const size = localSize(s)
  if (!size) return
  const url = typeof s.props.url === 'string' && s.props.url ? s.props.url : s.type
  drawPlaceholder(ctx, size.w, size.h, url.slice(0, 120))
}
