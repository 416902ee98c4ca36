import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import type { Side } from '../protocol.ts'
import {
  balanceWarningMessage,
  boardSummary,
  contributionBalance,
  coverage,
  emptyZoneMessage,
  perceptionGap,
  type EditCount,
} from './insights.ts'
import { findRatingShape, setRating } from './ratings.ts'
import { centerOf, noteAt } from './test/helpers.ts'
import { buildTemplate, placeTemplates } from './templates/index.ts'
import type { RatingValue } from './types.ts'
import { extractZones } from './zones.ts'

interface Person {
  id: string
  name: string
  side: Side
}
const anna: Person = { id: 'anna', name: 'Anna', side: 'provider' }
const pekka: Person = { id: 'pekka', name: 'Pekka', side: 'provider' }
const olga: Person = { id: 'olga', name: 'Olga', side: 'customer' }

/** n notes by `who`, somewhere off the templates. */
const notesBy = (who: Person, n: number) =>
  Array.from({ length: n }, (_, i) => noteAt({ x: -5000 - i * 300, y: 0 }, who, `${who.name} ${i}`))

describe('INS-1 contributions', () => {
  it('counts notes per side and per person, plus edits from the caller', () => {
    const records = [...notesBy(anna, 2), ...notesBy(pekka, 1), ...notesBy(olga, 3)]
    const edits: EditCount[] = [
      { authorId: 'olga', side: 'customer', edits: 4 },
      { authorId: 'sam', authorName: 'Sam', side: 'customer', edits: 1 },
    ]
    const b = contributionBalance(records, edits)
    expect(b.provider).toEqual({ notes: 3, edits: 0, contributions: 3, share: 3 / 11, people: 2 })
    expect(b.customer).toEqual({ notes: 3, edits: 5, contributions: 8, share: 8 / 11, people: 2 })
    expect(b.total).toBe(11)
    expect(b.people.map((p) => [p.authorName, p.contributions])).toEqual([
      ['Olga', 7],
      ['Anna', 2],
      ['Pekka', 1],
      ['Sam', 1],
    ])
  })

  it('ignores malformed edit counts and keeps unattributed notes apart', () => {
    const bad = [
      { authorId: '', side: 'customer', edits: 3 },
      { authorId: 'x', side: 'facilitator', edits: 3 },
      { authorId: 'y', side: 'provider', edits: -2 },
      { authorId: 'z', side: 'provider', edits: 1.5 },
      null,
    ] as unknown as EditCount[]
    const records = [noteAt({ x: 0, y: 0 }, null, 'who wrote this?'), ...notesBy(anna, 1)]
    const b = contributionBalance(records, bad)
    expect(b.total).toBe(1)
    expect(b.unattributedNotes).toBe(1)
  })

  it('treats the same person on two sides as two contributors', () => {
    const switched: Person = { ...anna, side: 'customer' }
    const b = contributionBalance([...notesBy(anna, 1), ...notesBy(switched, 1)])
    expect(b.people).toHaveLength(2)
    expect(b.provider.people).toBe(1)
    expect(b.customer.people).toBe(1)
  })
})

describe('INS-2 balance warning, both directions', () => {
  it('flags the provider side carrying more than 70%', () => {
    const b = contributionBalance([...notesBy(anna, 4), ...notesBy(olga, 1)])
    expect(b.warning).toEqual({ side: 'provider', pct: 80 })
    expect(balanceWarningMessage(b, 'en')).toBe('The provider side carries 80% of the contributions')
    expect(balanceWarningMessage(b, 'et')).toBe('Teenusepakkuja pool annab 80% panustest')
  })

  it('flags the customer side carrying more than 70% (seed 000: the customer did the work)', () => {
    const b = contributionBalance(notesBy(anna, 1), [{ authorId: 'olga', side: 'customer', edits: 9 }])
    expect(b.warning).toEqual({ side: 'customer', pct: 90 })
    expect(balanceWarningMessage(b, 'ru')).toBe('На сторону клиента приходится 90% вклада')
  })

  it('stays quiet below the minimum number of contributions', () => {
    expect(contributionBalance(notesBy(anna, 4)).warning).toBeNull()
    expect(contributionBalance(notesBy(anna, 5)).warning).toEqual({ side: 'provider', pct: 100 })
    expect(contributionBalance([]).warning).toBeNull()
    expect(balanceWarningMessage(contributionBalance([]), 'en')).toBeNull()
  })

  it('needs strictly more than 70%: exactly 70% is balanced enough', () => {
    expect(contributionBalance([...notesBy(anna, 7), ...notesBy(olga, 3)]).warning).toBeNull()
    expect(contributionBalance([...notesBy(anna, 8), ...notesBy(olga, 3)]).warning?.side).toBe('provider')
  })

  it('accepts a custom threshold and minimum', () => {
    const records = [...notesBy(anna, 2), ...notesBy(olga, 1)]
    expect(contributionBalance(records).warning).toBeNull()
    expect(contributionBalance(records, [], { threshold: 0.6, minContributions: 3 }).warning).toEqual({
      side: 'provider',
      pct: 67,
    })
  })
})

