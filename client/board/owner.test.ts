import { describe, expect, it } from 'vitest'
import { ownerKeyStorageKey, ownerLink, readOwnerKey, takeOwnerKeyFromFragment, writeOwnerKey } from './owner.ts'

const KEY = 'Abc_def-0123456789ABCDEFGHIJKLMNOPQRSTUVWXY'

function memoryStorage() {
  const m = new Map<string, string>()
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    map: m,
  }
}

describe('owner key in the browser', () => {
  it('LOCK-1 an owner link carries the key in the fragment, never in the query string', () => {
    const link = ownerLink('http://arvo.test/b/Board123?x=1#old', KEY)
    expect(link).toBe(`http://arvo.test/b/Board123?x=1#owner=${KEY}`)
    expect(new URL(link).search).not.toContain(KEY)
  })

  it('LOCK-1 the key is taken off the fragment; other fragment parts stay; malformed keys are ignored', () => {
    expect(takeOwnerKeyFromFragment(`#owner=${KEY}`)).toEqual({ key: KEY, rest: '' })
    expect(takeOwnerKeyFromFragment(`#a=1&owner=${KEY}`)).toEqual({ key: KEY, rest: '#a=1' })
    expect(takeOwnerKeyFromFragment('#owner=<script>')).toEqual({ key: null, rest: '' })
    expect(takeOwnerKeyFromFragment('#zoom')).toEqual({ key: null, rest: '#zoom' })
    expect(takeOwnerKeyFromFragment('')).toEqual({ key: null, rest: '' })
  })

  it('LOCK-1 the key is kept per board and can be forgotten', () => {
    const s = memoryStorage()
    writeOwnerKey(s, 'Board123', KEY)
    expect(s.map.get(ownerKeyStorageKey('Board123'))).toBe(KEY)
    expect(readOwnerKey(s, 'Board123')).toBe(KEY)
    expect(readOwnerKey(s, 'Other456')).toBeNull()
    writeOwnerKey(s, 'Board123', null)
    expect(readOwnerKey(s, 'Board123')).toBeNull()
    s.setItem(ownerKeyStorageKey('Bad1234'), 'not a key!')
    expect(readOwnerKey(s, 'Bad1234')).toBeNull()
  })
})
