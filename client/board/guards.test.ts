import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { readArvoMeta, setRating, withActionFields } from '../../shared/domain/index.ts'
import { board, KALLE, noteAt, PIA } from '../test/boardFixtures.ts'
import { allowedSelection, guardShapeChange, isLockedTemplatePart, mayDeleteShape, withNoteAuthor } from './guards.ts'

const shapes = board(['pyramid', 'staircase'])
const zone = shapes.find((s) => readArvoMeta(s)?.kind === 'zone')!
const label = shapes.find((s) => readArvoMeta(s)?.kind === 'label')!
const rating = shapes.find((s) => readArvoMeta(s)?.kind === 'rating')!

describe('board guards', () => {
  it('LOCK-1 template zones, labels and ratings are locked template parts; notes and plain shapes are not', () => {
    expect([zone, label, rating].map(isLockedTemplatePart)).toEqual([true, true, true])
    expect(isLockedTemplatePart(noteAt({ x: 0, y: 0 }, PIA))).toBe(false)
    expect(isLockedTemplatePart({ ...zone, meta: {} })).toBe(false)
  })

  it('LOCK-1 a participant cannot unlock, move, resize or restyle template parts (e.g. "Unlock all")', () => {
    for (const s of [zone, label, rating]) {
      expect(guardShapeChange(s, { ...s, isLocked: false })).toBe(s)
      expect(guardShapeChange(s, { ...s, isLocked: false, x: s.x + 50, opacity: 0.5 })).toBe(s)
    }
    expect(guardShapeChange(zone, { ...zone, props: { ...zone.props, w: 10 } } as TLShape)).toBe(zone)
    // Unlocked by the owner: a participant still cannot move it, and it stays as the owner left it.
    const unlocked = { ...zone, isLocked: false }
    expect(guardShapeChange(unlocked, { ...unlocked, x: 99 })).toBe(unlocked)
    // A shape that turns into a template part gets locked.
    const n = noteAt({ x: 0, y: 0 }, PIA)
    expect(guardShapeChange(n, { ...n, meta: zone.meta }).isLocked).toBe(true)
  })

  it('LOCK-1 RATE-C1 a participant may rate: value and label of a rating shape change, nothing else', () => {
    const rated = setRating(rating as never, 4) as TLShape
    expect(guardShapeChange(rating, rated)).toBe(rated)
    expect(guardShapeChange(rating, { ...rated, x: rated.x + 5 })).toBe(rating)
    const otherSide = { ...rated, meta: { arvo: { ...(rated.meta.arvo as object), side: 'other' } } } as TLShape
    expect(guardShapeChange(rating, otherSide)).toBe(rating)
  })

  it('LOCK-1 the board owner may unlock, move and lock template parts again', () => {
    const unlocked = guardShapeChange(zone, { ...zone, isLocked: false }, 'owner')
    expect(unlocked.isLocked).toBe(false)
    const moved = guardShapeChange(unlocked, { ...unlocked, x: 123 }, 'owner')
    expect(moved.x).toBe(123)
    expect(guardShapeChange(moved, { ...moved, isLocked: true }, 'owner').isLocked).toBe(true)
  })

  it('LOCK-1 a participant cannot delete or select template parts the owner unlocked; the owner can', () => {
    const unlocked = { ...zone, isLocked: false }
    const n = noteAt({ x: 0, y: 0 }, PIA)
    expect(mayDeleteShape(unlocked)).toBe(false)
    expect(mayDeleteShape(unlocked, 'owner')).toBe(true)
    // Locked parts (tldraw never deletes them locally) may go: undoing one's own "Add template".
    expect(mayDeleteShape(zone)).toBe(true)
    expect(mayDeleteShape(n)).toBe(true)
    const byId = new Map<string, TLShape>([[zone.id, unlocked], [n.id, n], [label.id, label]])
    const ids = [zone.id, n.id, label.id]
    expect(allowedSelection(ids, (id) => byId.get(id))).toEqual([n.id])
    expect(allowedSelection(ids, (id) => byId.get(id), 'owner')).toBe(ids)
    const notesOnly = [n.id]
    expect(allowedSelection(notesOnly, (id) => byId.get(id))).toBe(notesOnly)
  })

  it('LOCK-1 lets participants lock and unlock their own shapes', () => {
    const n = noteAt({ x: 0, y: 0 }, PIA)
    expect(guardShapeChange(n, { ...n, isLocked: true }).isLocked).toBe(true)
    expect(guardShapeChange({ ...n, isLocked: true }, n).isLocked).toBe(false)
  })

  it('NOTE-1 META-4 a new note gets the creator as author; a copied note keeps its author', () => {
    const plain = { ...noteAt({ x: 0, y: 0 }, PIA), meta: {} } as TLShape
    const created = withNoteAuthor(plain, KALLE)
    expect(readArvoMeta(created)).toEqual({ kind: 'note', authorId: 'kalle', authorName: 'Kalle', side: 'customer' })
    const copied = noteAt({ x: 0, y: 0 }, PIA)
    expect(withNoteAuthor(copied, KALLE)).toBe(copied)
    // Broken meta is replaced.
    const broken = { ...plain, meta: { arvo: { kind: 'note', side: 'nobody' } } } as TLShape
    expect(readArvoMeta(withNoteAuthor(broken, KALLE))).toMatchObject({ authorId: 'kalle' })
    // Other shapes are untouched.
    expect(withNoteAuthor(zone, KALLE)).toBe(zone)
  })

  it('NOTE-1 META-4 a note keeps its author when a change would re-attribute it or drop its meta', () => {
    const n = noteAt({ x: 0, y: 0 }, PIA)
    const other = { ...n, meta: { arvo: { kind: 'note', authorId: 'kalle', authorName: 'Kalle', side: 'customer' } } } as TLShape
    expect(readArvoMeta(guardShapeChange(n, other))).toMatchObject({ authorId: 'pia', side: 'provider' })
    expect(readArvoMeta(guardShapeChange(n, { ...n, meta: {} }))).toMatchObject({ authorId: 'pia', side: 'provider' })
  })

  it('NOTE-1 META-6 action fields may change while the author stays', () => {
    const n = noteAt({ x: 0, y: 0 }, PIA)
    const next = { ...n, meta: withActionFields(n.meta, { owner: 'Kalle', ownerSide: 'customer', due: '2026-12-01' }) }
    expect(guardShapeChange(n, next)).toBe(next)
    // A re-attributing change keeps its action fields but not its author.
    const hijack = { ...next, meta: { arvo: { ...(next.meta.arvo as object), authorId: 'x' } } } as TLShape
    expect(readArvoMeta(guardShapeChange(next, hijack))).toEqual({
      kind: 'note',
      authorId: 'pia',
      authorName: 'Pia',
      side: 'provider',
      owner: 'Kalle',
      ownerSide: 'customer',
      due: '2026-12-01',
    })
  })
})
