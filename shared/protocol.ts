/**
 * The wire contract between the Arvo browser client, our server and any stock
 * y-websocket client. Client and server both import this file; README documents it.
 *
 * Sync is the standard y-websocket protocol (y-protocols sync + awareness) at
 * `ws://HOST:PORT/sync/<boardId>`.
 */

/** Version of Arvo's own additions to the protocol (close codes, doc layout). */
export const PROTOCOL_VERSION = 1

/** URL path prefix of the websocket sync endpoint. The room name follows it. */
export const SYNC_PATH = '/sync'

/** Board ids: URL-safe, 6–64 characters of `A–Z a–z 0–9 _ -`. */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/

/** Returns true when `id` is an acceptable board id. */
export function isValidBoardId(id: unknown): id is string {
  return typeof id === 'string' && BOARD_ID_PATTERN.test(id)
}

/** y-websocket message types (first varUint of every frame). */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const

/**
 * Named websocket close codes. 1000–1015 are RFC 6455; 4000–4999 are Arvo's own.
 * The close reason sent with each is the `reason` text below.
 */
export const CloseCode = {
  /** Server is shutting down; clients reconnect (to another process, if any). */
  goingAway: { code: 1001, reason: 'server shutting down' },
  /** A frame was larger than the configured limit (MAX_FRAME_BYTES). */
  frameTooLarge: { code: 1009, reason: 'frame too large' },
  /** A frame that is not a y-websocket message (bad encoding, unknown type). */
  malformedMessage: { code: 4001, reason: 'malformed message' },
  /** A Yjs update that could not be decoded or applied. */
  invalidUpdate: { code: 4002, reason: 'invalid update' },
  /** A Yjs update that wrote a record the tldraw schema rejects, or wrote outside the doc layout. */
  invalidRecord: { code: 4003, reason: 'invalid record' },
  /** The board could not be loaded from storage. */
  storageFailure: { code: 4004, reason: 'storage failure' },
  /** The client fell too far behind (send queue over the limit); it must reconnect and resync. */
  tooSlow: { code: 4008, reason: 'client too slow, resync' },
  /** The connection's token is no longer valid: its link was reset by the facilitator (final). */
  linkReset: { code: 4401, reason: 'link reset' },
  /** The connection's token expired while it was connected (final). */
  linkExpired: { code: 4401, reason: 'link expired' },
  /** A write the connection's role does not allow (final; Arvo's client reloads the board). */
  forbidden: { code: 4403, reason: 'not allowed for this role' },
} as const

/**
 * Close codes after which a client must not reconnect by itself (Arvo's client calls
 * `provider.disconnect()` and explains why): 4401 (token no longer valid), 4403 (not allowed
 * for this role), 4003 (invalid record).
 */
export const FINAL_CLOSE_CODES: readonly number[] = [4401, 4403, 4003]

export type CloseCodeName = keyof typeof CloseCode

/**
 * Reasons an upgrade to `/sync/<boardId>` is refused (HTTP status + text body),
 * before any websocket is opened.
 */
export const UpgradeRefusal = {
  badPath: { status: 404, reason: 'unknown path: sync endpoint is /sync/<boardId>' },
  badBoardId: { status: 400, reason: 'invalid board id: 6-64 characters of A-Z a-z 0-9 _ -' },
  boardNotFound: { status: 404, reason: 'board not found' },
  unavailable: { status: 503, reason: 'server unavailable' },
  /** No `token` query parameter. */
  noToken: { status: 401, reason: 'no token: open the board through an invite link' },
  /** Not a token this server signed, or signed for another board. */
  badToken: { status: 401, reason: 'invalid token' },
  /** The token's link was reset (rotated) by the facilitator. */
  tokenReset: { status: 401, reason: 'link reset' },
  /** The token's expiry has passed. */
  tokenExpired: { status: 401, reason: 'link expired' },
  /** Too many refused connections from this client in a short time (a reconnect loop). */
  throttled: { status: 429, reason: 'too many refused connections: retry later' },
} as const

/**
 * The Y.Doc layout, a public contract:
 * - `records`: top-level Y.Map, key = tldraw record id, value = the plain JSON record
 *   (no nested Y types). Only document-scoped records (document, page, shape, binding,
 *   asset, user) live here; presence goes through awareness.
 * - `meta`: top-level Y.Map; key `schema` holds the tldraw SerializedSchema the records
 *   were written with, so a client migrates old boards on load.
 */
