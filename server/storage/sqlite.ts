import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Ballot, SidedBallot } from '../../shared/facilitation/index.ts'
import { isSide, type Side } from '../../shared/protocol.ts'
import type { AppendEntry, BallotDecision, BoardInfo, BoardLinkState, BoardStorage, LinksChange, StoredBoard } from './types.ts'
import { applyLinksChange, defaultLinks, parseBallot, parseLinks, StorageError } from './types.ts'

const SCHEMA_VERSION = 5

/** `full`: fsync on every commit (power-loss safe). `normal`: fsync at WAL checkpoints (crash safe). */
export type Durability = 'full' | 'normal'

/**
 * The embedded default: one SQLite file `arvo.sqlite` in DATA_DIR, WAL mode.
 * Each board is a row in `boards` (its log positions), its compacted snapshot in `snapshots`
 * and its log in `updates`. The snapshot has a table of its own because SQLite rewrites a
 * whole row on UPDATE, overflow pages included: with the snapshot in `boards`, every append
 * (which bumps `last_seq`) copied the board's whole snapshot into the WAL.
 * better-sqlite3 is synchronous: a commit (and its fsync) happens inside `append`, so the
 * promise resolves only once the entries are on disk.
 */
export class SqliteStorage implements BoardStorage {
  readonly name: string
  private db: Database.Database
  private stmts

