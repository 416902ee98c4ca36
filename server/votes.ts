/**
 * Dot voting on the server (VOTE-S2, VOTE-S6): casting a dot and reading a vote, for the HTTP
 * routes `POST/GET /api/boards/<id>/votes`. Ballots live in storage only (never in the doc,
 * never in awareness); the room's facilitation (sync/facilitation.ts) counts voters and tallies
 * the result when the vote closes.
 */
import {
  applyDot,
  ballotTotal,
  eligibleNoteIds,
  isNoteRecord,
  SESSION_ID_PATTERN,
  type BallotResponse,
  type CastRefusal,
  type CastRequest,
  type VotesResponse,
  type VoteState,
} from '../shared/facilitation/index.ts'
import { DocLayout, type Principal } from '../shared/protocol.ts'
import type { BoardStorage } from './storage/types.ts'
import type { Room } from './sync/room.ts'

/** A clear English sentence for each refusal (the UI shows its own, localised, by `reason`). */
export const CAST_REFUSAL_TEXT: Record<CastRefusal, string> = {
  noVote: 'no vote is open on this board',
  closed: 'the vote is closed',
  wrongVote: 'this is not the open vote of the board (reload it)',
  notANote: 'no such note on this board',
  notEligible: 'this note is not part of the vote',
  budget: 'no dots left',
  onePerNote: 'this vote allows one dot per note',
  noDot: 'you have no dot on this note',
  notPresent: 'the voter must be on the board: open it with this person secret (a websocket connection) first',
}

/** A malformed cast body: the reason in plain words. */
export class CastInputError extends Error {}

const MAX_NOTE_ID = 200

/** Validates a `POST …/votes` body as a {@link CastRequest}. */
export function parseCastRequest(body: unknown): CastRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CastInputError('request body must be a JSON object { voteId, noteId, delta }')
  const { voteId, noteId, delta } = body as Record<string, unknown>
  if (typeof voteId !== 'string' || !SESSION_ID_PATTERN.test(voteId)) throw new CastInputError('voteId must be the open vote\'s id (session.vote.id)')
  if (typeof noteId !== 'string' || !/^shape:[^\s]{1,190}$/.test(noteId) || noteId.length > MAX_NOTE_ID) throw new CastInputError('noteId must be a note\'s record id, e.g. "shape:abc"')
  if (delta !== 1 && delta !== -1) throw new CastInputError('delta must be 1 (add a dot) or -1 (remove one)')
  return { voteId, noteId, delta }
}

export type CastOutcome = { ok: true; ballot: BallotResponse } | { ok: false; reason: CastRefusal }

/** Eligible note ids per room state and vote (recomputed when the board changed). */
const eligibleCache = new WeakMap<Room, { key: string; ids: Set<string> }>()

function eligibleIn(room: Room, vote: VoteState): Set<string> {
  const key = `${room.versionKey}/${vote.id}`
  const hit = eligibleCache.get(room)
  if (hit && hit.key === key) return hit.ids
  const ids = eligibleNoteIds([...room.doc.getMap(DocLayout.records).values()], vote)
  eligibleCache.set(room, { key, ids })
  return ids
}

/** True when `personId` is on the board now: an awareness state (of any process) names them. */
function present(room: Room, personId: string): boolean {
  for (const state of room.awareness.getStates().values()) {
    if ((state as { user?: { id?: unknown } } | null)?.user?.id === personId) return true
  }
  return false
}

function answer(vote: VoteState, dots: Record<string, number>): BallotResponse {
  return { voteId: vote.id, dots, left: Math.max(0, vote.dots - ballotTotal(dots)) }
}

export class Votes {
  constructor(private readonly storage: BoardStorage) {}

  /**
   * One dot added or removed by a participant (the caller checked the role): the open vote,
   * the note, eligibility, budget and one-per-note are checked here, atomically per voter.
   */
  async cast(room: Room, who: Principal, req: CastRequest): Promise<CastOutcome> {
    const f = room.facilitation
    const vote = f.vote
    if (!vote) return { ok: false, reason: 'noVote' }
    if (vote.id !== req.voteId) return { ok: false, reason: vote.status === 'open' ? 'wrongVote' : 'closed' }
    if (!f.voteOpen) {
      if (vote.status === 'open') void f.close(vote.id, true) // its time ran out: tally now
      return { ok: false, reason: 'closed' }
    }
    if (!present(room, who.personId)) return { ok: false, reason: 'notPresent' }
    const record = room.doc.getMap(DocLayout.records).get(req.noteId)
    const isNote = record !== undefined && isNoteRecord(record)
    if (!isNote && req.delta === 1) return { ok: false, reason: 'notANote' }
    const eligible = isNote && eligibleIn(room, vote).has(req.noteId)
    const side = who.side ?? 'provider'
    let refusal: CastRefusal | null = null
    const decision = await this.storage.castBallot(room.id, vote.id, who.personId, side, (current) => {
      const r = applyDot(vote, current, req.noteId, req.delta, eligible)
      if ('refused' in r) {
        refusal = r.refused
        return { refuse: r.refused }
      }
      return { dots: r.ballot }
    })
    if ('refuse' in decision) return { ok: false, reason: refusal ?? 'closed' }
    f.castStored()
    return { ok: true, ballot: answer(vote, decision.dots) }
  }

  /**
   * The vote as `who` may see it: the vote, how many voted, their own ballot (a participant
   * with a person id), and the result once closed — never anyone else's ballot.
   */
  async read(room: Room, who: Principal, hasPerson: boolean): Promise<VotesResponse> {
    const f = room.facilitation
    const vote = f.vote
    const session = room.doc.getMap<unknown>(DocLayout.session)
    const result = (session.get('voteResult') ?? null) as VotesResponse['result']
    if (!vote) return { vote: null, voters: 0, mine: null, result }
    if (vote.status !== 'open') {
      const own = result && result.voteId === vote.id ? result : null
      return { vote, voters: own ? own.voters.provider + own.voters.customer : 0, mine: null, result: own ?? result }
    }
    const ballots = await this.storage.ballots(room.id, vote.id)
    const voters = ballots.filter((b) => ballotTotal(b.dots) > 0).length
    let mine: BallotResponse | null = null
    if (who.role === 'participant' && hasPerson) {
      mine = answer(vote, ballots.find((b) => b.personId === who.personId)?.dots ?? {})
    }
    return { vote, voters, mine, result }
  }
}
