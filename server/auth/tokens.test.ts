import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ownerKey } from '../http/owner.ts'
import { defaultLinks, type BoardLinkState } from '../storage/types.ts'
import { BoardAccess } from './access.ts'
import { isSignedFor, MAX_TOKEN_LENGTH, personIdFor, personIdOf, signToken, verifyToken } from './tokens.ts'

const SECRET = 'unit-test-secret-0123456789'
const BOARD = 'BoardOne1234'
const NOW = 1_800_000_000_000

/** A token written out by hand (the format of AUTH-1), independent of signToken. */
function handMade(payload: unknown, secret = SECRET): string {
  const part = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${part}.${createHmac('sha256', secret).update(`arvo-token:${part}`).digest('base64url')}`
}

function links(change: (l: BoardLinkState) => void = () => {}): BoardLinkState {
  const l = defaultLinks()
  change(l)
  return l
}

const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1)

describe('invite-link tokens (AUTH-1..AUTH-3)', () => {
  it('AUTH-1 a token is base64url(JSON payload) "." HMAC-SHA256(secret, "arvo-token:" + payload), and verifies to its link', () => {
    const t = signToken(SECRET, BOARD, 'customer', 3, null)
    expect(t).toBe(handMade({ v: 1, b: BOARD, l: 'customer', g: 3, e: 0 }))
    const r = verifyToken(SECRET, BOARD, t, links((l) => (l.customer.gen = 3)), NOW)
    expect(r).toEqual({ ok: true, link: 'customer', role: 'participant', side: 'customer', generation: 3, expiresAt: null, tokenExpiresAt: null })
    expect(verifyToken(SECRET, BOARD, handMade({ v: 1, b: BOARD, l: 'viewer', g: 0, e: 0 }), links(), NOW)).toMatchObject({ ok: true, role: 'viewer', side: null })
    expect(verifyToken(SECRET, BOARD, handMade({ v: 1, b: BOARD, l: 'facilitator', g: 0, e: 0 }), links(), NOW)).toMatchObject({ ok: true, role: 'facilitator', side: null })
    expect(verifyToken(SECRET, BOARD, handMade({ v: 1, b: BOARD, l: 'provider', g: 0, e: 0 }), links(), NOW)).toMatchObject({ ok: true, role: 'participant', side: 'provider' })
  })

  it('AUTH-1 a tampered payload or signature, another secret, junk and oversized input are badToken', () => {
    const t = signToken(SECRET, BOARD, 'viewer', 0, null)
    const [part, sig] = t.split('.')
    const bad = (token: unknown) => expect(verifyToken(SECRET, BOARD, token, links(), NOW)).toEqual({ ok: false, reason: 'badToken' })
    bad(`${flip(part, 5)}.${sig}`)
    bad(`${part}.${flip(sig, 10)}`)
    bad(`${part}.${sig.slice(0, -1)}`)
    bad(`${part}.${sig}A`)
    bad(signToken('another-secret-0123456789', BOARD, 'viewer', 0, null))
    for (const junk of ['', '.', 'abc.def', `${part}.`, `.${sig}`, 'x'.repeat(MAX_TOKEN_LENGTH + 1), null, 7, {}]) bad(junk)
    // well signed but not a payload of ours
    bad(handMade({ v: 2, b: BOARD, l: 'viewer', g: 0, e: 0 }))
    bad(handMade({ v: 1, b: BOARD, l: 'owner', g: 0, e: 0 }))
    bad(handMade({ v: 1, b: BOARD, l: 'viewer', g: -1, e: 0 }))
    bad(handMade({ v: 1, b: BOARD, l: 'viewer', g: 0, e: 1.5 }))
    bad(handMade([1, 2]))
    bad(`${Buffer.from('not json').toString('base64url')}.${createHmac('sha256', SECRET).update(`arvo-token:${Buffer.from('not json').toString('base64url')}`).digest('base64url')}`)
  })

  it("AUTH-1 another board's token is badToken; swapping the link (viewer -> facilitator) in the payload breaks the signature", () => {
    expect(verifyToken(SECRET, BOARD, signToken(SECRET, 'OtherBoard99', 'facilitator', 0, null), links(), NOW)).toEqual({ ok: false, reason: 'badToken' })
    expect(isSignedFor(SECRET, BOARD, signToken(SECRET, 'OtherBoard99', 'facilitator', 0, null))).toBe(false)
    const viewer = signToken(SECRET, BOARD, 'viewer', 0, null)
    const swapped = `${Buffer.from(JSON.stringify({ v: 1, b: BOARD, l: 'facilitator', g: 0, e: 0 })).toString('base64url')}.${viewer.split('.')[1]}`
    expect(verifyToken(SECRET, BOARD, swapped, links(), NOW)).toEqual({ ok: false, reason: 'badToken' })
    expect(verifyToken(SECRET, BOARD, viewer, links(), NOW)).toMatchObject({ ok: true, role: 'viewer' })
  })

  it("AUTH-2 a rotated link's old tokens are tokenReset; the new generation's token works; other links are untouched", () => {
    const old = signToken(SECRET, BOARD, 'viewer', 0, null)
    const rotated = links((l) => (l.viewer.gen = 1))
    expect(verifyToken(SECRET, BOARD, old, rotated, NOW)).toEqual({ ok: false, reason: 'tokenReset' })
    expect(verifyToken(SECRET, BOARD, signToken(SECRET, BOARD, 'viewer', 1, null), rotated, NOW)).toMatchObject({ ok: true, generation: 1 })
    expect(verifyToken(SECRET, BOARD, signToken(SECRET, BOARD, 'customer', 0, null), rotated, NOW)).toMatchObject({ ok: true })
    // a generation from the future (never signed by a current state) is not the current one either
    expect(verifyToken(SECRET, BOARD, signToken(SECRET, BOARD, 'viewer', 2, null), rotated, NOW)).toEqual({ ok: false, reason: 'tokenReset' })
  })

  it("AUTH-3 a token expires at its own expiry or its link's, whichever comes first", () => {
    const at = NOW + 60_000
    const t = signToken(SECRET, BOARD, 'provider', 0, at)
    expect(JSON.parse(Buffer.from(t.split('.')[0], 'base64url').toString()).e).toBe(at / 1000)
    expect(verifyToken(SECRET, BOARD, t, links(), NOW)).toMatchObject({ ok: true, expiresAt: at, tokenExpiresAt: at })
    expect(verifyToken(SECRET, BOARD, t, links(), at - 1)).toMatchObject({ ok: true })
    expect(verifyToken(SECRET, BOARD, t, links(), at)).toEqual({ ok: false, reason: 'tokenExpired' })
    // the link's expiry was brought forward after the token was handed out
    const sooner = links((l) => (l.provider.expiresAt = NOW + 1000))
    expect(verifyToken(SECRET, BOARD, t, sooner, NOW)).toMatchObject({ ok: true, expiresAt: NOW + 1000 })
    expect(verifyToken(SECRET, BOARD, t, sooner, NOW + 1000)).toEqual({ ok: false, reason: 'tokenExpired' })
    // a later link expiry does not extend a token
    expect(verifyToken(SECRET, BOARD, t, links((l) => (l.provider.expiresAt = NOW + 3_600_000)), at)).toEqual({ ok: false, reason: 'tokenExpired' })
    // a token without expiry follows its link's
    const forever = signToken(SECRET, BOARD, 'provider', 0, null)
    expect(verifyToken(SECRET, BOARD, forever, sooner, NOW + 999)).toMatchObject({ ok: true, expiresAt: NOW + 1000, tokenExpiresAt: null })
    expect(verifyToken(SECRET, BOARD, forever, sooner, NOW + 5000)).toEqual({ ok: false, reason: 'tokenExpired' })
    // rotation wins over expiry: the reason names what the facilitator did
    expect(verifyToken(SECRET, BOARD, t, links((l) => (l.provider.gen = 1)), at + 1)).toEqual({ ok: false, reason: 'tokenReset' })
  })

  it("AUTH-3 legacy: the board's owner key (HMAC of \"owner:\" + id) is a facilitator token until the facilitator link is rotated", () => {
    const key = createHmac('sha256', SECRET).update(`owner:${BOARD}`).digest('base64url')
    expect(key).toBe(ownerKey(SECRET, BOARD))
    expect(verifyToken(SECRET, BOARD, key, links(), NOW)).toMatchObject({ ok: true, link: 'facilitator', role: 'facilitator' })
    expect(isSignedFor(SECRET, BOARD, key)).toBe(true)
    expect(verifyToken(SECRET, BOARD, key, links((l) => (l.viewer.gen = 4)), NOW)).toMatchObject({ ok: true })
    expect(verifyToken(SECRET, BOARD, key, links((l) => (l.facilitator.gen = 1)), NOW)).toEqual({ ok: false, reason: 'tokenReset' })
    expect(verifyToken(SECRET, 'OtherBoard99', key, links(), NOW)).toEqual({ ok: false, reason: 'badToken' })
    expect(verifyToken(SECRET, BOARD, flip(key, 3), links(), NOW)).toEqual({ ok: false, reason: 'badToken' })
  })

  it('AUTH-8 person id: sha256("arvo-person:" + secret) in base64url, 22 characters; no or a malformed secret: a random anon id', () => {
    const secret = 'abcdefghijklmnop-_0123'
    const want = createHash('sha256').update(`arvo-person:${secret}`).digest('base64url').slice(0, 22)
    expect(personIdOf(secret)).toBe(want)
    expect(personIdFor(secret)).toBe(want)
    for (const bad of [null, undefined, '', 'short', 'has spaces in it, 0123456', 'x'.repeat(129)]) {
      const a = personIdFor(bad)
      expect(a).toMatch(/^anon-[A-Za-z0-9_-]{16}$/)
      expect(personIdFor(bad)).not.toBe(a)
    }
  })
})

describe('AUTH-4 the board access gate', () => {
  it('AUTH-4 no token, or one not signed for this board, is refused without reading storage; a signed one is checked against the stored links', async () => {
    let reads = 0
    const stored = defaultLinks()
    const access = new BoardAccess(async () => SECRET, {
      getBoard: async (id) => {
        reads++
        return id === BOARD ? { id, createdAt: 0, links: stored } : null
      },
    })
    expect(await access.check(BOARD, null)).toEqual({ ok: false, reason: 'noToken' })
    expect(await access.check(BOARD, '')).toEqual({ ok: false, reason: 'noToken' })
    expect(await access.check(BOARD, 'junk.junk')).toEqual({ ok: false, reason: 'badToken' })
    expect(await access.check(BOARD, signToken(SECRET, 'OtherBoard99', 'viewer', 0, null))).toEqual({ ok: false, reason: 'badToken' })
    expect(await access.check(BOARD, signToken('another-secret-0123456789', BOARD, 'viewer', 0, null))).toEqual({ ok: false, reason: 'badToken' })
    expect(reads).toBe(0)
    const tokens = await access.tokens(BOARD, stored)
    expect(await access.check(BOARD, tokens.viewer)).toMatchObject({ ok: true, grant: { role: 'viewer' } })
    stored.viewer.gen = 1
    expect(await access.check(BOARD, tokens.viewer)).toEqual({ ok: false, reason: 'tokenReset' })
    expect(reads).toBe(2)
    // a well-signed token of a board that is gone
    expect(await access.check('GoneBoard123', signToken(SECRET, 'GoneBoard123', 'viewer', 0, null))).toEqual({ ok: false, reason: 'boardNotFound' })
  })
})
