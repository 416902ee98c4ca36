/**
 * Staircase ratings (META-5, RATE-*): one locked geo shape per step and side. Setting a rating
 * changes `meta.arvo.value` and the shape's label together; nothing else.
 */
import type { TLGeoShape, TLShape } from '@tldraw/tlschema'
import type { Side } from '../protocol.ts'
import { DEFAULT_LANGUAGE } from '../i18n/languages.ts'
import { asShape, shapePageTransform, shapesById, type Point } from './geometry.ts'
import { richText } from './richText.ts'
import { ratingText } from './templates/staircase.ts'
import { isRatingValue, META_KEY, readArvoMeta, type ArvoRatingMeta, type RatingValue } from './types.ts'

/** One rating shape on the board. */
export interface Rating {
  shapeId: string
  instance: string
  /** Staircase step id. */
  step: string
  side: Side
  /** 0 = not rated yet. */
  value: RatingValue
}

/**
 * Every rating shape on the board, in record order (RATE-1).
 * @param records - All records of the board.
 */
export function readRatings(records: readonly unknown[]): Rating[] {
  const out: Rating[] = []
  for (const r of records) {
    const shape = asShape(r)
    if (!shape) continue
    const meta = readArvoMeta(shape)
    if (meta?.kind !== 'rating') continue
    out.push({ shapeId: shape.id, instance: meta.instance, step: meta.zone, side: meta.side, value: meta.value })
  }
  return out
}

/**
 * The rating shape of one side for one step, or null.
 * @param records - All records of the board.
 */
export function findRatingShape(
  records: readonly unknown[],
  instance: string,
  step: string,
  side: Side,
): TLGeoShape | null {
  for (const r of records) {
    const meta = readArvoMeta(r)
    if (meta?.kind === 'rating' && meta.instance === instance && meta.zone === step && meta.side === side) {
      return r as TLGeoShape
    }
  }
  return null
}

/**
 * Returns the rating shape with a new value (RATE-2): `meta.arvo.value` and the label text
 * change together, in the template's language (kept in `meta.arvo.language`). Other fields and
 * other meta keys are untouched. The input is not modified.
 *
 * The shape is locked: in tldraw apply the result with
 * `editor.run(() => editor.updateShape(next), { ignoreShapeLock: true })`.
 *
 * @param shape - A rating shape (META-5).
 * @param value - 1–5, or 0 to clear.
 * @throws Error when `shape` is not a rating shape or `value` is out of range.
 */
export function setRating<S extends TLShape>(shape: S, value: RatingValue): S {
  const meta = readArvoMeta(shape)
  if (meta?.kind !== 'rating' || shape.type !== 'geo') throw new Error('setRating: not a rating shape')
  if (!isRatingValue(value)) throw new Error(`setRating: invalid rating ${String(value)}`)
  const language = meta.language ?? DEFAULT_LANGUAGE
  const arvo: ArvoRatingMeta = { ...meta, value }
  return {
    ...shape,
    meta: { ...shape.meta, [META_KEY]: { ...arvo } },
    props: { ...shape.props, richText: richText(ratingText(meta.side, value, language)) },
  }
}

/** An axis-aligned box in page coordinates: where one star glyph of a rating label is drawn. */
export interface StarBox {
  x: number
  y: number
  w: number
  h: number
}

/**
 * True when `pagePoint` lies on a rating shape (inside its box, boundary included). False for
 * any other shape.
 *
 * @param shape - The candidate rating shape.
 * @param pagePoint - A point in page coordinates.
 * @param records - The board (needed only if the shape has a parent shape); defaults to none.
 */
export function ratingShapeContains(shape: TLShape, pagePoint: Point, records: readonly unknown[] = []): boolean {
  const meta = readArvoMeta(shape)
  const s = asShape(shape)
  if (meta?.kind !== 'rating' || !s) return false
  const t = shapePageTransform(s, shapesById([...records, shape]))
  const w = s.props.w
  const h = s.props.h
  if (!t || typeof w !== 'number' || typeof h !== 'number' || w <= 0 || h <= 0) return false
  // Into the shape's local frame: translate, then rotate back.
  const dx = pagePoint.x - t.x
  const dy = pagePoint.y - t.y
  const cos = Math.cos(-t.rotation)
  const sin = Math.sin(-t.rotation)
  const lx = dx * cos - dy * sin
  const ly = dx * sin + dy * cos
  return lx >= 0 && lx <= w && ly >= 0 && ly <= h
}

/**
 * The value a click at `pagePoint` means on a rating label whose five star glyphs are drawn at
 * `stars` (RATE-3): the n-th star from the left means n. Each star owns its glyph plus half the
 * gap to its neighbours (and, outside the first and last, half a star's width); vertically the
 * star row plus half a star's height above and below. Null elsewhere (the side's name, the
 * "3/5"), and when `stars` is not five boxes.
 *
 * Where the stars are is the caller's knowledge: the label's text is centred and can wrap, so
 * the browser measures the rendered glyphs.
 *
 * @param stars - The five star glyph boxes (page coordinates), in any order.
 * @param pagePoint - Click position in page coordinates.
 */
export function ratingValueAtStars(stars: readonly StarBox[], pagePoint: Point): RatingValue | null {
  if (stars.length !== 5 || stars.some((b) => !(b.w > 0 && b.h > 0))) return null
  const sorted = [...stars].sort((a, b) => a.x - b.x)
  const top = Math.min(...sorted.map((b) => b.y))
  const bottom = Math.max(...sorted.map((b) => b.y + b.h))
  const starH = bottom - top
  if (pagePoint.y < top - starH / 2 || pagePoint.y > bottom + starH / 2) return null
  const first = sorted[0]!
  const last = sorted[4]!
  if (pagePoint.x < first.x - first.w / 2 || pagePoint.x > last.x + last.w * 1.5) return null
  const centre = (b: StarBox) => b.x + b.w / 2
  for (let i = 0; i < 4; i++) {
    if (pagePoint.x < (centre(sorted[i]!) + centre(sorted[i + 1]!)) / 2) return (i + 1) as RatingValue
  }
  return 5
}
