/**
 * A room's share of facilitation (issue 11), the parts only the server may do:
 * - VOTE-S3 `session.voteProgress`: how many people voted in the open vote (a count, never who
 *   voted for what), refreshed after casts;
 * - VOTE-S4 closing a vote: when a facilitator writes `vote.status = 'closed'`, replaces or
 *   removes an open vote, or the vote's `endsAt` passes (also found on load, after a restart),
 *   the ballots are taken from storage (exactly once across processes), tallied by side into
 *   `session.voteResult`, and forgotten;
 * - PRIV-S1 `session.privateCounts`: each person's private-note count from their awareness
 *   `privateNotes` field; an entry stays after its person left (the facilitator sees who is
 *   still pending after a reveal) and goes when they publish (count 0).
 * Framework-free: the room passes in its doc, a recorded-write function and storage calls.
 */
import * as Y from 'yjs'
import {
  isPrivateCounts,
  isPrivateModeState,
  isVoteState,
  PRIVATE_NOTES_AWARENESS_FIELD,
  SESSION_ID_PATTERN,
  tallyVotes,
  type PrivateCount,
  type SidedBallot,
  type VoteState,
} from '../../shared/facilitation/index.ts'
import { DocLayout, isSide } from '../../shared/protocol.ts'
import { ballotTotal } from '../../shared/facilitation/votes.ts'
import type { Logger } from '../log.ts'

/** Origin of the server's own facilitation writes (vote progress, results, private counts). */
export const FACILITATION_ORIGIN = 'arvo:facilitation'

/** Writes into `session` are debounced by this much (casts and awareness come in bursts). */
export const FACILITATION_WRITE_DELAY_MS = 250

/** How long a tally waits for its result to reach storage before it keeps the ballots (storage failing). */
const PERSIST_WAIT_MS = 10_000

/** At most this many people are listed in `privateCounts` (a workshop has far fewer). */
export const MAX_PRIVATE_COUNT_ENTRIES = 200

/** At most this many private notes are counted per person (a bigger claim is capped). */
export const MAX_PRIVATE_COUNT = 1000

export interface FacilitationHost {
  readonly boardId: string
  readonly log: Logger
  /** Runs `fn` as one recorded server transaction (persisted, then relayed to everyone). */
  write(fn: () => void): void
  /** Ballots of an open vote (storage). */
  ballots(voteId: string): Promise<SidedBallot[]>
  /** Closes a vote in storage and answers its ballots (the same to every caller until forgotten). */
  closeVote(voteId: string): Promise<SidedBallot[]>
  /** Deletes a closed vote's ballots from storage. */
  forgetBallots(voteId: string): Promise<void>
  /** Resolves once everything the room took in (the result just written) is on disk. */
  whenPersisted(): Promise<void>
  /** Milliseconds since the epoch (server clock). */
  now(): number
  /** A vote was seen open for the first time (participants' presence goes, VOTE-S5). */
  voteOpened(): void
}

/** One person's `privateNotes` awareness field, validated; null when absent or ill-formed. */
export function readPrivateNotes(state: unknown): { round: string; count: number } | null {
  const field = (state as Record<string, unknown> | null)?.[PRIVATE_NOTES_AWARENESS_FIELD] as Record<string, unknown> | undefined
  if (!field || typeof field !== 'object') return null
  const { round, count } = field
  if (typeof round !== 'string' || !SESSION_ID_PATTERN.test(round)) return null
  if (!Number.isInteger(count) || (count as number) < 0) return null
  return { round, count: Math.min(count as number, MAX_PRIVATE_COUNT) }
}

export class RoomFacilitation {
  private readonly session: Y.Map<unknown>
  private readonly records: Y.Map<unknown>
  /** Ids of votes this room saw open (a later close, replacement or removal closes them). */
  private readonly openSeen = new Set<string>()
  private deadline: NodeJS.Timeout | null = null
  private deadlineFor: string | null = null
  private progressTimer: NodeJS.Timeout | null = null
  private countsTimer: NodeJS.Timeout | null = null
  private readonly closing = new Set<string>()
  private readonly inFlight = new Set<Promise<void>>()
  private destroyed = false

  constructor(
    doc: Y.Doc,
    private readonly host: FacilitationHost,
    /** The room's awareness states (sanitized): client id -> state. */
    private readonly awarenessStates: () => Map<number, unknown>,
  ) {
    this.session = doc.getMap(DocLayout.session)
    this.records = doc.getMap(DocLayout.records)
    this.session.observe(this.onSessionChange)
    this.onSession()
  }

