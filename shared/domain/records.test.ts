import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { estimateLines, estimateTextWidth } from './layout.ts'
import { findRatingShape, ratingShapeContains, ratingValueAtStars, readRatings, setRating } from './ratings.ts'
import { buildNote, geoShape, indexKeysAbove, maxPageIndex } from './records.ts'
import { richText, richTextToPlain } from './richText.ts'
import { validateRecord } from './test/helpers.ts'
import { buildTemplate } from './templates/index.ts'
import { META_KEY, noteMeta, readArvoMeta, withActionFields, isIsoDate } from './types.ts'

describe('TPL-3 fractional index keys', () => {
  it('start at a1 on an empty board and increase', () => {
    expect(indexKeysAbove(null, 3)).toEqual(['a1', 'a2', 'a3'])
    expect(indexKeysAbove('a8', 3)).toEqual(['a9', 'aA', 'aB'])
  })

  it('widen the integer when a digit run overflows, and skip fractions', () => {
    expect(indexKeysAbove('ay', 3)).toEqual(['az', 'b00', 'b01'])
    expect(indexKeysAbove('a1V', 1)).toEqual(['a2'])
    expect(indexKeysAbove('bzz', 1)).toEqual(['c000'])
    expect(indexKeysAbove('Zz', 2)).toEqual(['a0', 'a1'])
    expect(indexKeysAbove('a5', 0)).toEqual([])
  })

  it('refuse keys they cannot read', () => {
    expect(() => indexKeysAbove('b9', 1)).toThrow()
    expect(() => indexKeysAbove('!!', 1)).toThrow()
  })

  it('PROPERTY are strictly increasing, above the start, and valid tldraw index keys', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 300 }), (skip, n) => {
        const start = skip === 0 ? null : indexKeysAbove(null, skip).at(-1)!
        const keys = indexKeysAbove(start, n)
        expect(keys).toHaveLength(n)
        if (start) expect(keys[0]! > start).toBe(true)
        for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true)
        const shape = geoShape({ id: 'k', x: 0, y: 0, w: 1, h: 1, index: keys.at(-1)!, isLocked: false, meta: {} })
        validateRecord(shape)
      }),
      { numRuns: 60 },
    )
  })

  it('maxPageIndex finds the highest index among page-level shapes', () => {
    const a = geoShape({ id: 'a', x: 0, y: 0, w: 1, h: 1, index: 'a3' as never, isLocked: false, meta: {} })
    const b = { ...a, id: 'shape:b', index: 'b0Z' as never }
    const child = { ...a, id: 'shape:c', index: 'z0' as never, parentId: 'shape:b' as never }
    expect(maxPageIndex([a, b, child, { typeName: 'page', index: 'zz' }])).toBe('b0Z')
    expect(maxPageIndex([])).toBeNull()
  })
})

describe('rich text', () => {
  it('builds TipTap paragraphs, empty lines as empty paragraphs', () => {
    expect(richText('a\n\nb')).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }] },
        { type: 'paragraph' },
        { type: 'paragraph', content: [{ type: 'text', text: 'b' }] },
      ],
    })
    expect(richText('')).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] })
    expect(richText('x', { bold: true }).content[0]).toEqual({
      type: 'paragraph',
      content: [{ type: 'text', text: 'x', marks: [{ type: 'bold' }] }],
    })
  })

  it('extracts plain text from paragraphs, lists, hard breaks and marks', () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Title' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'one ' }, { type: 'text', text: 'two', marks: [{ type: 'bold' }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'line' }, { type: 'hardBreak' }, { type: 'text', text: 'break' }] },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'first' }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'second' }] }] },
          ],
        },
      ],
    }
    expect(richTextToPlain(doc)).toBe('Title\none two\nline\nbreak\nfirst\nsecond')
  })

  it('round-trips text through the builder, Cyrillic and Estonian included', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }).filter((s) => !s.includes('\n')), { minLength: 1, maxLength: 5 }), (lines) => {
        const text = lines.join('\n')
        expect(richTextToPlain(richText(text))).toBe(text.replace(/^\n+|\n+$/g, ''))
      }),
    )
    expect(richTextToPlain(richText('Õun ja ЩИ'))).toBe('Õun ja ЩИ')
  })

  it('never throws on junk', () => {
    for (const junk of [null, undefined, 42, 'text', [], { type: 'doc', content: 'no' }, { content: [null, 1, { text: 5 }] }]) {
      expect(richTextToPlain(junk)).toBe('')
    }
    const deep: Record<string, unknown> = { type: 'text', text: 'deep' }
    let node = deep
    for (let i = 0; i < 10_000; i++) node = { type: 'paragraph', content: [node] }
    expect(() => richTextToPlain(node)).not.toThrow()
  })
})

