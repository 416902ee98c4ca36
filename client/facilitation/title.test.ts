import { describe, expect, it } from 'vitest'
import { isTitle, MAX_TITLE_LENGTH } from '../../shared/facilitation/session.ts'
import { cleanTitle } from './title.ts'

describe('cleanTitle (TITLE-C1)', () => {
  it('turns pasted line breaks and tabs into single spaces and trims', () => {
    expect(cleanTitle('  Value\nworkshop\t\twith  Acme  ')).toBe('Value workshop with Acme')
  })
  it('cuts at the limit without a trailing space, and the result is a valid title', () => {
    const long = `${'a'.repeat(MAX_TITLE_LENGTH - 1)} bbbb`
    const clean = cleanTitle(long)
    expect(clean).toBe('a'.repeat(MAX_TITLE_LENGTH - 1))
    expect(isTitle(clean)).toBe(true)
    expect(isTitle(cleanTitle('Arvotyöpaja: Acme Oy\u0007'))).toBe(true)
  })
  it('leaves nothing of a blank title (the panel refuses it)', () => {
    expect(cleanTitle(' \n\t ')).toBe('')
    expect(isTitle(cleanTitle(' \n\t '))).toBe(false)
  })
})
