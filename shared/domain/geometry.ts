/**
 * Plane geometry for zones and notes: polygons, containment, overlap, and page transforms of
 * tldraw shapes (x, y, rotation about the shape's origin, composed through parent shapes).
 * Works on untrusted record JSON: anything malformed yields `null`, never a throw.
 */

/** A point in page coordinates. */
export interface Point {
  x: number
  y: number
}

/** An axis-aligned rectangle. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** A simple polygon, vertices in order. */
export type Polygon = readonly Point[]

/** Tolerance for "on the edge" checks, in page units. */
export const EPSILON = 1e-6

/** tldraw's trapezoid insets its top edge by this fraction of min(w, h) on each side. */
export const TRAPEZOID_INSET = 0.38

/** tldraw's note size at scale 1 (`NOTE_SIZE`). */
export const NOTE_SIZE = 200

/** Axis-aligned bounds of a polygon. */
export function polygonBounds(poly: Polygon): Rect {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const p of poly) {
    minX = Math.min(minX, p.x)
    minY = Math.min(minY, p.y)
    maxX = Math.max(maxX, p.x)
    maxY = Math.max(maxY, p.y)
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}

function onSegment(p: Point, a: Point, b: Point): boolean {
  const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
  const len = Math.hypot(b.x - a.x, b.y - a.y)
  if (Math.abs(cross) > EPSILON * Math.max(1, len)) return false
  const dot = (p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)
  return dot >= -EPSILON && dot <= len * len + EPSILON
}

/**
 * Whether `p` lies inside `poly` or on its boundary (closed polygon, even-odd rule).
 *
 * @param p - The point.
 * @param poly - At least three vertices.
 */
export function pointInPolygon(p: Point, poly: Polygon): boolean {
  const n = poly.length
  if (n < 3) return false
  for (let i = 0, j = n - 1; i < n; j = i++) {
    if (onSegment(p, poly[j]!, poly[i]!)) return true
  }
  let inside = false
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = poly[i]!
    const b = poly[j]!
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) {
      inside = !inside
    }
  }
  return inside
}

/**
 * Whether the interiors of two convex polygons intersect (separating axis test). Polygons that
 * only touch along an edge or at a corner do not overlap.
 */
export function convexPolygonsOverlap(a: Polygon, b: Polygon): boolean {
  for (const poly of [a, b]) {
    for (let i = 0; i < poly.length; i++) {
      const p1 = poly[i]!
      const p2 = poly[(i + 1) % poly.length]!
      const nx = p2.y - p1.y
      const ny = p1.x - p2.x
      const len = Math.hypot(nx, ny)
      if (len < EPSILON) continue
      const project = (q: Polygon) => {
        let min = Infinity
        let max = -Infinity
        for (const v of q) {
          const d = (v.x * nx + v.y * ny) / len
          min = Math.min(min, d)
          max = Math.max(max, d)
        }
        return { min, max }
      }
      const pa = project(a)
      const pb = project(b)
      if (pa.max <= pb.min + 1e-6 || pb.max <= pa.min + 1e-6) return false
    }
  }
  return true
}

/** Whether the interiors of two rectangles intersect (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/** The corners of a rectangle, clockwise from the top-left. */
export function rectPolygon(r: Rect): Point[] {
  return [
    { x: r.x, y: r.y },
    { x: r.x + r.w, y: r.y },
    { x: r.x + r.w, y: r.y + r.h },
    { x: r.x, y: r.y + r.h },
  ]
}

/** A rigid transform: rotate by `rotation` radians about the origin, then translate. */
export interface Transform {
  x: number
  y: number
  rotation: number
}

/** Applies a transform to a point. */
export function applyTransform(t: Transform, p: Point): Point {
  const cos = Math.cos(t.rotation)
  const sin = Math.sin(t.rotation)
  return { x: t.x + p.x * cos - p.y * sin, y: t.y + p.x * sin + p.y * cos }
}

/** `parent ∘ child`: the child's local frame expressed in the parent's parent frame. */
export function composeTransforms(parent: Transform, child: Transform): Transform {
  const origin = applyTransform(parent, { x: child.x, y: child.y })
  return { x: origin.x, y: origin.y, rotation: parent.rotation + child.rotation }
}

