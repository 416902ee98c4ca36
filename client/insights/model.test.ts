import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { findRatingShape, setRating, templateTitle } from '../../shared/domain/index.ts'
import { board, KALLE, noteAt, PIA, zoneCenter } from '../test/boardFixtures.ts'
import { computeInsights } from './model.ts'

function rate(shapes: TLShape[], step: string, side: 'provider' | 'customer', value: 1 | 2 | 3 | 4 | 5): TLShape[] {
  const s = findRatingShape(shapes, 'staircase-1', step, side)!
  return shapes.map((x) => (x.id === s.id ? setRating(s, value) : x))
}

describe('INS-C1 insights view model', () => {
  const base = board(['pyramid', 'staircase', 'roleMap', 'actionPlan'])
  const at = (instance: string, zone: string, dx = 0) => {
    const c = zoneCenter(base, instance, zone)
    return { x: c.x + dx, y: c.y }
  }

  it('INS-1/2 balance per side and person, with the warning in the viewer’s language', () => {
    const notes = [
      ...[0, 1, 2, 3, 4].map((i) => noteAt(at('pyramid-1', 'functional', i * 10), PIA)),
      noteAt(at('pyramid-1', 'ease'), KALLE),
    ]
    const m = computeInsights([...base, ...notes], [{ authorId: 'pia', authorName: 'Pia', side: 'provider', edits: 2 }], 'fi')
    expect(m.balance.provider).toMatchObject({ notes: 5, edits: 2, contributions: 7 })
    expect(m.balance.customer).toMatchObject({ notes: 1, edits: 0, contributions: 1 })
    expect(m.warning).toMatchObject({ side: 'provider', pct: 88 })
    expect(m.warning!.text).toBe('Palveluntarjoajan puoli kantaa 88 % panoksista')
    expect(m.warning!.hint).toContain('asiakkaan')
    expect(m.balance.people.map((p) => [p.authorName, p.contributions])).toEqual([
      ['Pia', 7],
      ['Kalle', 1],
    ])
  })

  it('INS-2 flags the customer carrying the work too', () => {
    const notes = [0, 1, 2, 3, 4, 5].map((i) => noteAt(at('roleMap-1', 'design.customer', i), KALLE))
    const m = computeInsights([...base, ...notes, noteAt(at('roleMap-1', 'design.provider'), PIA)], [], 'en')
    expect(m.warning).toMatchObject({ side: 'customer', pct: 86 })
    expect(m.warning!.text).toBe('The customer side carries 86% of the contributions')
  })

  it('INS-3 coverage per template: pyramid top down, role-map grid, action-plan ways; empty levels worded', () => {
    const notes = [
      noteAt(at('pyramid-1', 'functional'), PIA),
      noteAt(at('pyramid-1', 'functional', 30), KALLE),
      noteAt(at('pyramid-1', 'tableStakes'), KALLE),
      noteAt(at('roleMap-1', 'delivery.shared'), PIA),
      noteAt(at('actionPlan-1', 'anticipate.action'), KALLE, { action: { owner: 'Pia', due: '2026-12-31' } }),
      noteAt(at('actionPlan-1', 'anticipate.owner'), PIA),
      noteAt({ x: -9000, y: -9000 }, PIA),
    ]
    const m = computeInsights([...base, ...notes], [], 'en')
    expect(m.blocks.map((b) => [b.template, b.title])).toEqual(
      (['pyramid', 'staircase', 'roleMap', 'actionPlan'] as const).map((k) => [k, templateTitle(k, 'en')]),
    )
    const pyramid = m.blocks[0]!
    if (pyramid.template !== 'pyramid') throw new Error('pyramid first')
    expect(pyramid.rows.map((r) => [r.zone, r.provider, r.customer, r.empty])).toEqual([
      ['inspirational', 0, 0, true],
      ['individual', 0, 0, true],
      ['ease', 0, 0, true],
      ['functional', 1, 1, false],
      ['tableStakes', 0, 1, false],
    ])
    expect(pyramid.emptyCount).toBe(3)
    expect(m.emptyMessages.map((e) => e.text)).toContain('Nobody has named any inspirational value yet')
    // An untouched staircase is only highlighted; role-map and action-plan zones are never worded.
    expect(m.emptyMessages.filter((e) => e.instance === 'staircase-1')).toHaveLength(0)
    const m2 = computeInsights([...base, ...notes, noteAt(at('staircase-1', 'relevance'), KALLE)], [], 'et')
    expect(m2.emptyMessages.filter((e) => e.instance === 'staircase-1').map((e) => e.zone)).toEqual([
      'information',
      'understanding',
      'differentiation',
      'delivery',
    ])
    expect(m.emptyMessages.every((e) => e.instance === 'pyramid-1' || e.instance === 'staircase-1')).toBe(true)

    const roleMap = m.blocks[2]!
    if (roleMap.template !== 'roleMap') throw new Error('role map third')
    expect(roleMap.rows).toHaveLength(4)
    expect(roleMap.columns.map((c) => c.id)).toEqual(['provider', 'shared', 'customer'])
    expect(computeInsights(base, [], 'fi').blocks.flatMap((b) => (b.template === 'roleMap' ? b.columns.map((c) => c.label) : []))).toEqual([
      'Tarjoaja',
      'Yhdessä',
      'Asiakas',
    ])
    expect(roleMap.cells['delivery.shared']).toMatchObject({ provider: 1, customer: 0, empty: false })
    expect(roleMap.emptyCount).toBe(11)

    const plan = m.blocks[3]!
    if (plan.template !== 'actionPlan') throw new Error('action plan last')
    expect(plan.ways.find((w) => w.way === 'anticipate')).toMatchObject({
      provider: 1,
      customer: 1,
      total: 2,
      withOwner: 1,
      withDue: 1,
      empty: false,
    })
    expect(plan.emptyCount).toBe(5)
    expect(m.outsideZones).toBe(1)
    expect(m.zoneOfNote(notes[0]!.id)).toEqual({ template: 'pyramid', instance: 'pyramid-1', zone: 'functional' })
    expect(m.zoneOfNote(notes[6]!.id)).toBeNull()
    expect(m.zoneOfNote('shape:nope')).toBeNull()
  })

  it('ZONE-2 a note moved to another level is counted there', () => {
    const n = noteAt(at('pyramid-1', 'functional'), PIA)
    const to = at('pyramid-1', 'inspirational')
    const moved = { ...n, x: to.x - 100, y: to.y - 100 }
    const m = computeInsights([...base, moved], [], 'en')
    expect(m.emptyMessages.map((e) => e.zone)).not.toContain('inspirational')
    expect(m.emptyMessages.map((e) => e.zone)).toContain('functional')
  })

  it('INS-4 perception gap: both-rated steps by largest gap, then partial, then unrated; labels in the UI language', () => {
    let shapes = base
    shapes = rate(shapes, 'information', 'provider', 4)
    shapes = rate(shapes, 'information', 'customer', 3)
    shapes = rate(shapes, 'relevance', 'provider', 5)
    shapes = rate(shapes, 'relevance', 'customer', 1)
    shapes = rate(shapes, 'delivery', 'customer', 2)
    const m = computeInsights(shapes, [], 'ru')
    expect(m.gaps.map((g) => [g.step, g.provider, g.customer, g.gap, g.status])).toEqual([
      ['relevance', 5, 1, 4, 'rated'],
      ['information', 4, 3, 1, 'rated'],
      ['delivery', null, 2, null, 'partial'],
      ['understanding', null, null, null, 'unrated'],
      ['differentiation', null, null, null, 'unrated'],
    ])
    expect(m.gaps[0]!.title).toBe('Значимость')
  })

  it('numbers repeated templates and their staircase steps', () => {
    const two = board(['staircase', 'staircase'], 'et')
    const m = computeInsights(two, [], 'en')
    expect(m.blocks.map((b) => b.title)).toEqual(['Customer value staircase 1', 'Customer value staircase 2'])
    expect(m.gaps).toHaveLength(10)
    expect(m.gaps[0]!.title).toBe('Information (Customer value staircase 1)')
  })

  it('lists templates and ties left to right whatever the record order (each client’s store orders records its own way)', () => {
    const shapes = board(['actionPlan', 'pyramid', 'staircase', 'staircase'])
    const reversed = [...shapes].reverse()
    for (const records of [shapes, reversed]) {
      const m = computeInsights(records, [], 'en')
      expect(m.blocks.map((b) => b.instance)).toEqual(['actionPlan-1', 'pyramid-1', 'staircase-1', 'staircase-2'])
      expect(m.gaps.map((g) => `${g.instance}.${g.step}`).slice(0, 6)).toEqual([
        'staircase-1.information',
        'staircase-1.understanding',
        'staircase-1.relevance',
        'staircase-1.differentiation',
        'staircase-1.delivery',
        'staircase-2.information',
      ])
    }
  })

  it('an empty board has no blocks, gaps or warning', () => {
    const m = computeInsights([], [], 'et')
    expect(m).toMatchObject({ blocks: [], gaps: [], warning: null, outsideZones: 0, emptyMessages: [] })
  })
})
