/**
 * Dot voting, pure (VOTE-*): which notes may get dots, how a ballot changes, and the tally the
 * server writes into `session.voteResult` when a vote closes. The server is the only one that
 * sees ballots while a vote is open; the client uses `eligibleNoteIds` and `applyDot` to offer
 * only what the server will accept.
 */
import { assignNotes } from '../domain/zones.ts'
import { readArvoMeta } from '../domain/types.ts'
import type { Side } from '../protocol.ts'
import type { NoteTally, VoteResult, VoteState } from './session.ts'

/** One voter's dots: note id -> dots (only positive counts are kept). */
export type Ballot = Record<string, number>

/** A stored ballot with the voter's side (from their token). */
export interface SidedBallot {
  personId: string
  side: Side
  dots: Ballot
}

/** `POST /api/boards/<id>/votes` body: add (+1) or remove (−1) one dot on one note of the open vote. */
export interface CastRequest {
  voteId: string
  noteId: string
  delta: 1 | -1
}

/** `POST …/votes` answer (200) and the voter's part of `GET …/votes`. */
export interface BallotResponse {
  voteId: string
  dots: Ballot
  /** Dots this voter may still place. */
  left: number
}

/**
 * `GET /api/boards/<id>/votes`: the vote as the caller may see it. While open: the vote, the
 * number of voters, and (for a participant) their own ballot — never anyone else's. Closed:
 * the result too.
 */
export interface VotesResponse {
  vote: VoteState | null
  voters: number
  mine: BallotResponse | null
  result: VoteResult | null
}

/** Why a cast is refused (409 body `{ error, reason }`), or null when it is allowed. */
/**
 * `notPresent`: the voter has no live connection on the board. A person is a browser secret, so
 * anyone holding a participant link could invent voters; requiring each voter to be on the board
 * puts every voter in the participants list, where the facilitator sees them.
 */
export type CastRefusal = 'noVote' | 'closed' | 'wrongVote' | 'notANote' | 'notEligible' | 'budget' | 'onePerNote' | 'noDot' | 'notPresent'

/** Dots a ballot holds in all. */
export function ballotTotal(ballot: Ballot): number {
  let n = 0
  for (const v of Object.values(ballot)) n += v
  return n
}

/**
 * The ids of the notes `vote` accepts dots on: every tldraw note of `records` (attributed or
 * not), or only those whose centre lies in one of `vote.templates` (ZONE-2's assignment).
 */
export function eligibleNoteIds(records: readonly unknown[], vote: Pick<VoteState, 'templates'>): Set<string> {
  const out = new Set<string>()
  if (vote.templates === null) {
    for (const r of records) {
      const rec = r as { typeName?: unknown; type?: unknown; id?: unknown }
      if (rec?.typeName === 'shape' && rec.type === 'note' && typeof rec.id === 'string') out.add(rec.id)
    }
    return out
  }
  const allowed = new Set(vote.templates)
  for (const a of assignNotes(records)) if (a.zone && allowed.has(a.zone.instance)) out.add(a.noteId)
  return out
}

/**
 * The ballot after one cast, or the refusal: `delta` +1 needs a dot left and (onePerNote) no
 * dot on that note yet; −1 needs a dot there. `eligible` says whether the note may get dots.
 */
export function applyDot(
  vote: VoteState,
  ballot: Ballot,
  noteId: string,
  delta: 1 | -1,
  eligible: boolean,
): { ballot: Ballot } | { refused: CastRefusal } {
  if (vote.status !== 'open') return { refused: 'closed' }
  // own keys only: `constructor` or `toString` are no notes with dots
  const have = Object.hasOwn(ballot, noteId) ? ballot[noteId] : 0
  if (delta === -1) {
    if (have === 0) return { refused: 'noDot' }
    const next = { ...ballot }
    if (have === 1) delete next[noteId]
    else next[noteId] = have - 1
    return { ballot: next }
  }
  if (!eligible) return { refused: 'notEligible' }
  if (ballotTotal(ballot) >= vote.dots) return { refused: 'budget' }
  if (vote.onePerNote && have >= 1) return { refused: 'onePerNote' }
  return { ballot: { ...ballot, [noteId]: have + 1 } }
}

/** How many disagreements a result lists. */
export const MAX_DISAGREEMENTS = 5

/**
 * Tallies the ballots of a closed vote (VOTE-4): dots per note split by side, ranked (most dots
 * first; ties: the note both sides voted for, then the smaller gap, then note id), and the notes
 * the sides disagree on most — the difference of the share of its side's dots each side gave the
 * note (a side that cast no dots counts as share 0). Dots on notes that no longer exist, or that
 * `keep` rejects, are dropped.
 */
export function tallyVotes(vote: VoteState, ballots: readonly SidedBallot[], closedAt: number, keep: (noteId: string) => boolean = () => true): VoteResult {
  const byNote = new Map<string, NoteTally>()
  const cast: Record<Side, number> = { provider: 0, customer: 0 }
  const voters: Record<Side, number> = { provider: 0, customer: 0 }
  for (const b of ballots) {
    let counted = 0
    for (const [noteId, n] of Object.entries(b.dots)) {
      if (!Number.isInteger(n) || n <= 0 || !keep(noteId)) continue
      const t = byNote.get(noteId) ?? { noteId, provider: 0, customer: 0, total: 0 }
      t[b.side] += n
      t.total += n
      byNote.set(noteId, t)
      cast[b.side] += n
      counted += n
    }
    if (counted > 0) voters[b.side] += 1
  }
  const share = (t: NoteTally, side: Side) => (cast[side] === 0 ? 0 : t[side] / cast[side])
  const gapOf = (t: NoteTally) => Math.abs(share(t, 'provider') - share(t, 'customer'))
  const tallies = [...byNote.values()]
  const both = (t: NoteTally) => (t.provider > 0 && t.customer > 0 ? 1 : 0)
  const ranked = [...tallies].sort(
    (a, b) => b.total - a.total || both(b) - both(a) || gapOf(a) - gapOf(b) || (a.noteId < b.noteId ? -1 : a.noteId > b.noteId ? 1 : 0),
  )
  const disagreements = tallies
    .map((t) => ({ ...t, gap: Math.round(gapOf(t) * 1000) / 1000 }))
    .filter((t) => t.gap > 0 && cast.provider > 0 && cast.customer > 0)
    .sort((a, b) => b.gap - a.gap || b.total - a.total || (a.noteId < b.noteId ? -1 : 1))
    .slice(0, MAX_DISAGREEMENTS)
  return { voteId: vote.id, closedAt, dots: vote.dots, voters, ranked, disagreements }
}

/** True when `record` is an Arvo or plain tldraw note shape. */
export function isNoteRecord(record: unknown): boolean {
  const r = record as { typeName?: unknown; type?: unknown }
  return r?.typeName === 'shape' && r.type === 'note' && (readArvoMeta(record)?.kind ?? 'note') === 'note'
}
