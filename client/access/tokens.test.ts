import { describe, expect, it } from 'vitest'
import { PERSON_SECRET_PATTERN } from '../../shared/protocol.ts'
import { mayWriteBoard } from './links.ts'
import { finalCloseOf, resolveAccess, type AccessAnswer } from './resolve.ts'
import {
  isTokenShaped,
  legacyOwnerKeyStorageKey,
  PERSON_SECRET_KEY,
  personSecret,
  randomSecret,
  readToken,
  sameOriginLink,
  takeTokenFromFragment,
  tokenOfLink,
  tokenStorageKey,
  writeToken,
} from './tokens.ts'

// Shaped like the server's tokens: base64url payload "." base64url signature.
const TOKEN = 'eyJ2IjoxLCJiIjoiQm9hcmQxMjMifQ.c2lnbmF0dXJlX29mX3RoZV90b2tlbg'
const OTHER = 'eyJ2IjoxLCJiIjoiQm9hcmQxMjMiLCJsIjoidiJ9.b3RoZXJfc2lnbmF0dXJlX2hlcmU'
const OWNER_KEY = 'Abc_def-0123456789ABCDEFGHIJKLMNOPQRSTUVWXY'

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map<string, string>(Object.entries(init))
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    map: m,
  }
}

const access = (link: 'facilitator' | 'customer' | 'viewer') => ({
  role: link === 'customer' ? ('participant' as const) : link,
  side: link === 'customer' ? ('customer' as const) : null,
  link,
  personId: 'p1',
  expiresAt: null,
})

describe('invite tokens in the browser', () => {
  it('ACC-1 the token is taken off the fragment (also a legacy #owner= key); other parts stay; malformed ones are dropped', () => {
    expect(takeTokenFromFragment(`#token=${TOKEN}`)).toEqual({ token: TOKEN, found: true, rest: '' })
    expect(takeTokenFromFragment(`#a=1&token=${TOKEN}`)).toEqual({ token: TOKEN, found: true, rest: '#a=1' })
    expect(takeTokenFromFragment(`#owner=${OWNER_KEY}`)).toEqual({ token: OWNER_KEY, found: true, rest: '' })
    expect(takeTokenFromFragment(`#owner=${OWNER_KEY}&token=${TOKEN}`).token).toBe(TOKEN)
    expect(takeTokenFromFragment('#token=<script>')).toEqual({ token: null, found: true, rest: '' })
    expect(takeTokenFromFragment('#zoom')).toEqual({ token: null, found: false, rest: '#zoom' })
    expect(takeTokenFromFragment('')).toEqual({ token: null, found: false, rest: '' })
    expect(isTokenShaped('a.b')).toBe(false)
    expect(tokenOfLink(`http://arvo.test/b/Board123#token=${TOKEN}`)).toBe(TOKEN)
    expect(tokenOfLink('not a url')).toBeNull()
    expect(sameOriginLink(`http://other:9/b/Board123#token=${TOKEN}`, 'http://127.0.0.1:5')).toBe(`http://127.0.0.1:5/b/Board123#token=${TOKEN}`)
  })

  it('ACC-2 the token is kept per board; a legacy owner key migrates to it', () => {
    const s = memoryStorage({ [legacyOwnerKeyStorageKey('Board123')]: OWNER_KEY })
    expect(readToken(s, 'Board123')).toBe(OWNER_KEY)
    expect(s.map.get('arvo.token.Board123')).toBe(OWNER_KEY)
    expect(s.map.has('arvo.ownerKey.Board123')).toBe(false)
    writeToken(s, 'Board123', TOKEN)
    expect(s.map.get(tokenStorageKey('Board123'))).toBe(TOKEN)
    expect(readToken(s, 'Other456')).toBeNull()
    writeToken(s, 'Board123', null)
    expect(readToken(s, 'Board123')).toBeNull()
    s.setItem(tokenStorageKey('Bad1234'), 'not a token!')
    expect(readToken(s, 'Bad1234')).toBeNull()
    const blocked = { getItem: () => { throw new Error('blocked') }, setItem: () => { throw new Error('blocked') }, removeItem: () => {} }
    expect(readToken(blocked, 'Board123')).toBeNull()
    expect(() => writeToken(blocked, 'Board123', TOKEN)).not.toThrow()
  })

  it('ACC-3 one person secret per browser: 32 base64url characters, made once, random', () => {
    const s = memoryStorage()
    const a = personSecret(s)
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(PERSON_SECRET_PATTERN.test(a)).toBe(true)
    expect(s.map.get(PERSON_SECRET_KEY)).toBe(a)
    expect(personSecret(s)).toBe(a)
    expect(personSecret(memoryStorage())).not.toBe(a)
    // The bytes are encoded, not replaced: 0xfb 0xff -> "-_" characters of base64url.
    expect(randomSecret((b) => b.fill(0xff))).toBe('_'.repeat(32))
    s.setItem(PERSON_SECRET_KEY, 'short')
    expect(personSecret(s)).not.toBe('short')
  })
})

