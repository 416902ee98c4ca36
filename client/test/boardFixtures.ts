import type { TLNoteShape, TLShape } from '@tldraw/tlschema'
import {
  buildNote,
  extractZones,
  indexKeysAbove,
  placeTemplates,
  type ActionFields,
  type TemplateKind,
} from '../../shared/domain/index.ts'
import type { Language } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'

/** People for tests. */
export const PIA = { authorId: 'pia', authorName: 'Pia', side: 'provider' as Side }
export const KALLE = { authorId: 'kalle', authorName: 'Kalle', side: 'customer' as Side }

const keys = indexKeysAbove('c000', 2000)
let n = 0

/** A sticky note (with Arvo note meta) whose centre is at `center`. */
export function noteAt(
  center: { x: number; y: number },
  author: { authorId: string; authorName: string; side: Side },
  opts: { text?: string; action?: ActionFields; id?: string } = {},
): TLNoteShape {
  const i = n++
  return buildNote({
    id: opts.id ?? `note-${i}`,
    x: center.x - 100,
    y: center.y - 100,
    index: keys[i % keys.length]!,
    text: opts.text ?? `note ${i}`,
    author,
    action: opts.action,
  })
}

/** A board with the given templates side by side. */
export function board(kinds: TemplateKind[], language: Language = 'en'): TLShape[] {
  return placeTemplates(kinds, language)
}

/** The centre of a zone's bounds (inside the zone for rectangles and trapezoids). */
export function zoneCenter(shapes: readonly TLShape[], instance: string, zone: string): { x: number; y: number } {
  const z = extractZones(shapes).find((z) => z.instance === instance && z.zone === zone)
  if (!z) throw new Error(`no zone ${instance}/${zone}`)
  return { x: z.bounds.x + z.bounds.w / 2, y: z.bounds.y + z.bounds.h / 2 }
}
