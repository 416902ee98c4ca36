import { NoteShapeUtil, type TLNoteShape } from 'tldraw'

interface LabelSize {
  labelHeight: number
  labelWidth: number
  fontSizeAdjustment: number
}

/**
 * tldraw's note, with its label-size cache keyed by the note's `props` object instead of the
 * whole record. tldraw 5.4 measures a note's text in the DOM again whenever the record object
 * changes — also when only x/y changed. Local drags keep `props` (tldraw spreads the record),
 * and the bridge keeps it for remote moves (`shareStructure`), so with this cache a note is
 * measured only when its content or style changes. On a 2,000-note board this is what keeps
 * remote drags from costing a DOM measurement per note per frame (see bench/browser).
 *
 * Relies on tldraw's private `getLabelSize`/`measureNoteLabelSize` (tldraw is pinned to 5.4.2;
 * the e2e suite checks they are still there: `noteUtilPatchApplies`).
 */
export class ArvoNoteShapeUtil extends NoteShapeUtil {}

const sizes = new WeakMap<object, LabelSize>()
type Internals = { measureNoteLabelSize(shape: TLNoteShape): LabelSize }
Object.defineProperty(ArvoNoteShapeUtil.prototype, 'getLabelSize', {
  configurable: true,
  writable: true,
  value: function getLabelSize(this: Internals, shape: TLNoteShape): LabelSize {
    let size = sizes.get(shape.props)
    if (!size) {
      size = this.measureNoteLabelSize(shape)
      sizes.set(shape.props, size)
    }
    return size
  },
})

/** True when the tldraw internals this relies on are present. */
export function noteUtilPatchApplies(): boolean {
  const proto = NoteShapeUtil.prototype as unknown as Record<string, unknown>
  return typeof proto.getLabelSize === 'function' && typeof proto.measureNoteLabelSize === 'function'
}
