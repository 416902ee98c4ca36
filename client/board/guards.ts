/**
 * The client's adapter of the shared policy (shared/policy, rules ROLE-* in server/SPEC.md):
 * the board asks it about shapes as they are created or changed locally (source `user`), so
 * that the UI never makes a change the server would refuse. The server decides; these only
 * mirror it. Framework-free and DOM-free so they are unit-tested in Node; `behaviour.ts`
 * registers them as tldraw side effects.
 */
import type { TLShape } from '@tldraw/tlschema'
import { noteMeta, readArvoMeta, type NoteAuthor } from '../../shared/domain/index.ts'
import { checkRecordWrite, isTemplatePart, maySelect, type Access } from '../../shared/policy/index.ts'

export type { Access } from '../../shared/policy/index.ts'

/** Template parts: backgrounds (zones), labels and rating shapes (META-2, META-3, META-5). */
export const isLockedTemplatePart = isTemplatePart

/**
 * A note being created gets Arvo note meta (META-4) for `author`, whatever meta it carried: a
 * duplicated or pasted note becomes the copier's, as the server attributes it (ROLE-4: the
 * server cannot tell a copy from a forgery). Its action fields are kept. Other shapes pass
 * through unchanged.
 */
export function withNoteAuthor<S extends TLShape>(shape: S, author: NoteAuthor): S {
  if (shape.type !== 'note') return shape
  const m = readArvoMeta(shape)
  if (m?.kind === 'note' && m.authorId === author.authorId && m.authorName === author.authorName && m.side === author.side) return shape
  const fields = m?.kind === 'note' ? { owner: m.owner, ownerSide: m.ownerSide, due: m.due } : {}
  return { ...shape, meta: { ...shape.meta, ...noteMeta(author, fields) } }
}

/**
 * Guards a local change of a shape by the shared policy (ROLE-2..4, LOCK-1, NOTE-1):
 * - a participant changes no template part (zone, label, rating) while the templates are
 *   locked — not its lock, position, size nor style — except rating its own side's rating
 *   (value and label); nothing at all while the board is locked; a viewer changes nothing;
 * - the facilitator may change template parts freely;
 * - a note keeps its author and side (META-4): someone else editing it, or a change that drops
 *   the meta, never re-attributes it. Its action fields may change.
 *
 * @returns `next`, a corrected copy of it, or `prev` when the policy refuses the change.
 */
export function guardShapeChange<S extends TLShape>(prev: S, next: S, access: Access): S {
  const verdict = checkRecordWrite(access, next.id, prev, next)
  if (verdict.kind === 'refuse') return prev
  return verdict.kind === 'correct' ? (verdict.value as S) : next
}

/** Whether a local deletion of `shape` may go ahead (the server would refuse it otherwise). */
export function mayDeleteShape(shape: TLShape, access: Access): boolean {
  return checkRecordWrite(access, shape.id, shape, undefined).kind !== 'refuse'
}

/**
 * The selection this person may have (LOCK-1): a participant's is without template parts while
 * the templates are locked; the facilitator keeps any selection.
 *
 * @returns `ids` itself when nothing is removed.
 */
export function allowedSelection<T extends string>(ids: readonly T[], shapeOf: (id: T) => TLShape | undefined, access: Access): readonly T[] {
  const kept = ids.filter((id) => maySelect(access, shapeOf(id)))
  return kept.length === ids.length ? ids : kept
}
