/**
 * Invite-link tokens and the person secret in the browser (ACC-1..3). An invite link carries its
 * token in the URL fragment (`/b/<id>#token=<t>`; legacy owner links `#owner=<key>` count as a
 * facilitator token), which never reaches a server log, a referrer or tldraw's licence check. The
 * page takes it off the address bar at once; it is kept per board in `localStorage` only once
 * the server's access route confirms it. Pure helpers (Storage passed in) so vitest tests them in Node.
 */
import { OWNER_FRAGMENT_PARAM, PERSON_SECRET_PATTERN, TOKEN_FRAGMENT_PARAM } from '../../shared/protocol.ts'

type Reader = Pick<Storage, 'getItem'>
type Writer = Pick<Storage, 'setItem' | 'removeItem'>

/** The `localStorage` key holding this browser's token of one board. */
export function tokenStorageKey(boardId: string): string {
  return `arvo.token.${boardId}`
}
/** Where boards created before roles kept their owner key (migrated to {@link tokenStorageKey}). */
export function legacyOwnerKeyStorageKey(boardId: string): string {
  return `arvo.ownerKey.${boardId}`
}
/** The `localStorage` key of this browser's person secret (one per browser, every board). */
export const PERSON_SECRET_KEY = 'arvo.person'
/** The `localStorage` key of the create token the home page asked for (ARVO_CREATE_TOKEN). */
export const CREATE_TOKEN_KEY = 'arvo.createToken'

/** Tokens are base64url with one dot (signed payload), owner keys plain base64url; anything else is ignored. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,400}(\.[A-Za-z0-9_-]{16,200})?$/

/** True when `s` looks like a token (it proves nothing: the server decides). */
export function isTokenShaped(s: unknown): s is string {
  return typeof s === 'string' && TOKEN_PATTERN.test(s)
}

/**
 * Splits an invite token off a URL fragment (ACC-1): `#token=<t>&x=1` -> token and `#x=1`; a
 * legacy `#owner=<key>` counts as a token too (`#token=` wins when both are there).
 *
 * @returns The token (null when there is none or it is malformed), whether the fragment had one
 *   at all (`found`, so the caller knows to rewrite the address bar), and the fragment without it.
 */
export function takeTokenFromFragment(hash: string): { token: string | null; found: boolean; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const raw = params.get(TOKEN_FRAGMENT_PARAM) ?? params.get(OWNER_FRAGMENT_PARAM)
  if (raw === null) return { token: null, found: false, rest: hash }
  params.delete(TOKEN_FRAGMENT_PARAM)
  params.delete(OWNER_FRAGMENT_PARAM)
  const rest = params.toString()
  return { token: isTokenShaped(raw) ? raw : null, found: true, rest: rest ? `#${rest}` : '' }
}

/** The token a link carries in its fragment, or null (for links the server answered). */
export function tokenOfLink(link: string): string | null {
  try {
    return takeTokenFromFragment(new URL(link).hash).token
  } catch {
    return null
  }
}

/**
 * The same link on this page's origin (the server names links after its configured base URL,
 * which may differ from the address this browser uses): path and fragment of `link`.
 */
export function sameOriginLink(link: string, origin: string): string {
  const u = new URL(link, origin)
  return `${origin}${u.pathname}${u.search}${u.hash}`
}

/**
 * The token this browser holds for `boardId`, or null (ACC-2). An owner key kept by a board
 * created before roles is migrated: it becomes the board's token (the server accepts it as
 * the facilitator's until the facilitator link is reset).
 */
export function readToken(storage: Reader & Partial<Writer>, boardId: string): string | null {
  try {
    const token = storage.getItem(tokenStorageKey(boardId))
    if (isTokenShaped(token)) return token
    const legacy = storage.getItem(legacyOwnerKeyStorageKey(boardId))
    if (!isTokenShaped(legacy)) return null
    if (storage.setItem && storage.removeItem) {
      storage.setItem(tokenStorageKey(boardId), legacy)
      storage.removeItem(legacyOwnerKeyStorageKey(boardId))
    }
    return legacy
  } catch {
    return null
  }
}

/** Keeps (or, with null, forgets) this browser's token of `boardId` (and any legacy owner key). */
export function writeToken(storage: Writer, boardId: string, token: string | null): void {
  try {
    if (token) storage.setItem(tokenStorageKey(boardId), token)
    else storage.removeItem(tokenStorageKey(boardId))
    storage.removeItem(legacyOwnerKeyStorageKey(boardId))
  } catch {
    // storage full or disabled: the link still works in this tab
  }
}

type Random = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array

/** 32 characters of base64url from 24 random bytes. */
export function randomSecret(random: Random = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(24))
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * This browser's person secret (ACC-3): made once (random base64url, 32 characters) and kept in
 * `localStorage`; the server derives the person's id from it, so nobody else's browser can act
 * under that id. Storage that is blocked gives a secret for this visit only.
 */
export function personSecret(storage: Reader & Writer, random?: Random): string {
  try {
    const kept = storage.getItem(PERSON_SECRET_KEY)
    if (kept && PERSON_SECRET_PATTERN.test(kept)) return kept
  } catch {
    // not readable: a fresh one
  }
  const secret = randomSecret(random)
  try {
    storage.setItem(PERSON_SECRET_KEY, secret)
  } catch {
    // not remembered: this visit only
  }
  return secret
}