export const DocLayout = {
  records: 'records',
  meta: 'meta',
  schemaKey: 'schema',
  /** `meta['edits:<userId>']`: edit counts the server attributes to each person (clients cannot write them). */
  editsPrefix: 'edits:',
  /**
   * `session`: top-level Y.Map of facilitator state. Only facilitator connections may write it;
   * the server checks every value against {@link SESSION_SCHEMA} (README lists the keys).
   */
  session: 'session',
} as const

/**
 * The keys of the `session` map and the values each may hold live in
 * `shared/facilitation/session.ts` (`FACILITATOR_KEYS`, `SERVER_KEYS`); unknown keys are refused.
 * The two lock flags (roles issue) are read here too, for the policy's {@link SessionFlags}:
 * - `boardLocked`: true while every participant is read-only (a banner tells everyone).
 * - `templatesUnlocked`: true while participants may change template parts (zones, labels,
 *   ratings' layout); false or absent: only the facilitator may (LOCK-1).
 */

/** The two lock flags of the `session` map (the facilitation keys are in shared/facilitation). */
export type SessionKey = 'boardLocked' | 'templatesUnlocked'

/** The session flags with their defaults applied (what a board without any session key has). */
export interface SessionFlags {
  boardLocked: boolean
  templatesUnlocked: boolean
}

/** Reads the session flags from the `session` map (ill-typed values count as absent). */
export function readSessionFlags(get: (key: string) => unknown): SessionFlags {
  return { boardLocked: get('boardLocked') === true, templatesUnlocked: get('templatesUnlocked') === true }
}

/** Value of `meta['edits:<userId>']`: how many edits the server counted for one person. */
export interface MetaEditCount {
  authorId: string
  authorName: string
  side: Side
  edits: number
}

/** Reads every well-formed `edits:<userId>` entry of the doc's `meta` map. */
export function editCountsFromMeta(entries: Iterable<[string, unknown]>): MetaEditCount[] {
  const out: MetaEditCount[] = []
  for (const [key, v] of entries) {
    if (!key.startsWith(DocLayout.editsPrefix)) continue
    const e = v as Partial<MetaEditCount> | null
    if (e && typeof e.authorId === 'string' && typeof e.authorName === 'string' && isSide(e.side) && Number.isInteger(e.edits) && e.edits! >= 0) {
      out.push({ authorId: e.authorId, authorName: e.authorName, side: e.side, edits: e.edits! })
    }
  }
  return out
}

/** Record type names allowed in the `records` map. */
export const DOCUMENT_RECORD_TYPES = ['document', 'page', 'shape', 'binding', 'asset', 'user'] as const

/** Id of the one page every Arvo board has (shared by all clients). */
export const BOARD_PAGE_ID = 'page:page'
/** Id of tldraw's document record. */
export const DOCUMENT_RECORD_ID = 'document:document'

/** The two sides of a co-creation workshop. */
export type Side = 'provider' | 'customer'
export const SIDES: readonly Side[] = ['provider', 'customer']

/** Returns true when `s` is one of the two sides. */
export function isSide(s: unknown): s is Side {
  return s === 'provider' || s === 'customer'
}

/** What each client publishes in its awareness state under the `user` field. */
export interface PresenceUser {
  /** Stable per-browser id (random, stored locally). */
  id: string
  name: string
  side: Side
  /** CSS colour of the cursor, from the side's colour family. */
  color: string
  /**
   * The connection's role. The server sets it (and `id`, and `side` for participants) from the
   * connection's token before relaying the state, whatever the client wrote.
   */
  role?: Role
}

/** Returns true when `u` is a well-formed awareness `user` field. */
export function isPresenceUser(u: unknown): u is PresenceUser {
  const p = u as PresenceUser
  return (
    !!p &&
    typeof p.id === 'string' &&
    p.id.length > 0 &&
    p.id.length <= 64 &&
    typeof p.name === 'string' &&
    p.name.length <= 200 &&
    isSide(p.side) &&
    typeof p.color === 'string'
  )
}

