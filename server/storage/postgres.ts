import pg from 'pg'
import type { Ballot, SidedBallot } from '../../shared/facilitation/index.ts'
import { isSide, type Side } from '../../shared/protocol.ts'
import type { AppendEntry, BallotDecision, BoardInfo, BoardLinkState, BoardStorage, LinksChange, StoredBoard } from './types.ts'
import { applyLinksChange, defaultLinks, parseBallot, parseLinks, StorageError } from './types.ts'

/**
 * PostgreSQL storage (DATABASE_URL=postgres://…), shared by every server process.
 * Same layout as SQLite: `arvo_boards` (snapshot + log positions) and `arvo_updates`.
 * Log positions are taken under the board row's lock, so several processes can append
 * to one board concurrently and the log stays gap-free and ordered.
 */
export class PostgresStorage implements BoardStorage {
  readonly name: string
  private pool: pg.Pool
  private ready: Promise<void>

  /**
   * @param connectionString - `postgres://user@host:5432/db`; an optional `?schema=name`
   *   keeps Arvo's tables in that schema (created if missing).
   */
  constructor(connectionString: string, opts: { schema?: string; max?: number } = {}) {
    const url = new URL(connectionString)
    const schemaParam = url.searchParams.get('schema')
    if (schemaParam) {
      url.searchParams.delete('schema')
      connectionString = url.toString()
      opts = { ...opts, schema: opts.schema ?? schemaParam }
    }
    this.name = `postgres:${url.host}${url.pathname}${opts.schema ? `#${opts.schema}` : ''}`
    if (opts.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) throw new StorageError(`bad schema name ${opts.schema}`)
    this.pool = new pg.Pool({
      connectionString,
      max: opts.max ?? 4,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    })
    this.pool.on('error', () => {
      // idle client errors surface on the next query
    })
    this.ready = this.migrate(opts.schema)
  }

