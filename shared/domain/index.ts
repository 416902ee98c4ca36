/**
 * Arvo's pure domain layer: record meta conventions, templates, zones, ratings, insights and
 * the board summary. No I/O, no React, no DOM; imports only `@tldraw/tlschema` (types).
 * See `SPEC.md` for the rules and `CONTEXT.md` for orientation.
 */
export * from './types'
export * from './richText'
export {
  buildNote,
  geoShape,
  indexKeysAbove,
  maxPageIndex,
  textShape,
  type IndexKey,
  type NoteInput,
} from './records'
export {
  approxPageBounds,
  asShape,
  convexPolygonsOverlap,
  NOTE_SIZE,
  pointInPolygon,
  rectsOverlap,
  shapePageTransform,
  shapesById,
  type Point,
  type Polygon,
  type Rect,
} from './geometry'
export * from './zones'
export * from './ratings'
export * from './insights'
export * from './templates'
