import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { readArvoMeta, setRating, withActionFields } from '../../shared/domain/index.ts'
import { board, KALLE, noteAt, PIA } from '../test/boardFixtures.ts'
import { allowedSelection, guardShapeChange, isLockedTemplatePart, mayDeleteShape, withNoteAuthor, type Access } from './guards.ts'

const FLAGS = { boardLocked: false, templatesUnlocked: false }
/** Kalle on a customer link; the facilitator; a viewer. */
const participant: Access = { role: 'participant', side: 'customer', personId: 'kalle', name: 'Kalle', flags: FLAGS }
const facilitator: Access = { role: 'facilitator', side: null, personId: 'fac', name: 'Fiona', flags: FLAGS }
const viewer: Access = { role: 'viewer', side: null, personId: 'v', name: 'Vera', flags: FLAGS }

const shapes = board(['pyramid', 'staircase'])
const zone = shapes.find((s) => readArvoMeta(s)?.kind === 'zone')!
const label = shapes.find((s) => readArvoMeta(s)?.kind === 'label')!
const rating = shapes.find((s) => readArvoMeta(s)?.kind === 'rating')!

describe('board guards (the client adapter of shared/policy)', () => {
  it('LOCK-1 template zones, labels and ratings are locked template parts; notes and plain shapes are not', () => {
    expect([zone, label, rating].map(isLockedTemplatePart)).toEqual([true, true, true])
    expect(isLockedTemplatePart(noteAt({ x: 0, y: 0 }, PIA))).toBe(false)
    expect(isLockedTemplatePart({ ...zone, meta: {} })).toBe(false)
  })

  it('LOCK-1 ROLE-3 a participant cannot unlock, move, resize or restyle template parts (e.g. "Unlock all")', () => {
    for (const s of [zone, label, rating]) {
      expect(guardShapeChange(s, { ...s, isLocked: false }, participant)).toBe(s)
      expect(guardShapeChange(s, { ...s, isLocked: false, x: s.x + 50, opacity: 0.5 }, participant)).toBe(s)
    }
    expect(guardShapeChange(zone, { ...zone, props: { ...zone.props, w: 10 } } as TLShape, participant)).toBe(zone)
    // A shape that would turn into a template part is refused (the server refuses it too).
    const n = noteAt({ x: 0, y: 0 }, KALLE)
    expect(guardShapeChange(n, { ...n, meta: zone.meta }, participant)).toBe(n)
    // With the templates unlocked by the facilitator, the participant may move them.
    const open = { ...participant, flags: { ...FLAGS, templatesUnlocked: true } }
    expect(guardShapeChange(zone, { ...zone, x: 99 }, open).x).toBe(99)
  })

  it('LOCK-1 RATE-C1 ROLE-3 a participant may rate its own side: value and label of a rating shape change, nothing else', () => {
    const own = shapes.find((s) => { const m = readArvoMeta(s); return m?.kind === 'rating' && m.side === 'customer' })!
    const rated = setRating(own as never, 4) as TLShape
    expect(guardShapeChange(own, rated, participant)).toBe(rated)
    expect(guardShapeChange(own, { ...rated, x: rated.x + 5 }, participant)).toBe(own)
    const other = shapes.find((s) => { const m = readArvoMeta(s); return m?.kind === 'rating' && m.side === 'provider' })!
    expect(guardShapeChange(other, setRating(other as never, 4) as TLShape, participant)).toBe(other)
  })

  it('LOCK-1 the facilitator may unlock, move and lock template parts again', () => {
    const unlocked = guardShapeChange(zone, { ...zone, isLocked: false }, facilitator)
    expect(unlocked.isLocked).toBe(false)
    const moved = guardShapeChange(unlocked, { ...unlocked, x: 123 }, facilitator)
    expect(moved.x).toBe(123)
    expect(guardShapeChange(moved, { ...moved, isLocked: true }, facilitator).isLocked).toBe(true)
  })

  it('LOCK-1 ROLE-3 a participant cannot delete or select template parts; the facilitator can', () => {
    const unlocked = { ...zone, isLocked: false }
    const n = noteAt({ x: 0, y: 0 }, PIA)
    expect(mayDeleteShape(unlocked, participant)).toBe(false)
    expect(mayDeleteShape(zone, participant)).toBe(false)
    expect(mayDeleteShape(unlocked, facilitator)).toBe(true)
    expect(mayDeleteShape(n, participant)).toBe(true)
    const byId = new Map<string, TLShape>([[zone.id, unlocked], [n.id, n], [label.id, label]])
    const ids = [zone.id, n.id, label.id]
    expect(allowedSelection(ids, (id) => byId.get(id), participant)).toEqual([n.id])
    expect(allowedSelection(ids, (id) => byId.get(id), facilitator)).toBe(ids)
    const notesOnly = [n.id]
    expect(allowedSelection(notesOnly, (id) => byId.get(id), participant)).toBe(notesOnly)
  })

  it('ROLE-1 ROLE-2 a viewer changes and deletes nothing; nor does a participant while the board is locked', () => {
    const n = noteAt({ x: 0, y: 0 }, KALLE)
    const lockedBoard = { ...participant, flags: { ...FLAGS, boardLocked: true } }
    for (const a of [viewer, lockedBoard]) {
      expect(guardShapeChange(n, { ...n, x: 5 }, a)).toBe(n)
      expect(mayDeleteShape(n, a)).toBe(false)
    }
    expect(guardShapeChange(n, { ...n, x: 5 }, participant).x).toBe(5)
  })

  it('LOCK-1 lets participants lock and unlock their own shapes', () => {
    const n = noteAt({ x: 0, y: 0 }, KALLE)
    expect(guardShapeChange(n, { ...n, isLocked: true }, participant).isLocked).toBe(true)
    expect(guardShapeChange({ ...n, isLocked: true }, n, participant).isLocked).toBe(false)
  })

  it('NOTE-1 ROLE-4 a new note gets the creator as author; a copied or pasted note becomes the copier\'s too', () => {
    const plain = { ...noteAt({ x: 0, y: 0 }, PIA), meta: {} } as TLShape
    const created = withNoteAuthor(plain, KALLE)
    expect(readArvoMeta(created)).toEqual({ kind: 'note', authorId: 'kalle', authorName: 'Kalle', side: 'customer' })
    const copied = noteAt({ x: 0, y: 0 }, PIA, { action: { owner: 'Pia', due: '2026-12-01' } })
    expect(readArvoMeta(withNoteAuthor(copied, KALLE))).toMatchObject({ authorId: 'kalle', side: 'customer', owner: 'Pia', due: '2026-12-01' })
    const own = noteAt({ x: 0, y: 0 }, KALLE)
    expect(withNoteAuthor(own, KALLE)).toBe(own)
    // Broken meta is replaced.
    const broken = { ...plain, meta: { arvo: { kind: 'note', side: 'nobody' } } } as TLShape
    expect(readArvoMeta(withNoteAuthor(broken, KALLE))).toMatchObject({ authorId: 'kalle' })
    // Other shapes are untouched.
    expect(withNoteAuthor(zone, KALLE)).toBe(zone)
  })

  it('NOTE-1 META-4 a note keeps its author when a change would re-attribute it or drop its meta', () => {
    const n = noteAt({ x: 0, y: 0 }, PIA)
    const other = { ...n, meta: { arvo: { kind: 'note', authorId: 'kalle', authorName: 'Kalle', side: 'customer' } } } as TLShape
    expect(readArvoMeta(guardShapeChange(n, other, participant))).toMatchObject({ authorId: 'pia', side: 'provider' })
    expect(readArvoMeta(guardShapeChange(n, { ...n, meta: {} }, facilitator))).toMatchObject({ authorId: 'pia', side: 'provider' })
  })

  it('NOTE-1 META-6 action fields may change while the author stays', () => {
    const n = noteAt({ x: 0, y: 0 }, PIA)
    const next = { ...n, meta: withActionFields(n.meta, { owner: 'Kalle', ownerSide: 'customer', due: '2026-12-01' }) }
    expect(guardShapeChange(n, next, participant)).toBe(next)
    // A re-attributing change keeps its action fields but not its author.
    const hijack = { ...next, meta: { arvo: { ...(next.meta.arvo as object), authorId: 'x' } } } as TLShape
    expect(readArvoMeta(guardShapeChange(next, hijack, participant))).toEqual({
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