  private checkQueued = false
  /**
   * Session changes are looked at once the message that made them is handled: a refused write is
   * applied and undone in one go (sync/writes.ts), and its passing state (a vote "opened" by a
   * participant) must never start or close anything.
   */
  private onSessionChange = (): void => {
    if (this.checkQueued) return
    this.checkQueued = true
    queueMicrotask(() => {
      this.checkQueued = false
      this.onSession()
    })
  }

  /** The vote in the doc now (ill-formed: none). */
  get vote(): VoteState | null {
    const v = this.session.get('vote')
    return isVoteState(v) ? v : null
  }

  /** True while a vote is open and its time has not run out (casts accepted, presence stripped). */
  get voteOpen(): boolean {
    const v = this.vote
    return v !== null && v.status === 'open' && (v.endsAt === null || v.endsAt > this.host.now())
  }

  private onSession = (): void => {
    if (this.destroyed) return
    const vote = this.vote
    // a vote seen open that is now closed, replaced or gone: tally it
    for (const id of [...this.openSeen]) {
      if (!vote || vote.id !== id || vote.status !== 'open') {
        this.openSeen.delete(id)
        void this.close(id, false)
      }
    }
    if (vote && vote.status === 'open' && !this.openSeen.has(vote.id)) {
      this.openSeen.add(vote.id)
      this.host.voteOpened()
    }
    // a closed vote without its result (the process that should have tallied died): tally now
    if (vote && vote.status === 'closed') {
      const result = this.session.get('voteResult') as { voteId?: unknown } | undefined
      if (result?.voteId !== vote.id) void this.close(vote.id, false)
    }
    this.scheduleDeadline(vote)
    // a new round or the end of private mode changes whose counts stand
    const mode = this.session.get('privateMode')
    const round = isPrivateModeState(mode) ? mode.round : null
    if (round !== this.lastRound) {
      this.lastRound = round
      this.awarenessChanged()
    }
  }

  private lastRound: string | null | undefined = undefined

  private scheduleDeadline(vote: VoteState | null): void {
    const want = vote && vote.status === 'open' && vote.endsAt !== null ? vote.id : null
    if (want === this.deadlineFor) return
    if (this.deadline) clearTimeout(this.deadline)
    this.deadline = null
    this.deadlineFor = want
    if (!want || !vote || vote.endsAt === null) return
    const endsAt = vote.endsAt
    // setTimeout fires at once beyond 2^31-1 ms (~24.8 days): wait in steps, check on waking
    const arm = (): void => {
      const wait = Math.max(0, endsAt - this.host.now())
      this.deadline = setTimeout(() => {
        if (endsAt > this.host.now()) return arm()
        this.deadline = null
        this.deadlineFor = null
        void this.close(want, true)
      }, Math.min(wait, 2 ** 31 - 1))
    }
    arm()
  }

  /**
   * Tallies vote `voteId` once: takes its ballots from storage (null: another process or an
   * earlier call did it) and writes the result; `markClosed` also sets the vote's status (a
   * time limit ran out, nobody wrote the close).
   */
  close(voteId: string, markClosed: boolean): Promise<void> {
    if (this.closing.has(voteId)) return Promise.resolve()
    this.closing.add(voteId)
    const done = this.tally(voteId, markClosed).finally(() => this.inFlight.delete(done))
    this.inFlight.add(done)
    return done
  }