describe('INS-3 coverage', () => {
  const pyramid = buildTemplate('pyramid', { instance: 'pyramid-1', origin: { x: 0, y: 0 }, language: 'en' })
  const zone = (id: string) => extractZones(pyramid).find((z) => z.zone === id)!

  it('counts notes per zone and side and lists the empty zones', () => {
    const records: TLShape[] = [
      ...pyramid,
      noteAt(centerOf(zone('tableStakes').bounds), anna),
      noteAt(centerOf(zone('tableStakes').bounds), olga),
      noteAt(centerOf(zone('functional').bounds), olga),
      noteAt(centerOf(zone('ease').bounds), null),
      noteAt({ x: -3000, y: 0 }, anna),
    ]
    const c = coverage(records)
    const row = (id: string) => c.zones.find((z) => z.zone === id)!
    expect(c.zones.map((z) => z.zone)).toEqual(['tableStakes', 'functional', 'ease', 'individual', 'inspirational'])
    expect(row('tableStakes')).toMatchObject({ provider: 1, customer: 1, unattributed: 0, total: 2, label: 'Table stakes' })
    expect(row('functional')).toMatchObject({ provider: 0, customer: 1, total: 1 })
    expect(row('ease')).toMatchObject({ unattributed: 1, total: 1 })
    expect(c.emptyZones.map((z) => z.zone)).toEqual(['individual', 'inspirational'])
    expect(c.outsideZones).toBe(1)
  })

  it('says which zone nobody has named yet, in every language', () => {
    const c = coverage(pyramid)
    const inspirational = c.emptyZones.find((z) => z.zone === 'inspirational')!
    expect(emptyZoneMessage(inspirational, 'en')).toBe('Nobody has named any inspirational value yet')
    expect(emptyZoneMessage(inspirational, 'fi')).toBe('Kukaan ei ole vielä nimennyt mitään kohtaan ”Inspiroiva arvo”')
    expect(emptyZoneMessage(inspirational, 'ru')).toBe('В разделе «Вдохновляющая ценность» пока никто ничего не назвал')
    const roleMap = coverage(buildTemplate('roleMap', { instance: 'r', origin: { x: 0, y: 0 }, language: 'en' }))
    expect(emptyZoneMessage(roleMap.emptyZones[1]!, 'en')).toBe('Nobody has named any shared design activity yet')
  })

  it('orders zones by template instance on the board, then template order; labels localized', () => {
    const board = placeTemplates(['staircase', 'pyramid'], 'en')
    const c = coverage(board, 'fi')
    expect(c.zones[0]).toMatchObject({ instance: 'staircase-1', zone: 'information', label: 'Tieto' })
    expect(c.zones[5]).toMatchObject({ instance: 'pyramid-1', zone: 'tableStakes' })
    expect(c.zones).toHaveLength(10)
  })
})

describe('INS-4 perception gap', () => {
  const staircase = buildTemplate('staircase', { instance: 'staircase-1', origin: { x: 0, y: 0 }, language: 'en' })
  const rate = (records: TLShape[], step: string, side: 'provider' | 'customer', value: RatingValue) =>
    records.map((r) => (r.id === findRatingShape(records, 'staircase-1', step, side)!.id ? setRating(r, value) : r))

  it('sorts steps by the largest gap first; partial and unrated steps come last, marked', () => {
    let records = staircase
    records = rate(records, 'information', 'provider', 5)
    records = rate(records, 'information', 'customer', 4) // gap 1
    records = rate(records, 'relevance', 'provider', 2)
    records = rate(records, 'relevance', 'customer', 5) // gap 3, customer higher
    records = rate(records, 'delivery', 'provider', 5)
    records = rate(records, 'delivery', 'customer', 1) // gap 4, provider higher
    records = rate(records, 'differentiation', 'customer', 3) // partial
    const gap = perceptionGap(records)
    expect(gap.map((g) => [g.step, g.gap, g.status])).toEqual([
      ['delivery', 4, 'rated'],
      ['relevance', 3, 'rated'],
      ['information', 1, 'rated'],
      ['differentiation', null, 'partial'],
      ['understanding', null, 'unrated'],
    ])
    expect(gap[0]).toMatchObject({ provider: 5, customer: 1, higher: 'provider', label: 'Delivering the promise' })
    expect(gap[1]!.higher).toBe('customer')
    expect(gap[3]).toMatchObject({ provider: null, customer: 3, higher: null })
  })

  it('keeps board order among equal gaps and reports equal ratings as gap 0', () => {
    let records = staircase
    for (const step of ['information', 'understanding', 'relevance', 'differentiation', 'delivery']) {
      records = rate(records, step, 'provider', 3)
      records = rate(records, step, 'customer', 3)
    }
    const gap = perceptionGap(records, 'ru')
    expect(gap.map((g) => g.step)).toEqual(['information', 'understanding', 'relevance', 'differentiation', 'delivery'])
    expect(gap.every((g) => g.gap === 0 && g.higher === 'equal')).toBe(true)
    expect(gap[0]!.label).toBe('Информация')
  })

  it('a fresh staircase is all unrated; boards without a staircase have no gap rows', () => {
    expect(perceptionGap(staircase).every((g) => g.status === 'unrated')).toBe(true)
    expect(perceptionGap(buildTemplate('pyramid', { instance: 'p', origin: { x: 0, y: 0 }, language: 'en' }))).toEqual([])
  })
})

