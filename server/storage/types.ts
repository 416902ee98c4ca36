/**
 * Board storage: the small interface every persistence backend implements
 * (SQLite embedded default, in-memory for tests, PostgreSQL for scale-out).
 *
 * A board is an append-only log of Yjs updates plus, after compaction, one snapshot
 * (a Yjs update encoding the whole state up to a log position). Loading a board is
 * snapshot + every update after it. One contract suite (`contract.ts`) runs against
 * every implementation.
 */
import { LINK_ROLES, type LinkRole, type Side } from '../../shared/protocol.ts'
import type { Ballot, SidedBallot } from '../../shared/facilitation/index.ts'

export interface StoredBoard {
  /** Encoded Yjs state up to `snapshotSeq`, or null before the first compaction. */
  snapshot: Uint8Array | null
  /** Log position the snapshot covers (0 when there is none). */
  snapshotSeq: number
  /** Updates after the snapshot, in log order. */
  updates: Uint8Array[]
  /** Log position of the last update (equals snapshotSeq when `updates` is empty). */
  lastSeq: number
}

/** One invite link's state: its current generation (tokens of other generations are refused) and expiry. */
export interface LinkState {
  gen: number
  /** Unix ms after which the link's tokens are refused, or null: never. */
  expiresAt: number | null
}

/** The state of a board's four invite links (server/auth/tokens.ts). */
export type BoardLinkState = Record<LinkRole, LinkState>

/** A board's links before anyone rotated or limited them: generation 0, no expiry. */
export function defaultLinks(): BoardLinkState {
  return {
    facilitator: { gen: 0, expiresAt: null },
    provider: { gen: 0, expiresAt: null },
    customer: { gen: 0, expiresAt: null },
    viewer: { gen: 0, expiresAt: null },
  }
}

/** A change to a board's links: bump the generation of `rotate`, set the expiries in `expiresAt`. */
export interface LinksChange {
  rotate?: readonly LinkRole[]
  expiresAt?: Partial<Record<LinkRole, number | null>>
}

/** `links` with `change` applied (a new object). */
export function applyLinksChange(links: BoardLinkState, change: LinksChange): BoardLinkState {
  const out = structuredClone(links)
  for (const l of new Set(change.rotate ?? [])) out[l].gen++
  for (const l of LINK_ROLES) {
    const e = change.expiresAt?.[l]
    if (e !== undefined) out[l].expiresAt = e
  }
  return out
}

/**
 * Reads stored link state (a JSON text, null in rows written before links existed): missing or
 * ill-formed parts get the defaults.
 */
export function parseLinks(raw: string | null | undefined): BoardLinkState {
  const links = defaultLinks()
  if (!raw) return links
  let v: unknown
  try {
    v = JSON.parse(raw)
  } catch {
    return links
  }
  for (const l of LINK_ROLES) {
    const s = (v as Record<string, Partial<LinkState>> | null)?.[l]
    if (s && Number.isSafeInteger(s.gen) && s.gen! >= 0) links[l].gen = s.gen!
    if (s && typeof s.expiresAt === 'number' && Number.isFinite(s.expiresAt)) links[l].expiresAt = s.expiresAt
  }
  return links
}

export interface BoardInfo {
  id: string
  createdAt: number
  /** Generation and expiry of each invite link. */
  links: BoardLinkState
}

/**
 * What a cast makes of a voter's current ballot (`castBallot`): the new ballot, or a refusal
 * (a `CastRefusal` of shared/facilitation; the storage adds `closed` itself once a vote is closed).
 */
export type BallotDecision = { dots: Ballot } | { refuse: string }

/** Parses a stored ballot (JSON text): only note ids with positive whole counts survive. */
export function parseBallot(raw: string | null | undefined): Ballot {
  const out: Ballot = {}
  if (!raw) return out
  try {
    const v = JSON.parse(raw) as Record<string, unknown>
    if (v && typeof v === 'object') {
      for (const [k, n] of Object.entries(v)) if (Number.isSafeInteger(n) && (n as number) > 0) out[k] = n as number
    }
  } catch {
    // an unreadable ballot counts as empty
  }
  return out
}

/** One update to append to one board's log. */
export interface AppendEntry {
  boardId: string
  update: Uint8Array
}

export interface BoardStorage {
  /** Human-readable name for logs ("sqlite:/path", "memory"). */
  readonly name: string
  /**
   * Creates a board whose log starts with `initialUpdate`, with `links` (default: every link
   * at generation 0, no expiry). Fails if the id exists.
   */
  createBoard(id: string, initialUpdate: Uint8Array, links?: BoardLinkState): Promise<void>
  /** Board metadata, or null when no such board exists. */
  getBoard(id: string): Promise<BoardInfo | null>
  /**
   * Applies `change` to a board's links atomically (two processes rotating at once both count)
   * and returns the new state; null when no such board exists.
   */
  updateLinks(id: string, change: LinksChange): Promise<BoardLinkState | null>
  /** Snapshot + log of a board, or null when no such board exists. */
  load(id: string): Promise<StoredBoard | null>
  /**
   * Appends updates (possibly for several boards) durably, in one commit: when the
   * promise resolves, every entry is on disk. Returns the new log position of each entry.
   */
  append(entries: AppendEntry[]): Promise<number[]>
  /**
   * Replaces the log up to and including `uptoSeq` with `snapshot` (which must encode
   * at least everything up to that position). Updates after `uptoSeq` are kept.
   */
  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
  /**
   * The server secret (signs owner keys): the stored one, or `candidate` stored now when there
   * is none yet. The first stored value wins for good, so every process sharing this storage
   * gets the same secret.
   */
  serverSecret(candidate: string): Promise<string>
  /**
   * Dot voting (VOTE-S*): changes one voter's ballot of one vote atomically — `decide` sees the
   * stored ballot (empty at first) and answers the new one or a refusal; concurrent casts of one
   * person (also from several processes) are serialised. Once the vote is closed
   * (`closeVote`) every cast answers `{ refuse: 'closed' }` without calling `decide`.
   */
  castBallot(
    boardId: string,
    voteId: string,
    personId: string,
    side: Side,
    decide: (current: Ballot) => BallotDecision,
  ): Promise<BallotDecision>
  /** Every stored ballot of an open vote (the server's own use: voter counts). */
  ballots(boardId: string, voteId: string): Promise<SidedBallot[]>
  /**
   * Closes a vote for good (later casts answer `closed`) and answers its ballots — the same to
   * every caller of any process, until `forgetBallots`: a tally lost with a dying process is
   * made again from the same ballots.
   */
  closeVote(boardId: string, voteId: string): Promise<SidedBallot[]>
  /** Deletes a closed vote's ballots (once its result is stored in the board). */
  forgetBallots(boardId: string, voteId: string): Promise<void>
  /** Number of log entries after the snapshot (drives periodic compaction). */
  logLength(id: string): Promise<number>
  /** Releases connections/handles. */
  close(): Promise<void>
}

/** Raised for storage misuse that callers can report (duplicate id, bad arguments). */
export class StorageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StorageError'
  }
}
