/**
 * What a click on the staircase means (RATE-3, RATE-C1): which rating shape was hit, the value
 * of the star under the pointer, and whether this person may set it — each side sets only its
 * own rating. Pure: where the stars are drawn is measured in the browser (`ratingStars.ts`) and
 * passed in; the editor wiring lives in `behaviour.ts`.
 */
import type { TLShape } from '@tldraw/tlschema'
import {
  ratingShapeContains,
  ratingValueAtStars,
  readArvoMeta,
  setRating,
  type Point,
  type RatingValue,
  type StarBox,
} from '../../shared/domain/index.ts'
import type { Side } from '../../shared/protocol.ts'

export type RatingClick =
  /** Set this person's own rating: `next` is the updated shape to apply. */
  | { kind: 'set'; next: TLShape; value: RatingValue; step: string; instance: string; shapeId: string }
  /** The click hit the other side's rating: refused, `side` is whose rating it is. */
  | { kind: 'refused'; side: Side; step: string; instance: string }

/** Where the five stars of a rating shape's label are drawn (page coordinates), or null when unknown. */
export type StarsOf = (shape: TLShape) => readonly StarBox[] | null

/** The topmost (by index) rating shape under `point`, or null. */
export function ratingShapeAt(shapes: readonly TLShape[], point: Point): TLShape | null {
  let hit: TLShape | null = null
  for (const shape of shapes) {
    if (shape.type !== 'geo' || readArvoMeta(shape)?.kind !== 'rating') continue
    // The board is needed only for a shape inside another (parent transforms): per pointer move, this matters.
    if (!ratingShapeContains(shape, point, shape.parentId.startsWith('page:') ? [] : shapes)) continue
    if (!hit || shape.index > hit.index) hit = shape
  }
  return hit
}

/**
 * What clicking at `point` means for a person of `side`: on their own side's rating, the star
 * under the pointer sets its value (elsewhere on that rating: null, nothing happens); anywhere
 * on the other side's rating: refused. Null away from rating shapes.
 *
 * @param shapes - The board's shapes (for parent transforms).
 * @param point - Click position in page coordinates.
 * @param side - The clicking person's side.
 * @param starsOf - Where the hit shape's stars are drawn.
 */
export function ratingClickAt(shapes: readonly TLShape[], point: Point, side: Side, starsOf: StarsOf): RatingClick | null {
  const shape = ratingShapeAt(shapes, point)
  const meta = shape && readArvoMeta(shape)
  if (!shape || meta?.kind !== 'rating') return null
  if (meta.side !== side) return { kind: 'refused', side: meta.side, step: meta.zone, instance: meta.instance }
  const stars = starsOf(shape)
  const value = stars && ratingValueAtStars(stars, point)
  if (!value) return null
  return { kind: 'set', next: setRating(shape, value), value, step: meta.zone, instance: meta.instance, shapeId: shape.id }
}

/**
 * The value a key pressed on a focused rating sets (RATE-C1): digits 1–5 that value, arrows one
 * step (right/up more, left/down less, within 1–5), Home 1, End 5. Null for other keys.
 *
 * @param key - `KeyboardEvent.key`.
 * @param current - The rating's current value (0 = not rated).
 */
export function ratingValueForKey(key: string, current: RatingValue): RatingValue | null {
  if (/^[1-5]$/.test(key)) return Number(key) as RatingValue
  const clamp = (v: number) => Math.max(1, Math.min(5, v)) as RatingValue
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(current + 1)
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(current === 0 ? 1 : current - 1)
    case 'Home':
      return 1
    case 'End':
      return 5
    default:
      return null
  }
}
