/**
 * "Import a board backup" on the home page (issue 12): the JSON backup of a board is posted to
 * `POST /api/boards/import` (with the create token when the server wants one, as board
 * creation), and the new board is opened like a newly created one. DOM-free: `fetch` is passed.
 */
import type { CreateBoardResponse } from '../../shared/protocol.ts'
import { serverError } from '../export/download.ts'

export type ImportOutcome =
  | { ok: true; board: CreateBoardResponse }
  /** 401: the server wants a (different) create token. */
  | { ok: false; kind: 'token' }
  | { ok: false; kind: 'refused'; status: number; error: string | null }
  | { ok: false; kind: 'network' }

/** Posts a backup file's text as the import. Never throws. */
export async function importBackup(body: string, bearer: string | null, doFetch: typeof fetch = fetch): Promise<ImportOutcome> {
  let res: Response
  try {
    res = await doFetch('/api/boards/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body,
    })
  } catch {
    return { ok: false, kind: 'network' }
  }
  if (res.status === 401) return { ok: false, kind: 'token' }
  const text = await res.text().catch(() => '')
  if (!res.ok) return { ok: false, kind: 'refused', status: res.status, error: serverError(text) }
  try {
    const board = JSON.parse(text) as CreateBoardResponse
    if (typeof board.id === 'string' && board.links && typeof board.links.facilitator === 'string') return { ok: true, board }
  } catch {
    // fall through
  }
  return { ok: false, kind: 'refused', status: res.status, error: null }
}