/**
 * Roles (server-enforced, shared/policy): a `facilitator` runs the board (everything, plus the
 * `session` map, link rotation); a `participant` writes notes and drawings on the side its link
 * names; a `viewer` sees the board live and changes nothing.
 */
export type Role = 'facilitator' | 'participant' | 'viewer'
export const ROLES: readonly Role[] = ['facilitator', 'participant', 'viewer']

/** The four invite links of a board: one per role, participants one per side. */
export type LinkRole = 'facilitator' | 'provider' | 'customer' | 'viewer'
export const LINK_ROLES: readonly LinkRole[] = ['facilitator', 'provider', 'customer', 'viewer']

export function isLinkRole(r: unknown): r is LinkRole {
  return r === 'facilitator' || r === 'provider' || r === 'customer' || r === 'viewer'
}

/** The role and side a link grants. */
export function linkAccess(link: LinkRole): { role: Role; side: Side | null } {
  if (link === 'provider' || link === 'customer') return { role: 'participant', side: link }
  return { role: link, side: null }
}

/** Who is on the other end of a connection or request, as the server established it. */
export interface Principal {
  role: Role
  /** The side of a participant (from its token); null for facilitators and viewers. */
  side: Side | null
  /**
   * The person's id: derived by the server from the person secret the browser sends
   * (`person` query parameter / `X-Arvo-Person` header); a random id per connection without one.
   */
  personId: string
  /** Which link the token came from. */
  link: LinkRole
}

/** URL-fragment parameter of an invite link: `/b/<id>#token=<token>`. */
export const TOKEN_FRAGMENT_PARAM = 'token'
/** Websocket query parameters: `/sync/<id>?token=<token>&person=<secret>`. */
export const TOKEN_QUERY_PARAM = 'token'
export const PERSON_QUERY_PARAM = 'person'
/** HTTP header carrying the browser's person secret (next to `Authorization: Bearer <token>`). */
export const PERSON_HEADER = 'x-arvo-person'
/** A person secret: 16–128 characters of base64url. */
export const PERSON_SECRET_PATTERN = /^[A-Za-z0-9_-]{16,128}$/
/** Legacy owner links of boards created before roles: `/b/<id>#owner=<key>` (a facilitator credential). */
export const OWNER_FRAGMENT_PARAM = 'owner'

/** The four invite links of a board (full URLs with the token in the fragment). */
export type BoardLinks = Record<LinkRole, string>

/** `POST /api/boards` body. */
export interface CreateBoardRequest {
  templates?: string[]
  language?: string
  /** Every link expires after this many days (1–365); per link: `{ viewer: 7 }`. Default: never. */
  expiresInDays?: number | Partial<Record<LinkRole, number>>
}

/** `POST /api/boards` response (201). */
export interface CreateBoardResponse {
  id: string
  /** The board's address without a token (opens nothing by itself). */
  url: string
  links: BoardLinks
}

/**
 * `POST /api/boards/<id>/links` (facilitator bearer token): `{ rotate?: LinkRole[],
 * expiresInDays?: … }` answers the current links, fresh ones for the rotated roles (their old
 * tokens stop working at once; live connections holding them close with 4401 "link reset").
 */
export interface LinksRequest {
  rotate?: LinkRole[]
  expiresInDays?: number | Partial<Record<LinkRole, number>>
}
export interface LinksResponse {
  links: BoardLinks
  /** Expiry per link (ISO time) or null. */
  expiresAt: Record<LinkRole, string | null>
}

/**
 * `POST /api/boards/<id>/access` (bearer token, optional `X-Arvo-Person`): who this token makes
 * you. 401 `{ error, reason }` when the token is refused (reason: UpgradeRefusal key).
 */
export interface AccessResponse {
  role: Role
  side: Side | null
  link: LinkRole
  personId: string
  /** ISO time the token expires, or null. */
  expiresAt: string | null
}

/** Body of a 401 answer from a board route. */
export interface UnauthorizedBody {
  error: string
  reason: 'noToken' | 'badToken' | 'tokenReset' | 'tokenExpired'
}

/** `GET /api/config` response: what the browser needs before it starts. */
export interface ClientConfig {
  tldrawLicenseKey: string | null
  maxFrameBytes: number
  protocolVersion: number
}
