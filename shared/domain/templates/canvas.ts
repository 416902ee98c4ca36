/**
 * A template's drawing surface: template modules describe zones, labels and rating shapes in
 * template-local coordinates; `toRecords` turns them into complete tldraw records with ids,
 * page coordinates and fractional indices (zones at the bottom, then labels, then ratings).
 */
import type {
  TLDefaultColorStyle,
  TLDefaultFillStyle,
  TLDefaultHorizontalAlignStyle,
  TLDefaultTextAlignStyle,
  TLDefaultVerticalAlignStyle,
  TLGeoShapeGeoStyle,
  TLShape,
} from '@tldraw/tlschema'
import type { Language } from '../../i18n/languages.ts'
import type { Side } from '../../protocol.ts'
import { TYPE, type TextStyle } from '../layout.ts'
import {
  geoShape,
  indexKeysAbove,
  textShape,
  type GeoShapeInput,
  type TextShapeInput,
} from '../records.ts'
import {
  META_KEY,
  type ArvoLabelMeta,
  type ArvoRatingMeta,
  type ArvoZoneMeta,
  type LabelRole,
  type RatingValue,
  type TemplateKind,
} from '../types.ts'
import type { Point } from '../geometry.ts'

/** A rectangle in template-local coordinates. */
export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/**
 * How a zone background looks. Mind tldraw's fill names: `solid` paints the colour's light
 * tint (what we want for backgrounds), `semi` paints a near-white neutral whatever the colour.
 */
export interface ZoneStyle {
  color: TLDefaultColorStyle
  fill?: TLDefaultFillStyle
  geo?: Extract<TLGeoShapeGeoStyle, 'rectangle' | 'trapezoid'>
}

/** How a label looks: a text style plus colour and alignment. */
export interface LabelStyle extends TextStyle {
  color?: TLDefaultColorStyle
  textAlign?: TLDefaultTextAlignStyle
}

/** How a boxed label looks. */
export interface LabelBoxStyle extends TextStyle {
  color: TLDefaultColorStyle
  fill?: TLDefaultFillStyle
  align?: TLDefaultHorizontalAlignStyle
  verticalAlign?: TLDefaultVerticalAlignStyle
}

/** What a label is about. */
export interface LabelInfo {
  role: LabelRole
  zone?: string
  element?: string
  group?: string
}

/** A shape waiting for its index. */
type ShapeArgs =
  | ({ kind: 'geo' } & Omit<GeoShapeInput, 'index'>)
  | ({ kind: 'text' } & Omit<TextShapeInput, 'index'>)

/** rank: 0 zones, 1 labels, 2 ratings (bottom to top). */
interface Item {
  rank: 0 | 1 | 2
  part: string
  make: (x: number, y: number) => ShapeArgs
}

/** Collects a template's shapes; see the module comment. */
export class TemplateCanvas {
  private readonly items: Item[] = []
  private readonly parts = new Set<string>()

  constructor(
    readonly template: TemplateKind,
    readonly instance: string,
  ) {}

  private add(item: Item) {
    if (this.parts.has(item.part)) throw new Error(`duplicate template part ${item.part}`)
    this.parts.add(item.part)
    this.items.push(item)
  }

  private id(part: string) {
    return `shape:${this.instance}.${part}`
  }

  /** Adds a locked zone background (META-2). */
  zone(zone: string, box: Box, style: ZoneStyle): void {
    const meta: ArvoZoneMeta = {
      kind: 'zone',
      template: this.template,
      instance: this.instance,
      zone,
    }
    const part = `zone.${zone}`
    this.add({
      rank: 0,
      part,
      make: (x, y) => ({
        kind: 'geo',
        id: this.id(part),
        x: x + box.x,
        y: y + box.y,
        isLocked: true,
        meta: { [META_KEY]: { ...meta } },
        w: box.w,
        h: box.h,
        geo: style.geo ?? 'rectangle',
        color: style.color,
        fill: style.fill ?? 'solid',
        size: 's',
      }),
    })
  }