describe('META-1/4/6 note meta', () => {
  const author = { authorId: 'u1', authorName: 'Olga', side: 'customer' as const }

  it('noteMeta builds valid meta that readArvoMeta reads back', () => {
    const meta = noteMeta(author)
    expect(meta).toEqual({ arvo: { kind: 'note', authorId: 'u1', authorName: 'Olga', side: 'customer' } })
    expect(readArvoMeta({ meta })).toEqual(meta[META_KEY])
    const withAction = noteMeta(author, { owner: 'Anna', ownerSide: 'provider', due: '2025-02-28' })
    expect(readArvoMeta({ meta: withAction })).toMatchObject({ owner: 'Anna', ownerSide: 'provider', due: '2025-02-28' })
    expect(JSON.stringify(noteMeta(author, { owner: undefined }))).not.toContain('owner')
  })

  it('noteMeta refuses what breaks the contract', () => {
    expect(() => noteMeta({ ...author, side: 'facilitator' as never })).toThrow()
    expect(() => noteMeta({ ...author, authorId: '' })).toThrow()
    expect(() => noteMeta(author, { due: '2025-02-30' })).toThrow()
    expect(() => noteMeta(author, { due: '31.3.2025' })).toThrow()
  })

  it('readArvoMeta rejects malformed meta and drops malformed action fields', () => {
    expect(readArvoMeta({})).toBeNull()
    expect(readArvoMeta({ meta: { arvo: 'note' } })).toBeNull()
    expect(readArvoMeta({ meta: { arvo: { kind: 'note', authorId: 'u', authorName: 'x', side: 'both' } } })).toBeNull()
    expect(readArvoMeta({ meta: { arvo: { kind: 'zone', template: 'pyramid', instance: 'a b', zone: 'ease' } } })).toBeNull()
    expect(readArvoMeta({ meta: { arvo: { kind: 'rating', template: 'staircase', instance: 's', zone: 'x', side: 'provider', value: 6 } } })).toBeNull()
    expect(readArvoMeta({ meta: { arvo: { kind: 'rating', template: 'staircase', instance: 's', zone: 'x', side: 'provider', value: 2.5 } } })).toBeNull()
    expect(
      readArvoMeta({
        meta: { arvo: { kind: 'note', authorId: 'u', authorName: 'x', side: 'provider', owner: 7, ownerSide: 'them', due: 'soon' } },
      }),
    ).toEqual({ kind: 'note', authorId: 'u', authorName: 'x', side: 'provider' })
  })

  it('withActionFields sets and clears fields, keeping the author and other meta', () => {
    const meta = { ...noteMeta(author), other: 1 }
    const set = withActionFields(meta, { owner: 'Anna', due: '2025-06-01' })
    expect(set).toMatchObject({ other: 1, arvo: { authorId: 'u1', owner: 'Anna', due: '2025-06-01' } })
    const cleared = withActionFields(set, { owner: null, ownerSide: 'customer' })
    expect(cleared.arvo).toEqual({ kind: 'note', authorId: 'u1', authorName: 'Olga', side: 'customer', ownerSide: 'customer', due: '2025-06-01' })
    expect(() => withActionFields({}, { owner: 'x' })).toThrow()
  })

  it('isIsoDate accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2023-02-29')).toBe(false)
    expect(isIsoDate('2024-13-01')).toBe(false)
    expect(isIsoDate(20240101)).toBe(false)
  })

  it('buildNote makes a complete, valid note carrying the author', () => {
    const note = buildNote({ id: 'n1', x: 5, y: 6, index: 'a1' as never, text: 'Hei', author })
    validateRecord(note)
    expect(note.id).toBe('shape:n1')
    expect(readArvoMeta(note)).toMatchObject({ kind: 'note', side: 'customer' })
    expect(richTextToPlain(note.props.richText)).toBe('Hei')
  })
})

