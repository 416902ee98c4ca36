/**
 * The facilitator's link routes (SHARE-1): read the four invite links, reset some of them.
 * Thin fetch wrappers; the server decides who may (facilitator bearer token).
 */
import { whyNoWrites } from '../../shared/policy/index.ts'
import type { LinkRole, LinksRequest, LinksResponse, Role, SessionFlags } from '../../shared/protocol.ts'
import type { AccessResponse } from '../../shared/protocol.ts'

/** What this browser is on one board: the server's answer plus the credentials it connects with. */
export interface BoardAccess extends AccessResponse {
  token: string
  /** This browser's person secret (ACC-3). */
  person: string
}

/**
 * Whether a role may change the board now (ROLE-C2): a viewer never, a participant not while
 * the facilitator has locked the board — shared/policy's answer, which the server enforces; the
 * UI only follows it so that it never offers what the server will refuse.
 */
export function mayWriteBoard(role: Role, flags: SessionFlags): boolean {
  return whyNoWrites({ role, side: null, personId: '', flags }) === null
}

async function linksCall(boardId: string, token: string, init: RequestInit): Promise<LinksResponse> {
  const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/links`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  return (await res.json()) as LinksResponse
}

/** The board's four links (facilitator only). */
export function fetchLinks(boardId: string, token: string): Promise<LinksResponse> {
  return linksCall(boardId, token, { method: 'GET' })
}

/** Resets the links of `roles` (their old tokens stop working at once) and answers all four. */
export function rotateLinks(boardId: string, token: string, roles: LinkRole[]): Promise<LinksResponse> {
  const body: LinksRequest = { rotate: roles }
  return linksCall(boardId, token, { method: 'POST', body: JSON.stringify(body) })
}
