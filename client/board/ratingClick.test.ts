import { describe, expect, it } from 'vitest'
import { findRatingShape, readArvoMeta, readRatings } from '../../shared/domain/index.ts'
import { board } from '../test/boardFixtures.ts'
import { ratingClickAt } from './ratingClick.ts'

const shapes = board(['pyramid', 'staircase'], 'fi')

function pointIn(step: string, side: 'provider' | 'customer', value: number) {
  const s = findRatingShape(shapes, 'staircase-1', step, side)!
  return { x: s.x + ((value - 0.5) / 5) * s.props.w, y: s.y + s.props.h / 2 }
}

describe('clicking a staircase rating (RATE-3)', () => {
  it('RATE-C1 sets the clicking side’s own rating to the value under the pointer, label included', () => {
    const click = ratingClickAt(shapes, pointIn('relevance', 'customer', 4), 'customer')
    expect(click).toMatchObject({ kind: 'set', value: 4, step: 'relevance', instance: 'staircase-1' })
    if (click?.kind !== 'set') throw new Error('expected set')
    expect(readArvoMeta(click.next)).toMatchObject({ kind: 'rating', side: 'customer', value: 4, language: 'fi' })
    expect(readRatings([click.next])[0]!.value).toBe(4)
    expect(JSON.stringify(click.next.props)).toContain('4/5')
  })

  it('RATE-C1 refuses the other side’s rating', () => {
    expect(ratingClickAt(shapes, pointIn('delivery', 'provider', 2), 'customer')).toEqual({
      kind: 'refused',
      side: 'provider',
      step: 'delivery',
      instance: 'staircase-1',
    })
  })

  it('RATE-C1 is null away from rating shapes', () => {
    expect(ratingClickAt(shapes, { x: -5000, y: -5000 }, 'provider')).toBeNull()
    expect(ratingClickAt([], pointIn('delivery', 'provider', 2), 'provider')).toBeNull()
  })
})
