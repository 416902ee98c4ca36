/**
 * Pure rules the board applies to shapes as they are created or changed locally (source
 * `user`). Framework-free and DOM-free so they are unit-tested in Node; `behaviour.ts`
 * registers them as tldraw side effects.
 */
import type { TLShape } from '@tldraw/tlschema'
import { noteMeta, readArvoMeta, type NoteAuthor } from '../../shared/domain/index.ts'

/** Template parts participants may never unlock: backgrounds, labels and rating shapes. */
export function isLockedTemplatePart(shape: unknown): boolean {
  const kind = readArvoMeta(shape)?.kind
  return kind === 'zone' || kind === 'label' || kind === 'rating'
}

/**
 * A note being created gets Arvo note meta (META-4) for `author`, unless it already carries
 * valid note meta: a duplicated or pasted note keeps the author of the idea. Other shapes pass
 * through unchanged.
 */
export function withNoteAuthor<S extends TLShape>(shape: S, author: NoteAuthor): S {
  if (shape.type !== 'note') return shape
  if (readArvoMeta(shape)?.kind === 'note') return shape
  return { ...shape, meta: { ...shape.meta, ...noteMeta(author) } }
}

/**
 * Guards a local change of a shape:
 * - template zones, labels and ratings stay locked (participants cannot unlock them, e.g. with
 *   "Unlock all"). The facilitator role (a later issue) will be allowed to unlock them: this is
 *   where that exception goes;
 * - a note keeps its author and side (META-4): someone else editing it, or a change that drops
 *   the meta, never re-attributes it. Its action fields may change.
 *
 * @returns `next`, or a corrected copy of it.
 */
export function guardShapeChange<S extends TLShape>(prev: S, next: S): S {
  let out = next
  if (!next.isLocked && (isLockedTemplatePart(prev) || isLockedTemplatePart(next))) {
    out = { ...out, isLocked: true }
  }
  const before = readArvoMeta(prev)
  if (prev.type === 'note' && before?.kind === 'note') {
    const after = readArvoMeta(next)
    const sameAuthor =
      after?.kind === 'note' &&
      after.authorId === before.authorId &&
      after.authorName === before.authorName &&
      after.side === before.side
    if (!sameAuthor) {
      const author = { authorId: before.authorId, authorName: before.authorName, side: before.side }
      // Keep the action fields of the change when it still carries valid note meta, else the old ones.
      const fields = after?.kind === 'note' ? after : before
      const arvo = noteMeta(author, { owner: fields.owner, ownerSide: fields.ownerSide, due: fields.due })
      out = { ...out, meta: { ...next.meta, ...arvo } }
    }
  }
  return out
}
