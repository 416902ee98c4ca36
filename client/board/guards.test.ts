import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { readArvoMeta, withActionFields } from '../../shared/domain/index.ts'
import { board, KALLE, noteAt, PIA } from '../test/boardFixtures.ts'
import { guardShapeChange, isLockedTemplatePart, withNoteAuthor } from './guards.ts'

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

  it('LOCK-1 keeps template parts locked when a participant unlocks them (e.g. "Unlock all")', () => {
    for (const s of [zone, label, rating]) {
      expect(guardShapeChange(s, { ...s, isLocked: false }).isLocked).toBe(true)
      // Other changes of the same update go through.
      expect(guardShapeChange(s, { ...s, isLocked: false, opacity: 0.5 }).opacity).toBe(0.5)
    }
    // A template part that arrived unlocked (an older board) gets locked by its next change.
    expect(guardShapeChange({ ...zone, isLocked: false }, { ...zone, isLocked: false, x: 5 }).isLocked).toBe(true)
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