describe('which token opens the board', () => {
  const asker = (answers: Record<string, AccessAnswer>) => {
    const asked: string[] = []
    return { asked, ask: async (t: string) => (asked.push(t), answers[t] ?? { kind: 'refused', reason: 'badToken' }) }
  }

  it('ACC-2 a link the server confirms is kept; the stored token is not asked', async () => {
    const s = memoryStorage({ [tokenStorageKey('Board123')]: OTHER })
    const { ask, asked } = asker({ [TOKEN]: { kind: 'granted', access: access('viewer') } })
    expect(await resolveAccess('Board123', TOKEN, s, ask)).toEqual({ kind: 'granted', token: TOKEN, access: access('viewer') })
    expect(asked).toEqual([TOKEN])
    expect(s.map.get(tokenStorageKey('Board123'))).toBe(TOKEN)
  })

  it('ACC-2 a refused link never costs the stored token; a refused stored token is forgotten', async () => {
    const s = memoryStorage({ [tokenStorageKey('Board123')]: OTHER })
    const { ask } = asker({ [OTHER]: { kind: 'granted', access: access('facilitator') }, [TOKEN]: { kind: 'refused', reason: 'tokenReset' } })
    expect(await resolveAccess('Board123', TOKEN, s, ask)).toMatchObject({ kind: 'granted', token: OTHER })
    expect(s.map.get(tokenStorageKey('Board123'))).toBe(OTHER)

    const gone = memoryStorage({ [tokenStorageKey('Board123')]: OTHER })
    const refusedBoth = asker({ [OTHER]: { kind: 'refused', reason: 'tokenExpired' }, [TOKEN]: { kind: 'refused', reason: 'tokenReset' } })
    // The link's reason is the one the person acted on.
    expect(await resolveAccess('Board123', TOKEN, gone, refusedBoth.ask)).toEqual({ kind: 'refused', reason: 'tokenReset' })
    expect(gone.map.has(tokenStorageKey('Board123'))).toBe(false)

    const storedOnly = memoryStorage({ [tokenStorageKey('Board123')]: OTHER })
    expect(await resolveAccess('Board123', null, storedOnly, refusedBoth.ask)).toEqual({ kind: 'refused', reason: 'tokenExpired' })
    expect(storedOnly.map.has(tokenStorageKey('Board123'))).toBe(false)
  })

  it('ACC-2 a refused link without a stored token is not kept; no token at all is noToken; unknown boards and offline', async () => {
    const s = memoryStorage()
    const { ask, asked } = asker({ [TOKEN]: { kind: 'refused', reason: 'badToken' } })
    expect(await resolveAccess('Board123', TOKEN, s, ask)).toEqual({ kind: 'refused', reason: 'badToken' })
    expect(s.map.size).toBe(0)
    expect(await resolveAccess('Board123', null, s, ask)).toEqual({ kind: 'refused', reason: 'noToken' })
    expect(asked).toEqual([TOKEN])
    expect(await resolveAccess('Board123', TOKEN, s, async () => ({ kind: 'missing' }))).toEqual({ kind: 'missing' })
    expect(await resolveAccess('Board123', TOKEN, s, async () => ({ kind: 'offline' }))).toEqual({ kind: 'offline', token: TOKEN })
    // Offline: the link is not kept (nobody confirmed it).
    expect(s.map.size).toBe(0)
    // A fragment with something that is no token: refused as not valid, the server not asked.
    const none = asker({})
    expect(await resolveAccess('Board123', null, s, none.ask, true)).toEqual({ kind: 'refused', reason: 'badToken' })
    expect(none.asked).toEqual([])
    const kept = memoryStorage({ [tokenStorageKey('Board123')]: OTHER })
    expect(await resolveAccess('Board123', null, kept, asker({ [OTHER]: { kind: 'granted', access: access('viewer') } }).ask, true)).toMatchObject({ kind: 'granted', token: OTHER })
  })

  it('CON-2 final close codes: 4401 by reason, 4403 forbidden, 4003 invalid; others reconnect', () => {
    expect(finalCloseOf(4401, 'link reset')).toEqual({ kind: 'refused', reason: 'tokenReset' })
    expect(finalCloseOf(4401, 'link expired')).toEqual({ kind: 'refused', reason: 'tokenExpired' })
    expect(finalCloseOf(4401, '')).toEqual({ kind: 'refused', reason: 'badToken' })
    expect(finalCloseOf(4403, 'not allowed for this role')).toEqual({ kind: 'forbidden' })
    expect(finalCloseOf(4003, 'invalid record')).toEqual({ kind: 'invalid' })
    for (const code of [1000, 1001, 1006, 4001, 4008]) expect(finalCloseOf(code, '')).toBeNull()
  })
})

describe('who may write now', () => {
  it('ROLE-C2 a viewer never; a participant not while the board is locked; a facilitator always', () => {
    const open = { boardLocked: false, templatesUnlocked: false }
    const locked = { boardLocked: true, templatesUnlocked: true }
    expect([mayWriteBoard('viewer', open), mayWriteBoard('viewer', locked)]).toEqual([false, false])
    expect([mayWriteBoard('participant', open), mayWriteBoard('participant', locked)]).toEqual([true, false])
    expect([mayWriteBoard('facilitator', open), mayWriteBoard('facilitator', locked)]).toEqual([true, true])
  })
})
