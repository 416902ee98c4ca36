/**
 * The dot-vote routes as this browser calls them (VOTE-C2): `POST /api/boards/<id>/votes`
 * casts or takes back one dot, `GET …/votes` reads the vote as this person may see it (their
 * own ballot only while open). Both carry the board token and the person secret.
 */
import type { BallotResponse, CastRefusal, CastRequest, VotesResponse } from '../../shared/facilitation/index.ts'

export interface VoteCredentials {
  boardId: string
  token: string
  person: string
}

export type CastOutcome =
  | { ok: true; ballot: BallotResponse }
  | { ok: false; reason: CastRefusal | 'network' | 'http'; status: number; error: string }

const CAST_REFUSALS: readonly CastRefusal[] = ['noVote', 'closed', 'wrongVote', 'notANote', 'notEligible', 'budget', 'onePerNote', 'noDot', 'notPresent']

export function isCastRefusal(v: unknown): v is CastRefusal {
  return typeof v === 'string' && (CAST_REFUSALS as readonly string[]).includes(v)
}

const url = (c: VoteCredentials) => `/api/boards/${encodeURIComponent(c.boardId)}/votes`
const headers = (c: VoteCredentials, json: boolean): Record<string, string> => ({
  authorization: `Bearer ${c.token}`,
  'x-arvo-person': c.person,
  ...(json ? { 'content-type': 'application/json' } : {}),
})

export async function castDot(c: VoteCredentials, request: CastRequest): Promise<CastOutcome> {
  let res: Response
  try {
    res = await fetch(url(c), { method: 'POST', headers: headers(c, true), body: JSON.stringify(request) })
  } catch (e) {
    return { ok: false, reason: 'network', status: 0, error: (e as Error).message }
  }
  const body = (await res.json().catch(() => null)) as (BallotResponse & { error?: string; reason?: unknown }) | null
  if (res.ok && body && typeof body.left === 'number' && body.dots) return { ok: true, ballot: body }
  return {
    ok: false,
    reason: isCastRefusal(body?.reason) ? body.reason : 'http',
    status: res.status,
    error: typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`,
  }
}

export async function readVotes(c: VoteCredentials): Promise<VotesResponse | null> {
  try {
    const res = await fetch(url(c), { headers: headers(c, false) })
    if (!res.ok) return null
    return (await res.json()) as VotesResponse
  } catch {
    return null
  }
}
