import { describe, expect, it } from 'vitest'
import { buildNote, geoShape, richText } from '../../shared/domain/index.ts'
import type { PresenceUser } from '../../shared/protocol.ts'
import { EditCounter, WRITING_WINDOW_MS } from './edits.ts'

const kaisa: PresenceUser = { id: 'cust-1', name: 'Kaisa', side: 'customer', color: '#c2410c' }
const pekka: PresenceUser = { id: 'prov-1', name: 'Pekka', side: 'provider', color: '#1d4ed8' }
const WINDOW = 10_000

function setup() {
  let now = 1_000_000
  const counter = new EditCounter([], WINDOW, () => now)
  const note = (text: string, authorId = pekka.id) =>
    buildNote({ id: 'n1', x: 0, y: 0, index: 'a1' as never, text, author: { authorId, authorName: 'x', side: 'provider' } })
  /** One accepted client update of `user` that changed `before` into `after`. */
  const write = (user: PresenceUser, before: unknown, after: unknown) => {
    const c = counter.candidate(user, 'shape:n1', before, after)
    counter.commit(c ? [c] : [])
  }
  const edits = (u: PresenceUser) => counter.get(u.id)?.edits ?? 0
  return { counter, note, write, edits, tick: (ms: number) => (now += ms) }
}

