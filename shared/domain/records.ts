/**
 * Factories for complete, valid tldraw 5.4.2 shape records, built without an editor:
 * every prop present, fractional `index` keys generated here. Uses `@tldraw/tlschema` types only.
 */
import type {
  TLDefaultColorStyle,
  TLDefaultFillStyle,
  TLDefaultFontStyle,
  TLDefaultHorizontalAlignStyle,
  TLDefaultSizeStyle,
  TLDefaultTextAlignStyle,
  TLDefaultVerticalAlignStyle,
  TLGeoShape,
  TLGeoShapeGeoStyle,
  TLNoteShape,
  TLParentId,
  TLShape,
  TLShapeId,
  TLTextShape,
} from '@tldraw/tlschema'
import { BOARD_PAGE_ID } from '../protocol.ts'
import { richText } from './richText.ts'
import { noteMeta, type ActionFields, type NoteAuthor } from './types.ts'

/** tldraw's fractional index key type (`IndexKey` from `@tldraw/utils`, reached via tlschema). */
export type IndexKey = TLShape['index']

/** Base-62 digits in ascending character order, as fractional indexing uses them. */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * Generates `count` fractional index keys, strictly increasing, all above `below`.
 * Keys are integers of the jittered fractional-indexing scheme tldraw uses (`a1`, `a2`, … `az`,
 * `b00`, …); they never carry a fraction, so they are valid and compare with `<`.
 *
 * @param below - The key to stay above (the highest existing sibling index), or null for none.
 * @param count - How many keys to generate.
 * @throws Error when `below` is not a valid index key (this is not a general key parser: any key
 *   whose integer part is malformed is refused).
 */
export function indexKeysAbove(below: string | null, count: number): IndexKey[] {
  let head: string
  let digits: string[]
  if (below === null) {
    head = 'a'
    digits = ['0']
  } else {
    const h = below[0] ?? ''
    if (h >= 'A' && h <= 'Z') {
      // Negative integer part: every key with a lower-case head is above it.
      if (count <= 0) return []
      return ['a0' as IndexKey, ...indexKeysAbove('a0', count - 1)]
    }
    if (!(h >= 'a' && h <= 'z')) throw new Error(`invalid index key: ${below}`)
    const intLength = h.charCodeAt(0) - 'a'.charCodeAt(0) + 1
    const intDigits = below.slice(1, 1 + intLength)
    if (intDigits.length !== intLength || [...intDigits].some((c) => !DIGITS.includes(c))) {
      throw new Error(`invalid index key: ${below}`)
    }
    head = h
    digits = [...intDigits]
  }
  const out: IndexKey[] = []
  for (let n = 0; n < count; n++) {
    // Increment the base-62 integer; on overflow widen it (head letter + 1, one more digit).
    let i = digits.length - 1
    while (i >= 0) {
      const d = DIGITS.indexOf(digits[i]!)
      if (d < DIGITS.length - 1) {
        digits[i] = DIGITS[d + 1]!
        break
      }
      digits[i] = '0'
      i--
    }
    if (i < 0) {
      if (head === 'z') throw new Error('index keys exhausted')
      head = String.fromCharCode(head.charCodeAt(0) + 1)
      digits = new Array<string>(digits.length + 1).fill('0')
    }
    out.push((head + digits.join('')) as IndexKey)
  }
  return out
}

/**
 * The highest `index` among the given shapes that sit directly on the board page, or null.
 * Pass it to `buildTemplate({ indexAbove })` so a template added later stacks above them.
 */
export function maxPageIndex(records: readonly unknown[]): IndexKey | null {
  let max: string | null = null
  for (const r of records) {
    const rec = r as Partial<TLShape> | null
    if (!rec || rec.typeName !== 'shape' || rec.parentId !== BOARD_PAGE_ID) continue
    if (typeof rec.index === 'string' && (max === null || rec.index > max)) max = rec.index
  }
  return max as IndexKey | null
}

