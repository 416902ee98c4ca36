/**
 * Arvo's pure domain layer: record meta conventions, templates, zones, ratings, insights and
 * the board summary. No I/O, no React, no DOM; imports only `@tldraw/tlschema` (types).
 * See `SPEC.md` for the rules and `CONTEXT.md` for orientation.
 */
export * from './types.ts'
export * from './richText.ts'
export {
  buildNote,
  geoShape,
  indexKeysAbove,
  maxPageIndex,
  textShape,
  type IndexKey,
  type NoteInput,
} from './records.ts'
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
} from './geometry.ts'
export * from './zones.ts'
export * from './ratings.ts'
export * from './insights.ts'
export * from './templates/index.ts'
export { localizedTemplateText } from './templates/localize.ts'
