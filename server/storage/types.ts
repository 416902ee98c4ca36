/**
 * Board storage: the small interface every persistence backend implements
 * (SQLite embedded default, in-memory for tests, PostgreSQL for scale-out).
 *
 * A board is an append-only log of Yjs updates plus, after compaction, one snapshot
 * (a Yjs update encoding the whole state up to a log position). Loading a board is
 * snapshot + every update after it. One contract suite (`contract.ts`) runs against
 * every implementation.
 */
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

export interface BoardInfo {
  id: string
  createdAt: number
}

/** One update to append to one board's log. */
export interface AppendEntry {
  boardId: string
  update: Uint8Array
}

export interface BoardStorage {
  /** Human-readable name for logs ("sqlite:/path", "memory"). */
  readonly name: string
  /** Creates a board whose log starts with `initialUpdate`. Fails if the id exists. */
  createBoard(id: string, initialUpdate: Uint8Array): Promise<void>
  /** Board metadata, or null when no such board exists. */
  getBoard(id: string): Promise<BoardInfo | null>
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
