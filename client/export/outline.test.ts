import { describe, expect, it } from 'vitest'
import type { VoteResult } from '../../shared/facilitation/index.ts'
import { board, KALLE, noteAt, PIA, zoneCenter } from '../test/boardFixtures.ts'
import { outlineModel } from './outline.ts'

const base = board(['pyramid', 'roleMap'])
const at = (instance: string, zone: string, dx = 0) => {
  const c = zoneCenter(base, instance, zone)
  return { x: c.x + dx, y: c.y }
}
const noSession = { title: null, voteResult: null }

describe('OUT-C1 outline model: template → zone → side, from the report’s data', () => {
  const notes = [
    noteAt(at('pyramid-1', 'functional'), KALLE, { id: 'shape:k1', text: 'Nopeampi käyttöönotto' }),
    noteAt(at('pyramid-1', 'functional', 30), PIA, { id: 'shape:p1', text: 'Faster onboarding' }),
    noteAt(at('roleMap-1', 'design.customer'), KALLE, { id: 'shape:k2', text: 'Ответственный контакт' }),
    noteAt({ x: -5000, y: -5000 }, PIA, { id: 'shape:out', text: 'Parking lot' }),
  ]

  it('groups every note, provider before customer, empty zones listed, outside ones last', () => {
    const m = outlineModel([...base, ...notes], noSession, 'en')
    expect(m.total).toBe(4)
    expect(m.templates.map((t) => [t.instance, t.title, t.count])).toEqual([
      ['pyramid-1', 'B2B value pyramid', 2],
      ['roleMap-1', 'Role map', 1],
      [null, 'Outside the templates', 1],
    ])
    const functional = m.templates[0]!.zones.find((z) => z.zone === 'functional')!
    expect(functional.sides.map((s) => [s.side, s.notes.map((n) => n.text)])).toEqual([
      ['provider', ['Faster onboarding']],
      ['customer', ['Nopeampi käyttöönotto']],
    ])
    // every zone of the template is there, the empty ones with no sides
    expect(m.templates[0]!.zones.length).toBe(5)
    expect(m.templates[0]!.zones.find((z) => z.zone === 'tableStakes')).toMatchObject({ count: 0, sides: [] })
    // the keyboard order follows what is shown
    expect(m.order).toEqual(['shape:p1', 'shape:k1', 'shape:k2', 'shape:out'])
  })

  it('speaks the viewer’s language: titles, zone labels and entry labels', () => {
    const m = outlineModel([...base, ...notes], noSession, 'fi')
    expect(m.templates[0]!.title).toBe('Asiakasarvopyramidi')
    expect(m.templates[2]!.title).toBe('Pohjien ulkopuolella')
    const k1 = m.templates[0]!.zones.flatMap((z) => z.sides.flatMap((s) => s.notes)).find((n) => n.id === 'shape:k1')!
    expect(k1.label).toBe('Asiakkaan lappu, Kirjoittaja: Kalle: Nopeampi käyttöönotto')
  })

  it('shows the last vote’s dots by side, and marks this person’s private notes', () => {
    const voteResult: VoteResult = {
      voteId: 'v1',
      closedAt: Date.UTC(2026, 0, 1),
      dots: 3,
      voters: { provider: 1, customer: 1 },
      ranked: [{ noteId: 'shape:p1', provider: 2, customer: 1, total: 3 }],
      disagreements: [],
    }
    const m = outlineModel([...base, ...notes], { title: 'Workshop', voteResult }, 'en', new Set(['shape:k2']))
    const all = m.templates.flatMap((t) => t.zones.flatMap((z) => z.sides.flatMap((s) => s.notes)))
    const p1 = all.find((n) => n.id === 'shape:p1')!
    expect(p1.votes).toEqual({ provider: 2, customer: 1 })
    expect(p1.label).toBe('Provider note, Written by Pia, Dots – provider: 2, customer: 1: Faster onboarding')
    expect(all.find((n) => n.id === 'shape:k1')!.votes).toEqual({ provider: 0, customer: 0 })
    const k2 = all.find((n) => n.id === 'shape:k2')!
    expect(k2.isPrivate).toBe(true)
    expect(k2.label).toContain('Only you see this')
    expect(all.filter((n) => n.isPrivate).map((n) => n.id)).toEqual(['shape:k2'])
  })

  it('an empty board has no entries', () => {
    expect(outlineModel([], noSession, 'ru')).toEqual({ templates: [], total: 0, order: [] })
  })
})

describe('OUT-C2 templates in board order', () => {
  it('lists templates left to right whatever the record order', () => {
    const shapes = board(['pyramid', 'roleMap', 'staircase'])
    const reversed = [...shapes].reverse()
    for (const records of [shapes, reversed]) {
      expect(outlineModel(records, noSession, 'en').templates.map((t) => t.instance)).toEqual(['pyramid-1', 'roleMap-1', 'staircase-1'])
    }
  })
})