  private async migrate(schema?: string): Promise<void> {
    const c = await this.pool.connect()
    try {
      // Processes starting together migrate one at a time (CREATE … IF NOT EXISTS can still race).
      await c.query('SELECT pg_advisory_lock(727274)')
      try {
        if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
        await c.query(`
          CREATE TABLE IF NOT EXISTS arvo_boards (
            id TEXT PRIMARY KEY,
            created_at BIGINT NOT NULL,
            snapshot BYTEA,
            snapshot_seq BIGINT NOT NULL,
            last_seq BIGINT NOT NULL
          );
          CREATE TABLE IF NOT EXISTS arvo_updates (
            board_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            data BYTEA NOT NULL,
            PRIMARY KEY (board_id, seq)
          );
          CREATE TABLE IF NOT EXISTS arvo_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          -- invite links (server/auth), added after the first release: NULL = the defaults
          ALTER TABLE arvo_boards ADD COLUMN IF NOT EXISTS links TEXT;
          -- dot voting (VOTE-S*): ballots of open votes, and closed votes (tallied once)
          CREATE TABLE IF NOT EXISTS arvo_ballots (
            board_id TEXT NOT NULL,
            vote_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            side TEXT NOT NULL,
            dots TEXT NOT NULL,
            PRIMARY KEY (board_id, vote_id, person_id)
          );
          CREATE TABLE IF NOT EXISTS arvo_closed_votes (
            board_id TEXT NOT NULL,
            vote_id TEXT NOT NULL,
            closed_at BIGINT NOT NULL,
            PRIMARY KEY (board_id, vote_id)
          );`)
      } finally {
        await c.query('SELECT pg_advisory_unlock(727274)')
      }
    } finally {
      c.release()
    }
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready
    const c = await this.pool.connect()
    try {
      await c.query('BEGIN')
      const result = await fn(c)
      await c.query('COMMIT')
      return result
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {})
      throw e
    } finally {
      c.release()
    }
  }

  async createBoard(id: string, initialUpdate: Uint8Array, links: BoardLinkState = defaultLinks()): Promise<void> {
    await this.tx(async (c) => {
      const r = await c.query(
        'INSERT INTO arvo_boards (id, created_at, snapshot, snapshot_seq, last_seq, links) VALUES ($1, $2, NULL, 0, 1, $3) ON CONFLICT (id) DO NOTHING',
        [id, Date.now(), JSON.stringify(links)],
      )
      if (r.rowCount === 0) throw new StorageError(`board ${id} already exists`)
      await c.query('INSERT INTO arvo_updates (board_id, seq, data) VALUES ($1, 1, $2)', [id, Buffer.from(initialUpdate)])
    })
  }

  async getBoard(id: string): Promise<BoardInfo | null> {
    await this.ready
    const r = await this.pool.query('SELECT id, created_at, links FROM arvo_boards WHERE id = $1', [id])
    const row = r.rows[0] as { id: string; created_at: string; links: string | null } | undefined
    return row ? { id: row.id, createdAt: Number(row.created_at), links: parseLinks(row.links) } : null
  }

  async updateLinks(id: string, change: LinksChange): Promise<BoardLinkState | null> {
    return this.tx(async (c) => {
      // the row lock orders concurrent rotations (of several processes): each one counts
      const r = await c.query('SELECT links FROM arvo_boards WHERE id = $1 FOR UPDATE', [id])
      if (!r.rows[0]) return null
      const links = applyLinksChange(parseLinks(r.rows[0].links as string | null), change)
      await c.query('UPDATE arvo_boards SET links = $2 WHERE id = $1', [id, JSON.stringify(links)])
      return links
    })
  }

  async load(id: string): Promise<StoredBoard | null> {
    return this.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
      const b = await c.query('SELECT snapshot, snapshot_seq, last_seq FROM arvo_boards WHERE id = $1', [id])
      if (!b.rows[0]) return null
      const row = b.rows[0] as { snapshot: Buffer | null; snapshot_seq: string; last_seq: string }
      const u = await c.query('SELECT data FROM arvo_updates WHERE board_id = $1 AND seq > $2 ORDER BY seq', [
        id,
        row.snapshot_seq,
      ])
      return {
        snapshot: row.snapshot ? new Uint8Array(row.snapshot) : null,
        snapshotSeq: Number(row.snapshot_seq),
        updates: u.rows.map((r: { data: Buffer }) => new Uint8Array(r.data)),
        lastSeq: Number(row.last_seq),
      }
    })
  }

  async append(entries: AppendEntry[]): Promise<number[]> {
    if (entries.length === 0) return []
    if (entries.every((e) => e.boardId === entries[0].boardId)) return this.appendOneBoard(entries[0].boardId, entries)
    return this.tx(async (c) => {
      // Lock boards in a fixed order so concurrent multi-board appends cannot deadlock.
      const counts = new Map<string, number>()
      for (const e of entries) counts.set(e.boardId, (counts.get(e.boardId) ?? 0) + 1)
      const next = new Map<string, number>()
      for (const id of [...counts.keys()].sort()) {
        const r = await c.query('UPDATE arvo_boards SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq', [
          id,
          counts.get(id),
        ])
        if (!r.rows[0]) throw new StorageError(`board ${id} does not exist`)
        next.set(id, Number(r.rows[0].last_seq) - counts.get(id)! + 1)
      }
      const seqs: number[] = []
      const values: unknown[] = []
      const rows: string[] = []
      for (const e of entries) {
        const seq = next.get(e.boardId)!
        next.set(e.boardId, seq + 1)
        seqs.push(seq)
        values.push(e.boardId, seq, Buffer.from(e.update))
        rows.push(`($${values.length - 2}, $${values.length - 1}, $${values.length})`)
      }
      await c.query(`INSERT INTO arvo_updates (board_id, seq, data) VALUES ${rows.join(', ')}`, values)
      return seqs
    })
  }

  /**
   * The usual flush (one board): one statement, so one round trip and PostgreSQL's implicit
   * transaction instead of BEGIN / UPDATE / INSERT / COMMIT. Nothing is written when the
   * board does not exist.
   */
  private async appendOneBoard(id: string, entries: AppendEntry[]): Promise<number[]> {
    const r = await this.pool.query(
      `WITH b AS (UPDATE arvo_boards SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq - $2 AS base)
       INSERT INTO arvo_updates (board_id, seq, data)
       SELECT $1, b.base + v.ord, v.data FROM b, unnest($3::bytea[]) WITH ORDINALITY AS v(data, ord)
       RETURNING seq`,
      [id, entries.length, entries.map((e) => Buffer.from(e.update))],
    )
    if (r.rows.length !== entries.length) throw new StorageError(`board ${id} does not exist`)
    return r.rows.map((row: { seq: string | number }) => Number(row.seq)).sort((a, b) => a - b)
  }

  async compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    await this.tx(async (c) => {
      const b = await c.query('SELECT snapshot_seq, last_seq FROM arvo_boards WHERE id = $1 FOR UPDATE', [id])
      if (!b.rows[0]) throw new StorageError(`board ${id} does not exist`)
      const snapshotSeq = Number(b.rows[0].snapshot_seq)
      const lastSeq = Number(b.rows[0].last_seq)
      if (uptoSeq < snapshotSeq || uptoSeq > lastSeq) {
        throw new StorageError(`compact of ${id} up to ${uptoSeq} is outside its log`)
      }
      await c.query('UPDATE arvo_boards SET snapshot = $2, snapshot_seq = $3 WHERE id = $1', [id, Buffer.from(snapshot), uptoSeq])
      await c.query('DELETE FROM arvo_updates WHERE board_id = $1 AND seq <= $2', [id, uptoSeq])
    })
  }

  /**
   * Casts hold the vote's advisory lock shared and the voter's exclusively; closing holds the
   * vote's exclusively: a cast is either counted by the close or refused as closed, never lost,
   * and one person's casts (of any process) run one after the other.
   */
  async castBallot(boardId: string, voteId: string, personId: string, side: Side, decide: (current: Ballot) => BallotDecision): Promise<BallotDecision> {
    return this.tx(async (c) => {
      const voteKey = `${boardId}/${voteId}`
      await c.query('SELECT pg_advisory_xact_lock_shared(hashtext($1), 0)', [voteKey])
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2) | 1)', [voteKey, personId])
      const closed = await c.query('SELECT 1 FROM arvo_closed_votes WHERE board_id = $1 AND vote_id = $2', [boardId, voteId])
      if (closed.rows.length > 0) return { refuse: 'closed' }
      const r = await c.query('SELECT dots FROM arvo_ballots WHERE board_id = $1 AND vote_id = $2 AND person_id = $3', [boardId, voteId, personId])
      const decision = decide(parseBallot((r.rows[0] as { dots: string } | undefined)?.dots))
      if ('dots' in decision) {
        await c.query(
          `INSERT INTO arvo_ballots (board_id, vote_id, person_id, side, dots) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (board_id, vote_id, person_id) DO UPDATE SET side = excluded.side, dots = excluded.dots`,
          [boardId, voteId, personId, side, JSON.stringify(decision.dots)],
        )
      }
      return decision
    })
  }

  private static sided(rows: { person_id: string; side: string; dots: string }[]): SidedBallot[] {
    return rows.flatMap((r) => (isSide(r.side) ? [{ personId: r.person_id, side: r.side, dots: parseBallot(r.dots) }] : []))
  }

  async ballots(boardId: string, voteId: string): Promise<SidedBallot[]> {
    await this.ready
    const r = await this.pool.query('SELECT person_id, side, dots FROM arvo_ballots WHERE board_id = $1 AND vote_id = $2', [boardId, voteId])
    return PostgresStorage.sided(r.rows)
  }

  async closeVote(boardId: string, voteId: string): Promise<SidedBallot[]> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1), 0)', [`${boardId}/${voteId}`])
      await c.query('INSERT INTO arvo_closed_votes (board_id, vote_id, closed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [boardId, voteId, Date.now()])
      const r = await c.query('SELECT person_id, side, dots FROM arvo_ballots WHERE board_id = $1 AND vote_id = $2', [boardId, voteId])
      return PostgresStorage.sided(r.rows)
    })
  }

  async forgetBallots(boardId: string, voteId: string): Promise<void> {
    await this.ready
    await this.pool.query('DELETE FROM arvo_ballots WHERE board_id = $1 AND vote_id = $2', [boardId, voteId])
  }

  async serverSecret(candidate: string): Promise<string> {
    if (!candidate) throw new StorageError('server secret must not be empty')
    await this.ready
    // One statement: whichever process inserts first, every process reads that value.
    await this.pool.query('INSERT INTO arvo_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', ['secret', candidate])
    const r = await this.pool.query('SELECT value FROM arvo_settings WHERE key = $1', ['secret'])
    return r.rows[0].value as string
  }

  async logLength(id: string): Promise<number> {
    await this.ready
    const r = await this.pool.query('SELECT count(*)::int AS n FROM arvo_updates WHERE board_id = $1', [id])
    return r.rows[0].n as number
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {})
    await this.pool.end()
  }

  /** Drops a schema (tests). */
  static async dropSchema(connectionString: string, schema: string): Promise<void> {
    const c = new pg.Client({ connectionString })
    await c.connect()
    try {
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    } finally {
      await c.end()
    }
  }
}
