/**
 * Zones in page coordinates and the assignment of notes to zones (rules ZONE-*).
 * A zone is a shape whose `meta.arvo.kind` is `zone`; its polygon is its outline (rectangle,
 * or tldraw's trapezoid) transformed to the page. A note belongs to the zone containing its
 * centre.
 */
import {
  applyTransform,
  asShape,
  pointInPolygon,
  polygonBounds,
  shapeLocalOutline,
  shapeLocalSize,
  shapePageTransform,
  shapesById,
  type Point,
  type Rect,
  type ShapeLike,
} from './geometry.ts'
import { readArvoMeta, type ZoneRef } from './types.ts'

/** A zone on the board, in page coordinates. */
export interface Zone extends ZoneRef {
  /** Id of the zone's background shape. */
  shapeId: string
  /** Outline in page coordinates (4 vertices for rectangles and trapezoids). */
  polygon: Point[]
  bounds: Rect
  /** The shape's fractional index: when zones overlap, the higher one wins (ZONE-3). */
  index: string
}

/**
 * Every zone on the board (ZONE-1). Shapes with zone meta but no usable geometry (missing size,
 * broken parent chain) are skipped.
 *
 * @param records - All records of the board (any order; non-shapes ignored).
 * @param byId - Optional pre-built shape index (see `shapesById`).
 */
export function extractZones(records: readonly unknown[], byId = shapesById(records)): Zone[] {
  const zones: Zone[] = []
  for (const r of records) {
    const shape = asShape(r)
    if (!shape) continue
    const meta = readArvoMeta(shape)
    if (!meta || meta.kind !== 'zone') continue
    const outline = shapeLocalOutline(shape)
    const t = shapePageTransform(shape, byId)
    if (!outline || !t) continue
    const polygon = outline.map((p) => applyTransform(t, p))
    zones.push({
      template: meta.template,
      instance: meta.instance,
      zone: meta.zone,
      shapeId: shape.id,
      polygon,
      bounds: polygonBounds(polygon),
      index: typeof shape.index === 'string' ? shape.index : '',
    })
  }
  return zones
}

/**
 * The zone containing `point` (boundary included), or null (ZONE-2). When several contain it —
 * a shared edge, or templates dragged on top of each other — the topmost wins: highest
 * `index`, then highest shape id, so the answer never depends on record order (ZONE-3).
 */
export function zoneAt(point: Point, zones: readonly Zone[]): Zone | null {
  let best: Zone | null = null
  for (const z of zones) {
    const b = z.bounds
    if (point.x < b.x - 1e-6 || point.x > b.x + b.w + 1e-6 || point.y < b.y - 1e-6 || point.y > b.y + b.h + 1e-6) {
      continue
    }
    if (!pointInPolygon(point, z.polygon)) continue
    if (!best || z.index > best.index || (z.index === best.index && z.shapeId > best.shapeId)) best = z
  }
  return best
}

/**
 * The page position of a note's centre: local centre (100 × scale, (200 + growY) × scale / 2)
 * through the note's page transform (rotation and parents included). Null when unknown.
 */
export function noteCenter(note: ShapeLike, byId: ReadonlyMap<string, ShapeLike>): Point | null {
  const size = shapeLocalSize(note)
  const t = shapePageTransform(note, byId)
  if (!size || size.h === null || !t) return null
  return applyTransform(t, { x: size.w / 2, y: size.h / 2 })
}

/** Where one note sits. */
export interface NoteAssignment {
  noteId: string
  /** The note's centre in page coordinates. */
  center: Point
  /** The zone holding the centre, or null when it is outside every zone. */
  zone: ZoneRef | null
}

/**
 * Assigns every note (tldraw `note` shape, with or without Arvo meta) to the zone holding its
 * centre (ZONE-2). Notes whose position cannot be computed are left out.
 *
 * @param records - All records of the board.
 * @returns One entry per note, in record order.
 */
export function assignNotes(records: readonly unknown[]): NoteAssignment[] {
  const byId = shapesById(records)
  const zones = extractZones(records, byId)
  const out: NoteAssignment[] = []
  for (const r of records) {
    const shape = asShape(r)
    if (!shape || shape.type !== 'note') continue
    const center = noteCenter(shape, byId)
    if (!center) continue
    const z = zoneAt(center, zones)
    out.push({
      noteId: shape.id,
      center,
      zone: z ? { template: z.template, instance: z.instance, zone: z.zone } : null,
    })
  }
  return out
}
