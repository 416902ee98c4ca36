import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { isLinkRole, linkAccess, PERSON_SECRET_PATTERN, type LinkRole, type Role, type Side } from '../../shared/protocol.ts'
import type { BoardLinkState } from '../storage/types.ts'
import { isOwnerKey } from '../http/owner.ts'

/**
 * Invite-link tokens (AUTH-1..AUTH-3 in server/SPEC.md):
 * `base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, "arvo-token:" + payloadPart))`,
 * payload `{ v: 1, b: boardId, l: LinkRole, g: generation, e: expiry (unix seconds) or 0 }`.
 * Nothing per token is stored: the board keeps one generation (and optional expiry) per link,
 * and a token is valid while its generation is the link's current one.
 */
export interface TokenPayload {
  v: 1
  b: string
  l: LinkRole
  g: number
  e: number
}

/** Longest token accepted (a real one is ~130 characters); longer input is refused unread. */
export const MAX_TOKEN_LENGTH = 512
const SIGNATURE_CHARS = 43 // 32 bytes of HMAC-SHA256 in base64url, unpadded
const TOKEN_DOMAIN = 'arvo-token:'
const PERSON_DOMAIN = 'arvo-person:'

export type TokenRefusal = 'badToken' | 'tokenReset' | 'tokenExpired'

export type TokenCheck =
  | {
      ok: true
      link: LinkRole
      role: Role
      side: Side | null
      generation: number
      /** When the token stops working (unix ms): its own expiry or its link's, whichever comes first; null: never. */
      expiresAt: number | null
      /** The token's own expiry (unix ms) or null: a later change of the link's expiry cannot extend it. */
      tokenExpiresAt: number | null
    }
  | { ok: false; reason: TokenRefusal }

function sign(secret: string, payloadPart: string): string {
  return createHmac('sha256', secret).update(TOKEN_DOMAIN + payloadPart).digest('base64url')
}

/** Signs a token for `link` of board `boardId` at generation `gen`, expiring at `expiresAt` (unix ms) or never. */
export function signToken(secret: string, boardId: string, link: LinkRole, gen: number, expiresAt: number | null): string {
  const payload: TokenPayload = { v: 1, b: boardId, l: link, g: gen, e: expiresAt === null ? 0 : Math.ceil(expiresAt / 1000) }
  const part = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${part}.${sign(secret, part)}`
}

/** The payload of a token whose signature is right, else null (constant-time comparison). */
function readSigned(secret: string, token: string): TokenPayload | null {
  const dot = token.indexOf('.')
  if (dot <= 0 || token.length - dot - 1 !== SIGNATURE_CHARS) return null
  const part = token.slice(0, dot)
  const want = Buffer.from(sign(secret, part))
  const got = Buffer.from(token.slice(dot + 1))
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null
  let p: Partial<TokenPayload>
  try {
    p = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Partial<TokenPayload>
  } catch {
    return null
  }
  if (typeof p !== 'object' || p === null) return null
  if (p.v !== 1 || typeof p.b !== 'string' || !isLinkRole(p.l)) return null
  if (!Number.isSafeInteger(p.g) || p.g! < 0 || !Number.isSafeInteger(p.e) || p.e! < 0) return null
  return p as TokenPayload
}

/**
 * True when `token` was signed by `secret` for board `boardId` (or is its legacy owner key),
 * whatever its generation and expiry: the check an upgrade or request passes before any storage
 * read. Size-limited and constant-time like {@link verifyToken}.
 */
export function isSignedFor(secret: string, boardId: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return false
  if (!token.includes('.')) return isOwnerKey(secret, boardId, token)
  return readSigned(secret, token)?.b === boardId
}

/**
 * Checks `token` for board `boardId` whose links are `links`, at `now` (unix ms):
 * - `badToken`: not a string, too long, not signed by `secret`, or signed for another board;
 * - `tokenReset`: its generation is not the link's current one (the facilitator rotated it);
 * - `tokenExpired`: its own expiry, or the link's (whichever comes first), has passed.
 * Legacy: the board's old owner key (`http/owner.ts`) is a facilitator token while the
 * facilitator link was never rotated (generation 0).
 */
export function verifyToken(secret: string, boardId: string, token: unknown, links: BoardLinkState, now: number): TokenCheck {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'badToken' }
  if (!token.includes('.')) {
    if (!isOwnerKey(secret, boardId, token)) return { ok: false, reason: 'badToken' }
    if (links.facilitator.gen !== 0) return { ok: false, reason: 'tokenReset' }
    return granted('facilitator', 0, links.facilitator.expiresAt, null, now)
  }
  const p = readSigned(secret, token)
  if (!p || p.b !== boardId) return { ok: false, reason: 'badToken' }
  const state = links[p.l]
  if (p.g !== state.gen) return { ok: false, reason: 'tokenReset' }
  const own = p.e === 0 ? null : p.e * 1000
  const expiresAt = own === null ? state.expiresAt : state.expiresAt === null ? own : Math.min(own, state.expiresAt)
  return granted(p.l, p.g, expiresAt, own, now)
}

function granted(link: LinkRole, generation: number, expiresAt: number | null, tokenExpiresAt: number | null, now: number): TokenCheck {
  if (expiresAt !== null && now >= expiresAt) return { ok: false, reason: 'tokenExpired' }
  return { ok: true, link, ...linkAccess(link), generation, expiresAt, tokenExpiresAt }
}

/** A person's id from the secret their browser keeps: `base64url(sha256("arvo-person:" + secret))`, 22 characters. */
export function personIdOf(secret: string): string {
  return createHash('sha256').update(PERSON_DOMAIN + secret).digest('base64url').slice(0, 22)
}

/** The person id of a connection or request: from a well-formed person secret, else a fresh `anon-…` id. */
export function personIdFor(secret: unknown): string {
  if (typeof secret === 'string' && PERSON_SECRET_PATTERN.test(secret)) return personIdOf(secret)
  return `anon-${randomBytes(12).toString('base64url')}`
}