describe('edit counting (server/SPEC.md EDIT-1..4)', () => {
  it('EDIT-1 writing one\'s own new note is the note, not an edit; editing someone else\'s text is one edit', () => {
    const { note, write, edits, tick, counter } = setup()
    counter.noteAdded('shape:n1', note(''))
    // Pekka creates the note empty and types its text, letter by letter, with pauses under the window.
    let prev = note('')
    for (const text of ['G', 'GD', 'GDP', 'GDPR', 'GDPR compliance']) {
      tick(2_000)
      const next = note(text)
      write(pekka, prev, next)
      prev = next
    }
    expect(edits(pekka)).toBe(0)
    // Kaisa changes its text: one edit.
    tick(1_000)
    write(kaisa, prev, note('GDPR and NIS2 compliance'))
    expect(edits(kaisa)).toBe(1)
  })

  it('EDIT-2 repeated text changes of one note within the window count once; after a pause, again', () => {
    const { note, write, edits, tick } = setup()
    let prev = note('Faster onboarding')
    for (let i = 1; i <= 30; i++) {
      tick(500) // typing, 15 s in all, never a pause of 10 s
      const next = note(`Faster onboarding${'!'.repeat(i)}`)
      write(kaisa, prev, next)
      prev = next
    }
    expect(edits(kaisa)).toBe(1)
    tick(WINDOW + 1)
    write(kaisa, prev, note('Faster onboarding of new users'))
    expect(edits(kaisa)).toBe(2)
  })

  it('EDIT-1 moves, resizes, restyles, ratings and template toggles never count', () => {
    const { note, write, edits, tick } = setup()
    const n = note('Named contact person')
    for (const [i, after] of [
      { ...n, x: 120, y: 40 },
      { ...n, props: { ...n.props, color: 'violet' } },
      { ...n, props: { ...n.props, scale: 2 } },
      { ...n, rotation: 0.5 },
    ].entries()) {
      tick(WINDOW * (i + 1))
      write(kaisa, n, after)
    }
    const zone = geoShape({ id: 'z1', x: 0, y: 0, w: 100, h: 100, index: 'a0' as never, isLocked: true, meta: {} })
    write(pekka, zone, { ...zone, isLocked: false })
    write(pekka, { ...zone, isLocked: false }, zone)
    const rating = geoShape({ id: 'r1', x: 0, y: 0, w: 100, h: 30, index: 'a2' as never, text: '☆☆☆☆☆', isLocked: true, meta: {} })
    write(kaisa, rating, { ...rating, props: { ...rating.props, richText: richText('★★★☆☆') } })
    expect(edits(kaisa)).toBe(0)
    expect(edits(pekka)).toBe(0)
  })

  it('EDIT-3 undo and redo of a text change never count; an edit undone in its window no longer counts', () => {
    const { note, write, edits, tick, counter } = setup()
    const a = note('Shared roadmap')
    const b = note('Shared roadmap, reviewed quarterly')
    counter.noteAdded('shape:n1', a)
    write(kaisa, a, b)
    expect(edits(kaisa)).toBe(1)
    // Undone at once (same window): the note is as it was, nothing was contributed.
    tick(1_000)
    write(kaisa, b, a)
    expect(edits(kaisa)).toBe(0)
    // Redo later, undo later again: both return the note to texts it had.
    tick(WINDOW + 1)
    write(kaisa, a, b)
    tick(WINDOW + 1)
    write(kaisa, b, a)
    expect(edits(kaisa)).toBe(0)
    // A new text is a real edit again.
    tick(WINDOW + 1)
    write(kaisa, a, note('Shared roadmap, owned by both'))
    expect(edits(kaisa)).toBe(1)
  })

  it('EDIT-3 a text the note had before (restored after a wipe and its undo) does not count', () => {
    const { note, write, edits, counter, tick } = setup()
    counter.noteAdded('shape:n1', note('Risk register'))
    tick(WRITING_WINDOW_MS + 1)
    write(pekka, note('Risk register'), note('Risk register v2'))
    tick(WINDOW + 1)
    // Pekka's undo brings back the old text.
    write(pekka, note('Risk register v2'), note('Risk register'))
    expect(edits(pekka)).toBe(1)
  })

  it('EDIT-4 a candidate that is never committed (its update refused) counts nothing; counts start from the stored ones', () => {
    let now = 0
    const counter = new EditCounter([{ authorId: kaisa.id, authorName: 'Kaisa', side: 'customer', edits: 4 }], WINDOW, () => now)
    const n = buildNote({ id: 'n1', x: 0, y: 0, index: 'a1' as never, text: 'A', author: { authorId: 'prov-1', authorName: 'Pekka', side: 'provider' } })
    const c = counter.candidate(kaisa, 'shape:n1', n, { ...n, props: { ...n.props, richText: richText('B') } })
    expect(c).not.toBeNull()
    expect(counter.get(kaisa.id)?.edits).toBe(4)
    now += 1
    expect(counter.commit([c!])).toEqual([kaisa.id])
    expect(counter.get(kaisa.id)?.edits).toBe(5)
    // no user (no presence yet) -> nothing to attribute
    expect(counter.candidate(null, 'shape:n1', n, { ...n, props: { ...n.props, richText: richText('C') } })).toBeNull()
  })

  it('EDIT-3 undoing a long edit (more keystrokes than texts remembered) later does not count', () => {
    const { note, write, edits, tick, counter } = setup()
    const start = note('Quarterly review')
    counter.noteAdded('shape:n1', start)
    let prev = start
    for (let i = 1; i <= 120; i++) {
      tick(100)
      const next = note(`Quarterly review ${'x'.repeat(i)}`)
      write(kaisa, prev, next)
      prev = next
    }
    expect(edits(kaisa)).toBe(1)
    tick(WINDOW + 1)
    write(kaisa, prev, start) // Ctrl+Z: back to the text before the whole edit
    tick(WINDOW + 1)
    write(kaisa, start, prev) // Ctrl+Shift+Z
    expect(edits(kaisa)).toBe(1)
  })

  it('EDIT-1 an author who pauses while writing their own new note is still writing it; later changes of it are edits', () => {
    const { note, write, edits, tick, counter } = setup()
    counter.noteAdded('shape:n1', note(''))
    write(pekka, note(''), note('Shared'))
    tick(WINDOW + 5_000) // thinking
    write(pekka, note('Shared'), note('Shared backlog'))
    expect(edits(pekka)).toBe(0)
    tick(WRITING_WINDOW_MS)
    write(pekka, note('Shared backlog'), note('Shared backlog, groomed weekly'))
    expect(edits(pekka)).toBe(1)
  })
})
