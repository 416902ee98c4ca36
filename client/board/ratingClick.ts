/**
 * What a click on the staircase means (RATE-3): which rating shape was hit, the value the
 * click position gives, and whether this person may set it — each side sets only its own
 * rating. Pure: the editor wiring lives in `behaviour.ts`.
 */
import type { TLShape } from '@tldraw/tlschema'
import {
  ratingValueAtPoint,
  readArvoMeta,
  setRating,
  type Point,
  type RatingValue,
} from '../../shared/domain/index.ts'
import type { Side } from '../../shared/protocol.ts'

export type RatingClick =
  /** Set this person's own rating: `next` is the updated shape to apply. */
  | { kind: 'set'; next: TLShape; value: RatingValue; step: string; instance: string }
  /** The click hit the other side's rating: refused, `side` is whose rating it is. */
  | { kind: 'refused'; side: Side; step: string; instance: string }

/**
 * The rating shape under `point` (topmost by index when several overlap) and what clicking it
 * means for a person of `side`. Null when the point is on no rating shape.
 *
 * @param shapes - The board's shapes (for parent transforms).
 * @param point - Click position in page coordinates.
 * @param side - The clicking person's side.
 */
export function ratingClickAt(shapes: readonly TLShape[], point: Point, side: Side): RatingClick | null {
  let hit: { shape: TLShape; value: RatingValue } | null = null
  for (const shape of shapes) {
    if (shape.type !== 'geo') continue
    const meta = readArvoMeta(shape)
    if (meta?.kind !== 'rating') continue
    const value = ratingValueAtPoint(shape, point, shapes)
    if (value === null) continue
    if (!hit || shape.index > hit.shape.index) hit = { shape, value }
  }
  if (!hit) return null
  const meta = readArvoMeta(hit.shape)
  if (meta?.kind !== 'rating') return null
  if (meta.side !== side) return { kind: 'refused', side: meta.side, step: meta.zone, instance: meta.instance }
  return { kind: 'set', next: setRating(hit.shape, hit.value), value: hit.value, step: meta.zone, instance: meta.instance }
}
