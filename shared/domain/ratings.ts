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

/**
 * The value a click at `pagePoint` on a rating shape means (RATE-3): the shape's width is cut
 * into five equal parts, left = 1 … right = 5. Null when the point is outside the shape or the
 * shape is not a rating shape.
 *
 * @param shape - The rating shape.
 * @param pagePoint - Click position in page coordinates.
 * @param records - The board (needed only if the shape has a parent shape); defaults to none.
 */
export function ratingValueAtPoint(
  shape: TLShape,
  pagePoint: Point,
  records: readonly unknown[] = [],
): RatingValue | null {
  const meta = readArvoMeta(shape)
  const s = asShape(shape)
  if (meta?.kind !== 'rating' || !s) return null
  const t = shapePageTransform(s, shapesById([...records, shape]))
  const w = s.props.w
  const h = s.props.h
  if (!t || typeof w !== 'number' || typeof h !== 'number' || w <= 0 || h <= 0) return null
  // Into the shape's local frame: translate, then rotate back.
  const dx = pagePoint.x - t.x
  const dy = pagePoint.y - t.y
  const cos = Math.cos(-t.rotation)
  const sin = Math.sin(-t.rotation)
  const lx = dx * cos - dy * sin
  const ly = dx * sin + dy * cos
  if (lx < 0 || lx > w || ly < 0 || ly > h) return null
  return Math.min(5, Math.floor((lx / w) * 5) + 1) as RatingValue
}
