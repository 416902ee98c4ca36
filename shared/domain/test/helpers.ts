/** Test helpers for the domain tests (not shipped code paths). */
import { createTLSchema, type TLNoteShape, type TLRecord, type TLShape } from '@tldraw/tlschema'
import type { Side } from '../../protocol.ts'
import { estimateBoxLabelHeight, estimateTextHeight, type TextStyle } from '../layout.ts'
import type { Rect } from '../geometry.ts'
import { buildNote, indexKeysAbove } from '../records.ts'
import { richTextToPlain } from '../richText.ts'
import type { ActionFields } from '../types.ts'

const schema = createTLSchema()

/** Validates a record with tldraw's schema; throws like the server would reject it. */
export function validateRecord(record: unknown): void {
  const r = record as TLRecord
  const type = (schema.types as Record<string, { validate(r: unknown): unknown } | undefined>)[r.typeName]
  if (!type) throw new Error(`unknown record type ${String(r.typeName)}`)
  type.validate(r)
}

/** Estimated page rectangle of a label shape's text (text shapes) or of the shape (geo). */
export function labelRect(shape: TLShape): Rect {
  if (shape.type === 'text') {
    const p = shape.props as { w: number; scale: number; size: TextStyle['size']; richText: unknown }
    const bold = JSON.stringify(p.richText).includes('"bold"')
    const w = p.w * p.scale
    const h = estimateTextHeight(richTextToPlain(p.richText), w, { size: p.size, scale: p.scale, bold })
    return { x: shape.x, y: shape.y, w, h }
  }
  const p = shape.props as { w: number; h: number }
  return { x: shape.x, y: shape.y, w: p.w, h: p.h }
}

/** Estimated height of the text inside a geo shape (must not exceed the shape's height). */
export function geoLabelHeight(shape: TLShape): number {
  const p = shape.props as { w: number; scale: number; size: TextStyle['size']; richText: unknown }
  const bold = JSON.stringify(p.richText).includes('"bold"')
  const text = richTextToPlain(p.richText)
  return text ? estimateBoxLabelHeight(text, p.w, { size: p.size, scale: p.scale, bold }) : 0
}

let noteCounter = 0
const noteIndices = indexKeysAbove('c000', 5000)

/** A note whose centre is at `center` (scale and growY as given), authored by `who`. */
export function noteAt(
  center: { x: number; y: number },
  who: { id: string; name?: string; side: Side } | null,
  text = 'note',
  opts: { scale?: number; growY?: number; action?: ActionFields; id?: string } = {},
): TLNoteShape {
  const scale = opts.scale ?? 1
  const growY = opts.growY ?? 0
  const n = noteCounter++
  const note = buildNote({
    id: opts.id ?? `note-${n}`,
    x: center.x - 100 * scale,
    y: center.y - ((200 + growY) * scale) / 2,
    index: noteIndices[n % noteIndices.length]!,
    text,
    author: { authorId: who?.id ?? 'nobody', authorName: who?.name ?? who?.id ?? '', side: who?.side ?? 'provider' },
    action: opts.action,
    scale,
  })
  const withGrow = { ...note, props: { ...note.props, growY } }
  if (!who) return { ...withGrow, meta: {} }
  return withGrow
}

/** Centre of a rectangle. */
export const centerOf = (r: Rect) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 })
