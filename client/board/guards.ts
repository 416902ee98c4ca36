/**
 * Pure rules the board applies to shapes as they are created or changed locally (source
 * `user`). Framework-free and DOM-free so they are unit-tested in Node; `behaviour.ts`
 * registers them as tldraw side effects.
 */
import type { TLShape } from '@tldraw/tlschema'
import { noteMeta, readArvoMeta, type NoteAuthor } from '../../shared/domain/index.ts'
import type { BoardRole } from '../../shared/protocol.ts'

/** Template parts: backgrounds (zones), labels and rating shapes (META-2, META-3, META-5). */
export function isLockedTemplatePart(shape: unknown): boolean {
  const kind = readArvoMeta(shape)?.kind
  return kind === 'zone' || kind === 'label' || kind === 'rating'
}

/**
 * True when `next` is `prev` rated: the same rating shape (step and side) with only its value
 * and its label changed, as a rating click (RATE-C1) or its undo makes it.
 */
function isRatingChange(prev: TLShape, next: TLShape): boolean {
  const a = readArvoMeta(prev)
  const b = readArvoMeta(next)
  if (a?.kind !== 'rating' || b?.kind !== 'rating') return false
  if (a.instance !== b.instance || a.zone !== b.zone || a.side !== b.side) return false
  const { meta: _m1, props: p1, ...rest1 } = prev as TLShape & { props: Record<string, unknown> }
  const { meta: _m2, props: p2, ...rest2 } = next as TLShape & { props: Record<string, unknown> }
  const { richText: _r1, ...props1 } = p1
  const { richText: _r2, ...props2 } = p2
  return JSON.stringify(rest1) === JSON.stringify(rest2) && JSON.stringify(props1) === JSON.stringify(props2)
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
 * Guards a local change of a shape (LOCK-1, NOTE-1):
 * - a participant never changes a template part (zone, label, rating): not its lock, position,
 *   size nor style; the change is reverted. Rating it (value and label only) is the one
 *   exception. A shape that becomes a template part gets locked;
 * - the board's owner may change template parts freely (unlock, move, resize, lock again);
 * - a note keeps its author and side (META-4): someone else editing it, or a change that drops
 *   the meta, never re-attributes it. Its action fields may change.
 *
 * @returns `next`, or a corrected copy of it (`prev` when the whole change is refused).
 */
export function guardShapeChange<S extends TLShape>(prev: S, next: S, role: BoardRole = 'participant'): S {
  if (role !== 'owner') {
    if (isLockedTemplatePart(prev)) return isRatingChange(prev, next) ? next : prev
    if (!next.isLocked && isLockedTemplatePart(next)) return { ...next, isLocked: true }
  }
  let out = next
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

/**
 * Whether a local deletion of `shape` may go ahead (LOCK-1): a participant cannot delete a
 * template part that the owner unlocked (tldraw itself never deletes locked shapes locally, so
 * undoing one's own "Add template" still works).
 */
export function mayDeleteShape(shape: TLShape, role: BoardRole = 'participant'): boolean {
  return role === 'owner' || shape.isLocked || !isLockedTemplatePart(shape)
}

/**
 * The selection a participant may have (LOCK-1): without template parts, which stay
 * unselectable for them even while the owner has unlocked them. The owner keeps any selection.
 *
 * @returns `ids` itself when nothing is removed.
 */
export function allowedSelection<T extends string>(ids: readonly T[], shapeOf: (id: T) => TLShape | undefined, role: BoardRole = 'participant'): readonly T[] {
  if (role === 'owner') return ids
  const kept = ids.filter((id) => !isLockedTemplatePart(shapeOf(id)))
  return kept.length === ids.length ? ids : kept
}