describe('SUM-1 board summary', () => {
  const board = placeTemplates(['pyramid', 'staircase', 'actionPlan'], 'en')
  const zones = extractZones(board)
  const zoneOf = (instance: string, id: string) => zones.find((z) => z.instance === instance && z.zone === id)!
  const inspirational = centerOf(zoneOf('pyramid-1', 'inspirational').bounds)
  const tableStakes = centerOf(zoneOf('pyramid-1', 'tableStakes').bounds)
  const owner = centerOf(zoneOf('actionPlan-1', 'reassure.action').bounds)
  let records: TLShape[] = [
    ...board,
    noteAt(tableStakes, olga, 'Fair price\nno surprises', { id: 'n-price' }),
    noteAt(inspirational, anna, 'Shared vision', { id: 'n-vision' }),
    noteAt(owner, anna, 'Call after go-live', {
      id: 'n-call',
      action: { owner: 'Anna', ownerSide: 'provider', due: '2025-03-31' },
    }),
    noteAt({ x: -4000, y: -4000 }, null, 'stray', { id: 'n-stray' }),
  ]
  const relevanceProvider = findRatingShape(records, 'staircase-1', 'relevance', 'provider')!
  records = records.map((r) => (r.id === relevanceProvider.id ? setRating(r, 4) : r))

  const summary = boardSummary(records, {
    boardId: 'board-123',
    generatedAt: '2025-01-02T03:04:05.000Z',
    edits: [{ authorId: 'olga', authorName: 'Olga', side: 'customer', edits: 2 }],
  })

  it('lists every note with template, zone, side, author and plain text, in board order', () => {
    expect(summary.notes.map((n) => n.id)).toEqual(['shape:n-price', 'shape:n-vision', 'shape:n-call', 'shape:n-stray'])
    expect(summary.notes[0]).toEqual({
      id: 'shape:n-price',
      template: 'pyramid',
      instance: 'pyramid-1',
      zone: 'tableStakes',
      zoneLabel: 'Table stakes',
      side: 'customer',
      authorId: 'olga',
      authorName: 'Olga',
      text: 'Fair price\nno surprises',
      owner: null,
      ownerSide: null,
      due: null,
    })
    expect(summary.notes[2]).toMatchObject({
      zone: 'reassure.action',
      owner: 'Anna',
      ownerSide: 'provider',
      due: '2025-03-31',
    })
    expect(summary.notes[3]).toMatchObject({ template: null, zone: null, side: null, authorId: null, text: 'stray' })
  })

  it('carries the insights and the counts', () => {
    expect(summary).toMatchObject({
      version: 1,
      boardId: 'board-123',
      generatedAt: '2025-01-02T03:04:05.000Z',
      language: 'en',
      counts: { notes: 4, zones: 5 + 5 + 24, emptyZones: 34 - 3, ratings: 1 },
    })
    expect(summary.templates.map((t) => t.instance)).toEqual(['pyramid-1', 'staircase-1', 'actionPlan-1'])
    expect(summary.templates[0]!.title).toBe('B2B customer value pyramid')
    expect(summary.balance.provider.notes).toBe(2)
    expect(summary.balance.customer.contributions).toBe(3)
    expect(summary.balance.unattributedNotes).toBe(1)
    expect(summary.perceptionGap[0]).toMatchObject({ step: 'relevance', status: 'partial', provider: 4 })
    expect(summary.coverage.emptyZones.some((z) => z.zone === 'inspirational')).toBe(false)
  })

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary)
  })

  it('summarises an empty board', () => {
    const empty = boardSummary([])
    expect(empty).toMatchObject({ boardId: null, generatedAt: null, notes: [], templates: [], perceptionGap: [] })
    expect(empty.balance.total).toBe(0)
  })
})