/** The fields of a shape record geometry needs; anything else may be missing. */
export interface ShapeLike {
  id: string
  type: string
  x: number
  y: number
  rotation: number
  parentId: string
  props: Record<string, unknown>
  meta?: unknown
  index?: unknown
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** Returns the record as a {@link ShapeLike} when it is a shape with finite x, y, rotation. */
export function asShape(record: unknown): ShapeLike | null {
  if (typeof record !== 'object' || record === null) return null
  const r = record as Record<string, unknown>
  if (r.typeName !== 'shape' || typeof r.id !== 'string' || typeof r.type !== 'string') return null
  if (!finite(r.x) || !finite(r.y) || !finite(r.rotation) || typeof r.parentId !== 'string') return null
  if (typeof r.props !== 'object' || r.props === null) return null
  return r as unknown as ShapeLike
}

/** Maximum parent chain we follow (groups in frames in groups…); deeper or cyclic = invalid. */
const MAX_PARENT_DEPTH = 32

/**
 * The page transform of a shape: its own x, y, rotation composed with its ancestors'.
 * Returns null when a parent is missing, malformed or the chain is cyclic.
 *
 * @param shape - The shape.
 * @param byId - Every shape by id (to find parents).
 */
export function shapePageTransform(
  shape: ShapeLike,
  byId: ReadonlyMap<string, ShapeLike>,
): Transform | null {
  let t: Transform = { x: shape.x, y: shape.y, rotation: shape.rotation }
  let parentId = shape.parentId
  for (let depth = 0; parentId.startsWith('shape:'); depth++) {
    const parent = byId.get(parentId)
    if (!parent || depth >= MAX_PARENT_DEPTH) return null
    t = composeTransforms({ x: parent.x, y: parent.y, rotation: parent.rotation }, t)
    parentId = parent.parentId
  }
  return parentId.startsWith('page:') ? t : null
}

/**
 * The size of a shape in its own frame, when known from its props: geo/frame/image/… use
 * `w`/`h` (+ `growY`), notes `200 × scale` wide and `(200 + growY) × scale` tall, text
 * `w × scale` wide with an unknown height (null).
 */
export function shapeLocalSize(shape: ShapeLike): { w: number; h: number | null } | null {
  const p = shape.props
  const growY = finite(p.growY) ? p.growY : 0
  if (shape.type === 'note') {
    const scale = finite(p.scale) && p.scale > 0 ? p.scale : 1
    return { w: NOTE_SIZE * scale, h: (NOTE_SIZE + growY) * scale }
  }
  if (shape.type === 'text') {
    const scale = finite(p.scale) && p.scale > 0 ? p.scale : 1
    return finite(p.w) ? { w: p.w * scale, h: null } : null
  }
  if (finite(p.w) && finite(p.h)) return { w: p.w, h: p.h + growY }
  return null
}

/**
 * A shape's outline in its own frame, for the shapes zones are made of: a rectangle for most
 * shapes, tldraw's trapezoid (top edge inset by 0.38 × min(w, h); upside down with `flipY`) for
 * `geo: 'trapezoid'`. Null when the size is unknown.
 */
export function shapeLocalOutline(shape: ShapeLike): Point[] | null {
  const size = shapeLocalSize(shape)
  if (!size || size.h === null || size.w <= 0 || size.h <= 0) return null
  const { w, h } = size
  if (shape.type === 'geo' && shape.props.geo === 'trapezoid') {
    const o = Math.min(w, h) * TRAPEZOID_INSET
    return shape.props.flipY === true
      ? [
          { x: 0, y: 0 },
          { x: w, y: 0 },
          { x: w - o, y: h },
          { x: o, y: h },
        ]
      : [
          { x: o, y: 0 },
          { x: w - o, y: 0 },
          { x: w, y: h },
          { x: 0, y: h },
        ]
  }
  return rectPolygon({ x: 0, y: 0, w, h })
}

/** Indexes shapes by id (non-shapes and malformed records are skipped). */
export function shapesById(records: readonly unknown[]): Map<string, ShapeLike> {
  const byId = new Map<string, ShapeLike>()
  for (const r of records) {
    const s = asShape(r)
    if (s) byId.set(s.id, s)
  }
  return byId
}

/**
 * Approximate page bounds of any shape (text height guessed as one 60 px line × scale).
 * Used to find free space on a board, not for zone assignment.
 */
export function approxPageBounds(shape: ShapeLike, byId: ReadonlyMap<string, ShapeLike>): Rect | null {
  const t = shapePageTransform(shape, byId)
  const size = shapeLocalSize(shape)
  if (!t || !size) return null
  const scale = finite(shape.props.scale) ? shape.props.scale : 1
  const h = size.h ?? 60 * scale
  return polygonBounds(rectPolygon({ x: 0, y: 0, w: size.w, h }).map((p) => applyTransform(t, p)))
}
