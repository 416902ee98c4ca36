/**
 * The board owner's key in the browser (LOCK-1): kept in `localStorage` per board, handed on as
 * an owner link with the key in the URL fragment (`/b/<id>#owner=<key>`), which never reaches a
 * server log, a referrer or tldraw's licence check. Pure helpers (Storage passed in) so vitest
 * tests them in Node.
 */
import { OWNER_FRAGMENT_PARAM } from '../../shared/protocol.ts'

/** The `localStorage` key holding the owner key of one board. */
export function ownerKeyStorageKey(boardId: string): string {
  return `arvo.ownerKey.${boardId}`
}

/** Owner keys are base64url (the server's HMAC); anything else in a fragment is ignored. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{16,200}$/

/**
 * Splits an owner key off a URL fragment: `#owner=<key>&x=1` -> key and `#x=1`.
 *
 * @returns The key (null when there is none or it is malformed) and the fragment without it.
 */
export function takeOwnerKeyFromFragment(hash: string): { key: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const raw = params.get(OWNER_FRAGMENT_PARAM)
  if (raw === null) return { key: null, rest: hash }
  params.delete(OWNER_FRAGMENT_PARAM)
  const rest = params.toString()
  return { key: KEY_PATTERN.test(raw) ? raw : null, rest: rest ? `#${rest}` : '' }
}

/** The owner link of a board: `href` without its fragment, plus `#owner=<key>`. */
export function ownerLink(href: string, key: string): string {
  const url = new URL(href)
  url.hash = `${OWNER_FRAGMENT_PARAM}=${key}`
  return url.toString()
}

/** The owner key this browser holds for `boardId`, or null. */
export function readOwnerKey(storage: Pick<Storage, 'getItem'>, boardId: string): string | null {
  try {
    const key = storage.getItem(ownerKeyStorageKey(boardId))
    return key && KEY_PATTERN.test(key) ? key : null
  } catch {
    return null
  }
}

/** Keeps (or, with null, forgets) the owner key of `boardId` in this browser. */
export function writeOwnerKey(storage: Pick<Storage, 'setItem' | 'removeItem'>, boardId: string, key: string | null): void {
  try {
    if (key) storage.setItem(ownerKeyStorageKey(boardId), key)
    else storage.removeItem(ownerKeyStorageKey(boardId))
  } catch {
    // storage full or disabled: the owner link still works in this tab
  }
}
