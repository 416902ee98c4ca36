import { describe, expect, it } from 'vitest'
import { findRatingShape, readArvoMeta, readRatings, type StarBox } from '../../shared/domain/index.ts'
import { board } from '../test/boardFixtures.ts'
import { ratingClickAt, ratingValueForKey } from './ratingClick.ts'

const shapes = board(['pyramid', 'staircase'], 'fi')

/** Stars as a browser would draw a centred label: 18 wide, 3 apart, in the middle of the shape. */
function starsOf(shape: { x: number; y: number; props: unknown }): StarBox[] {
  const { w, h } = shape.props as { w: number; h: number }
  const rowW = 5 * 18 + 4 * 3
  return [0, 1, 2, 3, 4].map((i) => ({ x: shape.x + (w - rowW) / 2 + i * 21, y: shape.y + h / 2 - 10, w: 18, h: 20 }))
}

function starPoint(step: string, side: 'provider' | 'customer', value: number) {
  const s = findRatingShape(shapes, 'staircase-1', step, side)!
  const b = starsOf(s)[value - 1]!
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 }
}

describe('clicking a staircase rating (RATE-3)', () => {
  it('RATE-C1 a click on the n-th star sets the clicking side’s own rating to n, label included', () => {
    for (const n of [1, 2, 3, 4, 5]) {
      const click = ratingClickAt(shapes, starPoint('relevance', 'customer', n), 'customer', starsOf)
      expect(click).toMatchObject({ kind: 'set', value: n, step: 'relevance', instance: 'staircase-1' })
    }
    const click = ratingClickAt(shapes, starPoint('relevance', 'customer', 4), 'customer', starsOf)
    if (click?.kind !== 'set') throw new Error('expected set')
    expect(readArvoMeta(click.next)).toMatchObject({ kind: 'rating', side: 'customer', value: 4, language: 'fi' })
    expect(readRatings([click.next])[0]!.value).toBe(4)
    expect(JSON.stringify(click.next.props)).toContain('4/5')
  })

  it('RATE-C1 the first star is 1 although it lies near the middle of the shape (not the box’s fifths)', () => {
    const s = findRatingShape(shapes, 'staircase-1', 'relevance', 'customer')!
    const p = starPoint('relevance', 'customer', 1)
    expect(p.x - s.x).toBeGreaterThan(s.props.w / 5)
    expect(ratingClickAt(shapes, p, 'customer', starsOf)).toMatchObject({ kind: 'set', value: 1 })
    // The left edge of the box is beside the stars: nothing is set.
    expect(ratingClickAt(shapes, { x: s.x + 2, y: p.y }, 'customer', starsOf)).toBeNull()
    // Stars unknown (not rendered): nothing is set.
    expect(ratingClickAt(shapes, p, 'customer', () => null)).toBeNull()
  })

  it('RATE-C1 refuses the other side’s rating, anywhere on it', () => {
    const refused = { kind: 'refused', side: 'provider', step: 'delivery', instance: 'staircase-1' }
    expect(ratingClickAt(shapes, starPoint('delivery', 'provider', 2), 'customer', starsOf)).toEqual(refused)
    const s = findRatingShape(shapes, 'staircase-1', 'delivery', 'provider')!
    expect(ratingClickAt(shapes, { x: s.x + 2, y: s.y + 2 }, 'customer', starsOf)).toEqual(refused)
  })

  it('RATE-C1 is null away from rating shapes', () => {
    expect(ratingClickAt(shapes, { x: -5000, y: -5000 }, 'provider', starsOf)).toBeNull()
    expect(ratingClickAt([], starPoint('delivery', 'provider', 2), 'provider', starsOf)).toBeNull()
  })

  it('RATE-C1 keys: 1–5 set that value, arrows step within 1–5, Home/End the ends, others nothing', () => {
    expect(['1', '2', '3', '4', '5'].map((k) => ratingValueForKey(k, 0))).toEqual([1, 2, 3, 4, 5])
    expect(ratingValueForKey('ArrowRight', 0)).toBe(1)
    expect(ratingValueForKey('ArrowUp', 3)).toBe(4)
    expect(ratingValueForKey('ArrowRight', 5)).toBe(5)
    expect(ratingValueForKey('ArrowLeft', 3)).toBe(2)
    expect(ratingValueForKey('ArrowDown', 1)).toBe(1)
    expect(ratingValueForKey('ArrowLeft', 0)).toBe(1)
    expect(ratingValueForKey('Home', 4)).toBe(1)
    expect(ratingValueForKey('End', 2)).toBe(5)
    expect(ratingValueForKey('0', 2)).toBeNull()
    expect(ratingValueForKey('6', 2)).toBeNull()
    expect(ratingValueForKey('a', 2)).toBeNull()
  })
})
