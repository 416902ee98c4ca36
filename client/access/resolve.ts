/**
 * Who this browser is on a board (ACC-2): the server's access route answers for a token; this
 * module decides which token to ask about and what to keep. Framework-free (storage and the
 * route passed in) so vitest tests every path in Node.
 */
import {
  CloseCode,
  FINAL_CLOSE_CODES,
  PERSON_HEADER,
  type AccessResponse,
  type UnauthorizedBody,
} from '../../shared/protocol.ts'
import { readToken, writeToken } from './tokens.ts'

/** Why a token does not open the board (the server's UnauthorizedBody reasons). */
export type Refusal = UnauthorizedBody['reason']
const REFUSALS: readonly Refusal[] = ['noToken', 'badToken', 'tokenReset', 'tokenExpired']

/** The access route's answer for one token. */
export type AccessAnswer =
  | { kind: 'granted'; access: AccessResponse }
  | { kind: 'refused'; reason: Refusal }
  | { kind: 'missing' }
  | { kind: 'offline' }

/** What the board page does. */
export type Resolved =
  | { kind: 'granted'; token: string; access: AccessResponse }
  | { kind: 'refused'; reason: Refusal }
  | { kind: 'missing' }
  /** The server could not be asked: open the canvas with this token anyway (the banner explains). */
  | { kind: 'offline'; token: string }

/** Asks the access route about `token`: `POST /api/boards/<id>/access` with the bearer token and the person secret. */
export async function askAccess(boardId: string, token: string, person: string, fetchFn: typeof fetch = fetch): Promise<AccessAnswer> {
  let res: Response
  try {
    res = await fetchFn(`/api/boards/${encodeURIComponent(boardId)}/access`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, [PERSON_HEADER]: person },
    })
  } catch {
    return { kind: 'offline' }
  }
  if (res.status === 404) return { kind: 'missing' }
  if (res.status === 401) {
    const body = (await res.json().catch(() => null)) as Partial<UnauthorizedBody> | null
    const reason = REFUSALS.includes(body?.reason as Refusal) ? (body!.reason as Refusal) : 'badToken'
    return { kind: 'refused', reason }
  }
  if (!res.ok) return { kind: 'offline' }
  return { kind: 'granted', access: (await res.json()) as AccessResponse }
}

/**
 * Chooses the token this browser opens `boardId` with (ACC-2):
 * - a token from an invite link (`fromLink`) that the server confirms is kept, replacing the
 *   stored one (a co-facilitator's link, a fresh link after a reset);
 * - a link the server refuses never costs the token this browser holds: the stored one is asked
 *   next; the page says why only when nothing opens the board (the link's reason first);
 * - a stored token the server refuses is forgotten;
 * - no token at all: `noToken` (the page says the board opens through an invite link);
 * - a link whose fragment held something that is no token (`malformedLink`) counts as a link
 *   the server refused (`badToken`), without asking it.
 */
export async function resolveAccess(
  boardId: string,
  fromLink: string | null,
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  ask: (token: string) => Promise<AccessAnswer>,
  malformedLink = false,
): Promise<Resolved> {
  const stored = readToken(storage, boardId)
  let linkRefusal: Refusal | null = malformedLink ? 'badToken' : null
  if (fromLink && fromLink !== stored) {
    const answer = await ask(fromLink)
    if (answer.kind === 'granted') {
      writeToken(storage, boardId, fromLink)
      return { kind: 'granted', token: fromLink, access: answer.access }
    }
    if (answer.kind === 'missing') return answer
    if (answer.kind === 'offline') return { kind: 'offline', token: fromLink }
    linkRefusal = answer.reason
  }
  if (!stored) return { kind: 'refused', reason: linkRefusal ?? 'noToken' }
  const answer = await ask(stored)
  if (answer.kind === 'granted') return { kind: 'granted', token: stored, access: answer.access }
  if (answer.kind === 'missing') return answer
  if (answer.kind === 'offline') return { kind: 'offline', token: stored }
  writeToken(storage, boardId, null)
  return { kind: 'refused', reason: linkRefusal ?? answer.reason }
}

/** What a final close (FINAL_CLOSE_CODES) means for the page. */
export type FinalClose = { kind: 'refused'; reason: Refusal } | { kind: 'forbidden' } | { kind: 'invalid' }

/**
 * Reads a websocket close (CON-2): 4401 is the token no longer opening the board ("link reset" /
 * "link expired" by its reason text), 4403 a write the role does not allow, 4003 a record the
 * server's schema refused; any other code is not final (null: y-websocket reconnects).
 */
export function finalCloseOf(code: number, reason: string): FinalClose | null {
  if (!FINAL_CLOSE_CODES.includes(code)) return null
  if (code === CloseCode.linkReset.code) {
    if (reason === CloseCode.linkExpired.reason) return { kind: 'refused', reason: 'tokenExpired' }
    if (reason === CloseCode.linkReset.reason) return { kind: 'refused', reason: 'tokenReset' }
    return { kind: 'refused', reason: 'badToken' }
  }
  if (code === CloseCode.forbidden.code) return { kind: 'forbidden' }
  return { kind: 'invalid' }
}