  /** Resolves once no tally is running (the room writes its result before it unloads). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private async tally(voteId: string, markClosed: boolean): Promise<void> {
    try {
      const ballots = await this.host.closeVote(voteId)
      if (this.destroyed) return
      const already = this.session.get('voteResult') as { voteId?: unknown } | undefined
      if (already?.voteId === voteId) {
        // tallied before (another process, or before a restart): only the ballots are left to forget
        await this.host.forgetBallots(voteId)
        return
      }
      const vote = this.vote
      const shape: VoteState = vote && vote.id === voteId ? vote : { id: voteId, status: 'closed', dots: 0, onePerNote: false, templates: null, endsAt: null }
      const result = tallyVotes(shape, ballots, this.host.now(), (noteId) => this.records.has(noteId))
      this.host.write(() => {
        const current = this.vote
        if (markClosed && current && current.id === voteId && current.status === 'open') {
          this.session.set('vote', { ...current, status: 'closed' } satisfies VoteState)
        }
        // a newer vote's result is never overwritten by an older one's
        const shown = this.session.get('voteResult') as { closedAt?: unknown } | undefined
        if (!shown || typeof shown.closedAt !== 'number' || shown.closedAt <= result.closedAt || !current || current.id === voteId) {
          this.session.set('voteResult', result)
        }
        const progress = this.session.get('voteProgress') as { voteId?: unknown } | undefined
        if (progress && progress.voteId === voteId) this.session.delete('voteProgress')
      })
      this.host.log.info('vote closed', { board: this.host.boardId, voters: result.voters.provider + result.voters.customer })
      // VOTE-S4: the ballots go only once the result is on disk (a crash before: tallied again on load)
      const stored = await Promise.race([
        this.host.whenPersisted().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), PERSIST_WAIT_MS).unref()),
      ])
      if (stored) await this.host.forgetBallots(voteId)
    } catch (e) {
      this.host.log.warn('closing a vote failed', { board: this.host.boardId, error: (e as Error).message })
      this.closing.delete(voteId) // a later change or load tries again
    }
  }

  /** A cast was stored: refresh `voteProgress` soon (debounced). */
  castStored(): void {
    if (this.progressTimer || this.destroyed) return
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null
      void this.writeProgress()
    }, FACILITATION_WRITE_DELAY_MS)
  }

  private async writeProgress(): Promise<void> {
    const vote = this.vote
    if (!vote || vote.status !== 'open' || this.destroyed) return
    try {
      const ballots = await this.host.ballots(vote.id)
      const voters = ballots.filter((b) => ballotTotal(b.dots) > 0).length
      const now = this.vote
      if (this.destroyed || !now || now.id !== vote.id || now.status !== 'open') return
      const prev = this.session.get('voteProgress') as { voteId?: unknown; voters?: unknown } | undefined
      if (prev?.voteId === vote.id && prev.voters === voters) return
      this.host.write(() => this.session.set('voteProgress', { voteId: vote.id, voters }))
    } catch (e) {
      this.host.log.warn('vote progress failed', { board: this.host.boardId, error: (e as Error).message })
    }
  }

  /** Awareness changed: refresh `privateCounts` soon (debounced). */
  awarenessChanged(): void {
    if (this.countsTimer || this.destroyed) return
    // the usual case (no silent ideas running, nothing listed): cursor moves cost nothing here
    if (!isPrivateModeState(this.session.get('privateMode')) && !this.session.has('privateCounts')) return
    this.countsTimer = setTimeout(() => {
      this.countsTimer = null
      this.writeCounts()
    }, FACILITATION_WRITE_DELAY_MS)
  }

  /** Recomputes `privateCounts`: live states replace their person's entry; others stay. */
  private writeCounts(): void {
    if (this.destroyed) return
    const stored = this.session.get('privateCounts')
    const prev: Record<string, PrivateCount> = isPrivateCounts(stored) ? stored : {}
    // PRIV-S3: counts belong to the current round only; no round, no counts
    const mode = this.session.get('privateMode')
    const round = isPrivateModeState(mode) ? mode.round : null
    const next: Record<string, PrivateCount> = {}
    if (round) for (const [k, v] of Object.entries(prev)) if (v.round === round) next[k] = v
    const seen = new Set<string>()
    for (const state of this.awarenessStates().values()) {
      const user = (state as { user?: { id?: unknown; name?: unknown; side?: unknown; role?: unknown } } | null)?.user
      if (!user || typeof user.id !== 'string' || user.role === 'viewer' || !isSide(user.side)) continue
      const found = readPrivateNotes(state)
      const notes = found && found.round === round ? found : null
      // one person in several tabs: the largest count of the newest round wins
      if (seen.has(user.id) && (!notes || (next[user.id] && next[user.id].count >= notes.count))) continue
      seen.add(user.id)
      if (!notes || notes.count === 0) {
        delete next[user.id]
        continue
      }
      if (!next[user.id] && Object.keys(next).length >= MAX_PRIVATE_COUNT_ENTRIES) continue
      next[user.id] = { name: typeof user.name === 'string' ? user.name.slice(0, 80) : '', side: user.side, round: notes.round, count: notes.count }
    }
    if (JSON.stringify(next) === JSON.stringify(prev)) return
    this.host.write(() => {
      if (Object.keys(next).length === 0) this.session.delete('privateCounts')
      else this.session.set('privateCounts', next)
    })
  }

  destroy(): void {
    this.destroyed = true
    this.session.unobserve(this.onSessionChange)
    if (this.deadline) clearTimeout(this.deadline)
    if (this.progressTimer) clearTimeout(this.progressTimer)
    if (this.countsTimer) clearTimeout(this.countsTimer)
  }
}