/** Fields every shape factory needs. */
export interface ShapeBaseInput {
  id: string
  x: number
  y: number
  index: IndexKey
  isLocked: boolean
  meta: TLShape['meta']
  parentId?: TLParentId
}

function base(input: ShapeBaseInput) {
  return {
    id: (input.id.startsWith('shape:') ? input.id : `shape:${input.id}`) as TLShapeId,
    typeName: 'shape' as const,
    x: input.x,
    y: input.y,
    rotation: 0,
    index: input.index,
    parentId: input.parentId ?? (BOARD_PAGE_ID as TLParentId),
    isLocked: input.isLocked,
    opacity: 1,
    meta: input.meta,
  }
}

/** Inputs of {@link geoShape}. */
export interface GeoShapeInput extends ShapeBaseInput {
  w: number
  h: number
  geo?: TLGeoShapeGeoStyle
  color?: TLDefaultColorStyle
  fill?: TLDefaultFillStyle
  size?: TLDefaultSizeStyle
  font?: TLDefaultFontStyle
  text?: string
  bold?: boolean
  align?: TLDefaultHorizontalAlignStyle
  verticalAlign?: TLDefaultVerticalAlignStyle
  scale?: number
  dash?: TLGeoShape['props']['dash']
}

/** Builds a complete tldraw `geo` shape record (every prop present). */
export function geoShape(input: GeoShapeInput): TLGeoShape {
  return {
    ...base(input),
    type: 'geo',
    props: {
      geo: input.geo ?? 'rectangle',
      dash: input.dash ?? 'solid',
      url: '',
      w: input.w,
      h: input.h,
      growY: 0,
      scale: input.scale ?? 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color: input.color ?? 'black',
      fill: input.fill ?? 'solid',
      size: input.size ?? 's',
      font: input.font ?? 'sans',
      align: input.align ?? 'middle',
      verticalAlign: input.verticalAlign ?? 'middle',
      richText: richText(input.text ?? '', { bold: input.bold }),
    },
  }
}

/** Inputs of {@link textShape}. `w` is the wrapping width in shape units (page width / scale). */
export interface TextShapeInput extends ShapeBaseInput {
  text: string
  w: number
  color?: TLDefaultColorStyle
  size?: TLDefaultSizeStyle
  font?: TLDefaultFontStyle
  textAlign?: TLDefaultTextAlignStyle
  scale?: number
  bold?: boolean
}

/** Builds a complete tldraw `text` shape record with a fixed wrapping width (`autoSize: false`). */
export function textShape(input: TextShapeInput): TLTextShape {
  return {
    ...base(input),
    type: 'text',
    props: {
      color: input.color ?? 'black',
      size: input.size ?? 'm',
      font: input.font ?? 'sans',
      textAlign: input.textAlign ?? 'start',
      w: input.w,
      richText: richText(input.text, { bold: input.bold }),
      scale: input.scale ?? 1,
      autoSize: false,
    },
  }
}

/** Inputs of {@link buildNote}. */
export interface NoteInput {
  /** Shape id, with or without the `shape:` prefix. */
  id: string
  x: number
  y: number
  index: IndexKey
  text: string
  author: NoteAuthor
  action?: ActionFields
  color?: TLDefaultColorStyle
  scale?: number
  parentId?: TLParentId
}

/**
 * Builds a complete sticky note carrying Arvo note meta (META-4), as the tldraw note tool
 * would create it. Used by the server (seeding, tests) and by tests; the browser client
 * normally lets tldraw create the note and adds the meta with {@link noteMeta}.
 */
export function buildNote(input: NoteInput): TLNoteShape {
  return {
    ...base({
      id: input.id,
      x: input.x,
      y: input.y,
      index: input.index,
      isLocked: false,
      meta: noteMeta(input.author, input.action),
      parentId: input.parentId,
    }),
    type: 'note',
    props: {
      color: input.color ?? 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 1,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: richText(input.text),
      scale: input.scale ?? 1,
      textLastEditedBy: null,
    },
  }
}