  /**
   * Adds a locked text label (META-3) at `at`, wrapping at `at.w` page pixels.
   * @param part - Unique name within the template (becomes part of the shape id).
   */
  label(part: string, text: string, at: Point & { w: number }, style: LabelStyle, info: LabelInfo) {
    const meta: ArvoLabelMeta = { kind: 'label', template: this.template, instance: this.instance }
    if (info.zone !== undefined) meta.zone = info.zone
    meta.role = info.role
    if (info.element !== undefined) meta.element = info.element
    if (info.group !== undefined) meta.group = info.group
    const fullPart = `label.${part}`
    this.add({
      rank: 1,
      part: fullPart,
      make: (x, y) => ({
        kind: 'text',
        id: this.id(fullPart),
        x: x + at.x,
        y: y + at.y,
        isLocked: true,
        meta: { [META_KEY]: { ...meta } },
        text,
        w: at.w / style.scale,
        size: style.size,
        scale: style.scale,
        bold: style.bold,
        color: style.color ?? 'black',
        textAlign: style.textAlign ?? 'start',
      }),
    })
  }

  /**
   * Adds a locked label drawn as a filled box with its text inside (META-3), e.g. a table's
   * row or column header. The text uses geo-label sizes (`LABEL_SIZE_FACTOR`) times `style.scale`.
   */
  labelBox(part: string, text: string, box: Box, style: LabelBoxStyle, info: LabelInfo) {
    const meta: ArvoLabelMeta = { kind: 'label', template: this.template, instance: this.instance }
    if (info.zone !== undefined) meta.zone = info.zone
    meta.role = info.role
    const fullPart = `label.${part}`
    this.add({
      rank: 1,
      part: fullPart,
      make: (x, y) => ({
        kind: 'geo',
        id: this.id(fullPart),
        x: x + box.x,
        y: y + box.y,
        isLocked: true,
        meta: { [META_KEY]: { ...meta } },
        w: box.w,
        h: box.h,
        geo: 'rectangle',
        color: style.color,
        fill: style.fill ?? 'solid',
        size: style.size,
        scale: style.scale,
        text,
        bold: style.bold,
        align: style.align ?? 'middle',
        verticalAlign: style.verticalAlign ?? 'middle',
      }),
    })
  }

  /** Adds one side's rating shape of a staircase step (META-5), locked so it cannot be moved. */
  rating(
    step: string,
    side: Side,
    box: Box,
    value: RatingValue,
    text: string,
    color: TLDefaultColorStyle,
    language: Language,
  ) {
    if (this.template !== 'staircase') throw new Error('ratings belong to the staircase')
    const meta: ArvoRatingMeta = {
      kind: 'rating',
      template: 'staircase',
      instance: this.instance,
      zone: step,
      side,
      value,
      language,
    }
    const part = `rating.${step}.${side}`
    this.add({
      rank: 2,
      part,
      make: (x, y) => ({
        kind: 'geo',
        id: this.id(part),
        x: x + box.x,
        y: y + box.y,
        isLocked: true,
        meta: { [META_KEY]: { ...meta } },
        w: box.w,
        h: box.h,
        geo: 'rectangle',
        color,
        fill: 'solid',
        size: 's',
        text,
        scale: RATING_LABEL_SCALE,
        align: 'middle',
        verticalAlign: 'middle',
      }),
    })
  }

  /**
   * The complete records: page coordinates (`origin` + local), ids `shape:<instance>.<part>`,
   * indices above `indexAbove`, ordered zones → labels → ratings (TPL-3).
   */
  toRecords(origin: Point, indexAbove: string | null): TLShape[] {
    const ordered = this.items
      .map((item, order) => ({ item, order }))
      .sort((a, b) => a.item.rank - b.item.rank || a.order - b.order)
    const indices = indexKeysAbove(indexAbove, ordered.length)
    return ordered.map(({ item }, i) => {
      const args = item.make(origin.x, origin.y)
      const index = indices[i]!
      return args.kind === 'geo' ? geoShape({ ...args, index }) : textShape({ ...args, index })
    })
  }
}

/** Scale of rating shapes: their label is size `s` × 1.4 ≈ 25 px. */
export const RATING_LABEL_SCALE = 1.4

/** Re-exported for template modules. */
export { TYPE }