  constructor(dataDir: string, durability: Durability = 'full') {
    mkdirSync(dataDir, { recursive: true })
    const file = join(resolve(dataDir), 'arvo.sqlite')
    this.name = `sqlite:${file}`
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
    this.db.pragma('busy_timeout = 5000')
    this.migrate()
    this.stmts = {
      insertBoard: this.db.prepare(
        'INSERT INTO boards (id, created_at, snapshot_seq, last_seq, links) VALUES (?, ?, 0, 1, ?)',
      ),
      insertUpdate: this.db.prepare('INSERT INTO updates (board_id, seq, data) VALUES (?, ?, ?)'),
      getBoard: this.db.prepare('SELECT id, created_at, snapshot_seq, last_seq, links FROM boards WHERE id = ?'),
      setLinks: this.db.prepare('UPDATE boards SET links = ? WHERE id = ?'),
      getSnapshot: this.db.prepare('SELECT data FROM snapshots WHERE board_id = ?'),
      bumpSeq: this.db.prepare('UPDATE boards SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq'),
      updatesAfter: this.db.prepare('SELECT data FROM updates WHERE board_id = ? AND seq > ? ORDER BY seq'),
      setSnapshot: this.db.prepare(
        'INSERT INTO snapshots (board_id, data) VALUES (?, ?) ON CONFLICT (board_id) DO UPDATE SET data = excluded.data',
      ),
      setSnapshotSeq: this.db.prepare('UPDATE boards SET snapshot_seq = ? WHERE id = ?'),
      deleteUpto: this.db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
      logLength: this.db.prepare('SELECT count(*) AS n FROM updates WHERE board_id = ?'),
      insertSetting: this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      getSetting: this.db.prepare('SELECT value FROM settings WHERE key = ?'),
      isClosed: this.db.prepare('SELECT 1 FROM closed_votes WHERE board_id = ? AND vote_id = ?'),
      markClosed: this.db.prepare('INSERT INTO closed_votes (board_id, vote_id, closed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      getBallot: this.db.prepare('SELECT dots FROM ballots WHERE board_id = ? AND vote_id = ? AND person_id = ?'),
      putBallot: this.db.prepare(
        'INSERT INTO ballots (board_id, vote_id, person_id, side, dots) VALUES (?, ?, ?, ?, ?) ON CONFLICT (board_id, vote_id, person_id) DO UPDATE SET side = excluded.side, dots = excluded.dots',
      ),
      listBallots: this.db.prepare('SELECT person_id, side, dots FROM ballots WHERE board_id = ? AND vote_id = ?'),
      deleteBallots: this.db.prepare('DELETE FROM ballots WHERE board_id = ? AND vote_id = ?'),
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) {
      throw new StorageError(
        `${this.name} was written by a newer Arvo (storage schema ${version}, this build knows ${SCHEMA_VERSION})`,
      )
    }
    if (version < 1) {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS boards (
          id TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL,
          snapshot BLOB,
          snapshot_seq INTEGER NOT NULL,
          last_seq INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS updates (
          board_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (board_id, seq)
        ) WITHOUT ROWID;
        PRAGMA user_version = 1;
      `)
    }
    if (version < 2) {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        PRAGMA user_version = 2;
      `)
    }
    if (version < 3) {
      // snapshots move out of `boards` (see the class comment); one transaction
      this.db.transaction(() => {
        this.db.exec(`
          CREATE TABLE snapshots (board_id TEXT PRIMARY KEY, data BLOB NOT NULL);
          INSERT INTO snapshots (board_id, data) SELECT id, snapshot FROM boards WHERE snapshot IS NOT NULL;
          ALTER TABLE boards DROP COLUMN snapshot;
          PRAGMA user_version = 3;
        `)
      })()
    }
    if (version < 4) {
      // invite links (server/auth): one JSON text per board, NULL = the defaults (generation 0,
      // no expiry), so boards created before links keep working through their owner key
      this.db.transaction(() => {
        const cols = this.db.prepare('SELECT name FROM pragma_table_info(?)').all('boards') as { name: string }[]
        if (!cols.some((c) => c.name === 'links')) this.db.exec('ALTER TABLE boards ADD COLUMN links TEXT')
        this.db.pragma('user_version = 4')
      })()
    }
    if (version < 5) {
      // dot voting (VOTE-S*): ballots of open votes (JSON note id -> dots), and closed votes (a
      // closed vote takes no cast and is tallied once)
      this.db.transaction(() => {
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS ballots (
            board_id TEXT NOT NULL,
            vote_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            side TEXT NOT NULL,
            dots TEXT NOT NULL,
            PRIMARY KEY (board_id, vote_id, person_id)
          ) WITHOUT ROWID;
          CREATE TABLE IF NOT EXISTS closed_votes (
            board_id TEXT NOT NULL,
            vote_id TEXT NOT NULL,
            closed_at INTEGER NOT NULL,
            PRIMARY KEY (board_id, vote_id)
          ) WITHOUT ROWID;
        `)
        this.db.pragma('user_version = 5')
      })()
    }
  }

  async castBallot(boardId: string, voteId: string, personId: string, side: Side, decide: (current: Ballot) => BallotDecision): Promise<BallotDecision> {
    return this.db
      .transaction((): BallotDecision => {
        if (this.stmts.isClosed.get(boardId, voteId)) return { refuse: 'closed' }
        const row = this.stmts.getBallot.get(boardId, voteId, personId) as { dots: string } | undefined
        const decision = decide(parseBallot(row?.dots))
        if ('dots' in decision) this.stmts.putBallot.run(boardId, voteId, personId, side, JSON.stringify(decision.dots))
        return decision
      })
      .immediate()
  }

  private readBallots(boardId: string, voteId: string): SidedBallot[] {
    const rows = this.stmts.listBallots.all(boardId, voteId) as { person_id: string; side: string; dots: string }[]
    return rows.flatMap((r) => (isSide(r.side) ? [{ personId: r.person_id, side: r.side, dots: parseBallot(r.dots) }] : []))
  }

  async ballots(boardId: string, voteId: string): Promise<SidedBallot[]> {
    return this.readBallots(boardId, voteId)
  }

  async closeVote(boardId: string, voteId: string): Promise<SidedBallot[]> {
    return this.db
      .transaction((): SidedBallot[] => {
        this.stmts.markClosed.run(boardId, voteId, Date.now())
        return this.readBallots(boardId, voteId)
      })
      .immediate()
  }

  async forgetBallots(boardId: string, voteId: string): Promise<void> {
    this.stmts.deleteBallots.run(boardId, voteId)
  }

  async createBoard(id: string, initialUpdate: Uint8Array, links: BoardLinkState = defaultLinks()): Promise<void> {
    const tx = this.db.transaction(() => {
      if (this.stmts.getBoard.get(id)) throw new StorageError(`board ${id} already exists`)
      this.stmts.insertBoard.run(id, Date.now(), JSON.stringify(links))
      this.stmts.insertUpdate.run(id, 1, initialUpdate)
    })
    tx.immediate() // reads, then writes: see compact()
  }

  async getBoard(id: string): Promise<BoardInfo | null> {
    const row = this.stmts.getBoard.get(id) as { id: string; created_at: number; links: string | null } | undefined
    return row ? { id: row.id, createdAt: row.created_at, links: parseLinks(row.links) } : null
  }

  async updateLinks(id: string, change: LinksChange): Promise<BoardLinkState | null> {
    return this.db
      .transaction(() => {
        const row = this.stmts.getBoard.get(id) as { links: string | null } | undefined
        if (!row) return null
        const links = applyLinksChange(parseLinks(row.links), change)
        this.stmts.setLinks.run(JSON.stringify(links), id)
        return links
      })
      .immediate() // read-modify-write: take the write lock first (see compact())
  }

  async load(id: string): Promise<StoredBoard | null> {
    const read = this.db.transaction(() => {
      const row = this.stmts.getBoard.get(id) as { snapshot_seq: number; last_seq: number } | undefined
      if (!row) return null
      const snap = this.stmts.getSnapshot.get(id) as { data: Buffer } | undefined
      const updates = (this.stmts.updatesAfter.all(id, row.snapshot_seq) as { data: Buffer }[]).map(
        (r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength),
      )
      return {
        snapshot: snap ? new Uint8Array(snap.data.buffer, snap.data.byteOffset, snap.data.byteLength) : null,
        snapshotSeq: row.snapshot_seq,
        updates,
        lastSeq: row.last_seq,
      }
    })
    return read()
  }

  private appendTx = (entries: AppendEntry[]): number[] => {
    const seqs: number[] = []
    for (const e of entries) {
      const row = this.stmts.bumpSeq.get(e.boardId) as { last_seq: number } | undefined
      if (!row) throw new StorageError(`board ${e.boardId} does not exist`)
      this.stmts.insertUpdate.run(e.boardId, row.last_seq, e.update)
      seqs.push(row.last_seq)
    }
    return seqs
  }

  async append(entries: AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return []
    return this.db.transaction(this.appendTx)(entries)
  }

  /**
   * Whether commits on this connection run WAL checkpoints themselves (SQLite's default:
   * the commit that takes the WAL past 1000 pages copies it into the database and fsyncs,
   * tens of ms on the committing thread). The server turns it off while its compaction
   * worker checkpoints from its own thread (`checkpoint()`), and back on if the worker dies.
   */
  setAutoCheckpoint(on: boolean): void {
    this.db.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`)
  }

  /** The WAL size (pages) at which a commit checkpoints; 0 = never (see setAutoCheckpoint). */
  autoCheckpointPages(): number {
    return this.db.pragma('wal_autocheckpoint', { simple: true }) as number
  }

  /** Copies the WAL into the database as far as no reader needs it (never blocks writers). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)')
  }

  async compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.db.transaction(() => {
      const row = this.stmts.getBoard.get(id) as { snapshot_seq: number; last_seq: number } | undefined
      if (!row) throw new StorageError(`board ${id} does not exist`)
      if (uptoSeq < row.snapshot_seq || uptoSeq > row.last_seq) {
        throw new StorageError(`compact of ${id} up to ${uptoSeq} is outside its log`)
      }
      this.stmts.setSnapshot.run(id, snapshot)
      this.stmts.setSnapshotSeq.run(uptoSeq, id)
      this.stmts.deleteUpto.run(id, uptoSeq)
      // IMMEDIATE: take the write lock before the first read. A deferred transaction that
      // reads, then writes after another connection appended fails at once with
      // "database is locked" (SQLITE_BUSY_SNAPSHOT) instead of waiting (busy_timeout).
    }).immediate()
  }

  async serverSecret(candidate: string): Promise<string> {
    if (!candidate) throw new StorageError('server secret must not be empty')
    return this.db.transaction(() => {
      this.stmts.insertSetting.run('secret', candidate)
      return (this.stmts.getSetting.get('secret') as { value: string }).value
    })()
  }

  async logLength(id: string): Promise<number> {
    return (this.stmts.logLength.get(id) as { n: number }).n
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}