describe('RATE ratings', () => {
  const staircase = buildTemplate('staircase', { instance: 'st', origin: { x: 100, y: 200 }, language: 'fi' })

  it('RATE-1 lists every rating shape, unrated at first', () => {
    const ratings = readRatings(staircase)
    expect(ratings).toHaveLength(10)
    expect(ratings.every((r) => r.value === 0 && r.instance === 'st')).toBe(true)
  })

  it('RATE-2 setRating changes value and label together, in the template language, immutably', () => {
    const shape = findRatingShape(staircase, 'st', 'relevance', 'customer')!
    const rated = setRating(shape, 4)
    validateRecord(rated)
    expect(readArvoMeta(rated)).toMatchObject({ kind: 'rating', value: 4, side: 'customer', zone: 'relevance', language: 'fi' })
    expect(richTextToPlain(rated.props.richText)).toBe('Asiakas: ★★★★☆ 4/5')
    expect(readArvoMeta(shape)).toMatchObject({ value: 0 })
    expect({ ...rated, meta: shape.meta, props: { ...rated.props, richText: shape.props.richText } }).toEqual(shape)
    expect(richTextToPlain(setRating(rated, 0).props.richText)).toBe('Asiakas: ☆☆☆☆☆ (ei arvioitu)')
    expect(() => setRating(shape, 7 as never)).toThrow()
    expect(() => setRating(staircase[0]!, 3)).toThrow()
  })

  it('RATE-3 a click on the n-th star means n; beside the stars it means nothing', () => {
    // Five 20-wide stars with 4 units between them, centred in a wide label (x 300..416, y 50..74).
    const stars = [0, 1, 2, 3, 4].map((i) => ({ x: 300 + i * 24, y: 50, w: 20, h: 24 }))
    const centres = stars.map((b) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 }))
    expect(centres.map((p) => ratingValueAtStars(stars, p))).toEqual([1, 2, 3, 4, 5])
    // Order of the boxes does not matter.
    expect(ratingValueAtStars([...stars].reverse(), centres[1]!)).toBe(2)
    // The gap between star 2 (ends 344) and star 3 (starts 348): left half 2, right half 3.
    expect(ratingValueAtStars(stars, { x: 345.9, y: 60 })).toBe(2)
    expect(ratingValueAtStars(stars, { x: 346.1, y: 60 })).toBe(3)
    // Half a star outside the row still counts (touch), further out not: the words around the stars.
    expect(ratingValueAtStars(stars, { x: 291, y: 60 })).toBe(1)
    expect(ratingValueAtStars(stars, { x: 289, y: 60 })).toBeNull()
    expect(ratingValueAtStars(stars, { x: 425, y: 60 })).toBe(5)
    expect(ratingValueAtStars(stars, { x: 427, y: 60 })).toBeNull()
    expect(ratingValueAtStars(stars, { x: 310, y: 38.5 })).toBe(1)
    expect(ratingValueAtStars(stars, { x: 310, y: 37 })).toBeNull()
    expect(ratingValueAtStars(stars, { x: 310, y: 87 })).toBeNull()
    // Not five stars: nothing.
    expect(ratingValueAtStars(stars.slice(0, 4), centres[0]!)).toBeNull()
  })

  it('RATE-3 ratingShapeContains: inside a rating shape, boundary included', () => {
    const shape = findRatingShape(staircase, 'st', 'information', 'provider')!
    const { w, h } = shape.props
    expect(ratingShapeContains(shape, { x: shape.x + w / 2, y: shape.y + h / 2 })).toBe(true)
    expect(ratingShapeContains(shape, { x: shape.x + w, y: shape.y + h })).toBe(true)
    expect(ratingShapeContains(shape, { x: shape.x - 1, y: shape.y + 1 })).toBe(false)
    expect(ratingShapeContains(staircase[0]!, { x: 0, y: 0 })).toBe(false)
  })
})

describe('text estimate', () => {
  const style = { size: 'm' as const, scale: 1 }
  const font = 24
  it('wraps greedily and breaks over-long words', () => {
    const two = estimateTextWidth('aaaa bbbb', style)
    expect(estimateLines('aaaa bbbb', two, font)).toBe(1)
    expect(estimateLines('aaaa bbbb', two - 1, font)).toBe(2)
    const word = estimateTextWidth('x'.repeat(25), style)
    expect(estimateLines('x'.repeat(25), word / 2.5, font)).toBe(3)
    expect(estimateLines('ab ' + 'x'.repeat(25), word / 2.5, font)).toBe(4)
    expect(estimateLines('a\n\nb', 100, font)).toBe(3)
  })

  it('counts wide Cyrillic letters as wider than narrow Latin ones', () => {
    expect(estimateTextWidth('ШЩЖЮ', style)).toBeGreaterThan(estimateTextWidth('ilij', style) * 2)
    expect(estimateTextWidth('Информация', style)).toBeGreaterThan(estimateTextWidth('Information', style))
  })
})
