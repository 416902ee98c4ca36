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
} as const

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
} as const

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

/** `POST /api/boards` response. */
export interface CreateBoardResponse {
  id: string
  /** The board's link for participants. */
  url: string
  /** Proves ownership of this board (keep it secret: whoever has it can unlock the templates). */
  ownerKey: string
  /** `url` with the owner key in its fragment (`#owner=<key>`), never in the query string. */
  ownerUrl: string
}

/** Name of the URL-fragment parameter that carries an owner key: `/b/<id>#owner=<key>`. */
export const OWNER_FRAGMENT_PARAM = 'owner'

/**
 * What a person may do on a board. Today: the board's `owner` (holds its owner key) may unlock
 * template backgrounds; everyone else is a `participant`. (Later: a facilitator, invite links.)
 */
export type BoardRole = 'owner' | 'participant'

/** `POST /api/boards/<id>/role` body: the owner key the browser holds, if any. */
export interface BoardRoleRequest {
  ownerKey?: string
}

/** `POST /api/boards/<id>/role` response. */
export interface BoardRoleResponse {
  role: BoardRole
}

/** `GET /api/config` response: what the browser needs before it starts. */
export interface ClientConfig {
  tldrawLicenseKey: string | null
  maxFrameBytes: number
  protocolVersion: number
}
