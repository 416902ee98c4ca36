import type { IncomingMessage } from 'node:http'
import { LINK_ROLES, UpgradeRefusal, type BoardLinks, type LinkRole, type Principal, type UnauthorizedBody } from '../../shared/protocol.ts'
import type { BoardInfo, BoardLinkState, BoardStorage } from '../storage/types.ts'
import { isSignedFor, personIdFor, signToken, verifyToken, type TokenCheck, type TokenRefusal } from './tokens.ts'

/** A token that verified: what it grants (TokenCheck without the failure case). */
export type Grant = Extract<TokenCheck, { ok: true }>

export type AccessResult =
  | { ok: true; info: BoardInfo; grant: Grant }
  | { ok: false; reason: 'noToken' | TokenRefusal }
  | { ok: false; reason: 'boardNotFound' }

/**
 * The one gate of every board route and of the sync upgrade (AUTH-4): checks a token of board
 * `boardId`. No token, or one not signed for this board, is refused before storage is read; a
 * signed one is checked against the board's current link generations and expiries.
 */
export class BoardAccess {
  constructor(
    readonly secret: () => Promise<string>,
    private readonly storage: Pick<BoardStorage, 'getBoard'>,
    private readonly now: () => number = Date.now,
  ) {}

  async check(boardId: string, token: string | null | undefined): Promise<AccessResult> {
    if (!token) return { ok: false, reason: 'noToken' }
    const secret = await this.secret()
    if (!isSignedFor(secret, boardId, token)) return { ok: false, reason: 'badToken' }
    const info = await this.storage.getBoard(boardId)
    if (!info) return { ok: false, reason: 'boardNotFound' }
    const grant = verifyToken(secret, boardId, token, info.links, this.now())
    return grant.ok ? { ok: true, info, grant } : grant
  }

  /** The current token of every link of `boardId` (deterministic: the same state signs the same tokens). */
  async tokens(boardId: string, links: BoardLinkState): Promise<Record<LinkRole, string>> {
    const secret = await this.secret()
    const out = {} as Record<LinkRole, string>
    for (const l of LINK_ROLES) out[l] = signToken(secret, boardId, l, links[l].gen, links[l].expiresAt)
    return out
  }
}

/** The principal a grant makes of a connection or request, with the person id from its secret. */
export function principalOf(grant: Grant, personSecret: unknown): Principal {
  return { role: grant.role, side: grant.side, link: grant.link, personId: personIdFor(personSecret) }
}

/** The four invite links: `<boardUrl>#token=<token>` (the token stays in the fragment). */
export function linkUrls(boardUrl: string, tokens: Record<LinkRole, string>): BoardLinks {
  const out = {} as BoardLinks
  for (const l of LINK_ROLES) out[l] = `${boardUrl}#token=${tokens[l]}`
  return out
}

/** The body of a 401 answer for `reason`. */
export function unauthorizedBody(reason: UnauthorizedBody['reason']): UnauthorizedBody {
  return { error: UpgradeRefusal[reason].reason, reason }
}

/** A request's token: `Authorization: Bearer <token>`, else the `token` query parameter (plain downloads). */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const h = req.headers.authorization
  if (typeof h === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
    if (m) return m[1]
  }
  return url.searchParams.get('token') || null
}

/** Longest `expiresInDays` (a year) and shortest (a day). */
export const MAX_EXPIRY_DAYS = 365
export const MIN_EXPIRY_DAYS = 1
const DAY_MS = 86_400_000

/** Raised for a bad `expiresInDays` / `rotate`; the message says what is accepted. */
export class LinkInputError extends Error {}

/**
 * Reads `expiresInDays`: absent, a number of days for every link, or per link
 * (`{ viewer: 7 }`); each 1–365 (fractions allowed). Returns the days per link it sets.
 */
export function parseExpiresInDays(v: unknown): Partial<Record<LinkRole, number>> {
  if (v === undefined) return {}
  const days = (d: unknown, what: string): number => {
    if (typeof d !== 'number' || !Number.isFinite(d) || d < MIN_EXPIRY_DAYS || d > MAX_EXPIRY_DAYS) {
      throw new LinkInputError(`${what} must be a number of days from ${MIN_EXPIRY_DAYS} to ${MAX_EXPIRY_DAYS}`)
    }
    return d
  }
  if (typeof v === 'number') return Object.fromEntries(LINK_ROLES.map((l) => [l, days(v, 'expiresInDays')]))
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new LinkInputError(`expiresInDays must be a number of days or an object per link (${LINK_ROLES.join(', ')})`)
  }
  const out: Partial<Record<LinkRole, number>> = {}
  for (const [k, d] of Object.entries(v)) {
    if (!(LINK_ROLES as readonly string[]).includes(k)) throw new LinkInputError(`expiresInDays: unknown link ${JSON.stringify(k)} (links: ${LINK_ROLES.join(', ')})`)
    out[k as LinkRole] = days(d, `expiresInDays.${k}`)
  }
  return out
}

/** Reads `rotate`: a list of link roles (duplicates allowed, counted once). */
export function parseRotate(v: unknown): LinkRole[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.length > 16 || !v.every((l) => (LINK_ROLES as readonly unknown[]).includes(l))) {
    throw new LinkInputError(`rotate must be a list of links: ${LINK_ROLES.join(', ')}`)
  }
  return [...new Set(v as LinkRole[])]
}

/** Expiry instants (unix ms, whole seconds: what a token carries) for `days` from `now`. */
export function expiriesFrom(days: Partial<Record<LinkRole, number>>, now: number): Partial<Record<LinkRole, number>> {
  const out: Partial<Record<LinkRole, number>> = {}
  for (const [l, d] of Object.entries(days)) out[l as LinkRole] = Math.ceil((now + d * DAY_MS) / 1000) * 1000
  return out
}
