// SQLite specifics beyond the storage contract: the schema migration and what an append writes.
import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SqliteStorage } from './sqlite.ts'
import { defaultLinks } from './types.ts'

const root = mkdtempSync(join(tmpdir(), 'arvo-sqlite-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)

describe('SqliteStorage', () => {
  it('STO-S1 opens a schema-2 file (snapshot in boards) and keeps its snapshot and log', async () => {
    const dir = join(root, 'v2')
    mkdirSync(dir)
    const old = new Database(join(dir, 'arvo.sqlite'))
    old.exec(`
      CREATE TABLE boards (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, snapshot BLOB,
        snapshot_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL);
      CREATE TABLE updates (board_id TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (board_id, seq)) WITHOUT ROWID;
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      PRAGMA user_version = 2;
    `)
    const snap = bytes(5000, 1)
    old.prepare('INSERT INTO boards VALUES (?, ?, ?, ?, ?)').run('a', 123, Buffer.from(snap), 2, 3)
    old.prepare('INSERT INTO boards VALUES (?, ?, NULL, 0, 1)').run('b', 456)
    old.prepare('INSERT INTO updates VALUES (?, ?, ?)').run('a', 3, Buffer.from([7, 7]))
    old.prepare('INSERT INTO updates VALUES (?, ?, ?)').run('b', 1, Buffer.from([8]))
    old.close()

    const s = new SqliteStorage(dir)
    const a = await s.load('a')
    expect(a?.snapshot && Buffer.from(a.snapshot).equals(Buffer.from(snap))).toBe(true)
    expect(a?.snapshotSeq).toBe(2)
    expect(a?.updates.map((u) => [...u])).toEqual([[7, 7]])
    const b = await s.load('b')
    expect(b?.snapshot).toBeNull()
    expect(b?.updates.map((u) => [...u])).toEqual([[8]])
    expect(await s.getBoard('b')).toEqual({ id: 'b', createdAt: 456, links: defaultLinks() })
    expect(await s.append([{ boardId: 'a', update: Uint8Array.of(9) }])).toEqual([4])
    await s.close()
    const again = new SqliteStorage(dir) // version 4 now: opens without migrating again
    expect((await again.load('a'))?.updates.length).toBe(2)
    await again.close()
  })

  it('STO-S3 opens a schema-3 file (no links column): its boards get default links, which can then change', async () => {
    const dir = join(root, 'v3')
    mkdirSync(dir)
    const old = new Database(join(dir, 'arvo.sqlite'))
    old.exec(`
      CREATE TABLE boards (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL,
        snapshot_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL);
      CREATE TABLE updates (board_id TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (board_id, seq)) WITHOUT ROWID;
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE snapshots (board_id TEXT PRIMARY KEY, data BLOB NOT NULL);
      PRAGMA user_version = 3;
    `)
    old.prepare('INSERT INTO boards VALUES (?, ?, 0, 1)').run('old-board', 789)
    old.prepare('INSERT INTO updates VALUES (?, ?, ?)').run('old-board', 1, Buffer.from([1]))
    old.close()
    const s = new SqliteStorage(dir)
    expect(await s.getBoard('old-board')).toEqual({ id: 'old-board', createdAt: 789, links: defaultLinks() })
    const links = await s.updateLinks('old-board', { rotate: ['viewer'] })
    expect(links?.viewer).toEqual({ gen: 1, expiresAt: null })
    // schema 5: ballots (VOTE-S*) work on a migrated file
    expect(await s.castBallot('old-board', 'v', 'p', 'customer', () => ({ dots: { n: 1 } }))).toEqual({ dots: { n: 1 } })
    await s.close()
    const check = new Database(join(dir, 'arvo.sqlite'))
    expect(check.pragma('user_version', { simple: true })).toBe(5)
    expect(check.prepare('SELECT count(*) AS n FROM ballots').get()).toEqual({ n: 1 })
    expect(JSON.parse((check.prepare('SELECT links FROM boards').get() as { links: string }).links).viewer).toEqual({ gen: 1, expiresAt: null })
    check.close()
  })

  it('STO-S2 an append writes its update, not the board snapshot, to the WAL', async () => {
    const dir = join(root, 'wal')
    const s = new SqliteStorage(dir)
    s.setAutoCheckpoint(false)
    await s.createBoard('big', Uint8Array.of(0))
    await s.compact('big', bytes(8 * 1024 * 1024, 2), 1)
    const side = new Database(join(dir, 'arvo.sqlite'))
    side.pragma('wal_checkpoint(TRUNCATE)') // an empty WAL: what follows is what the appends wrote
    side.close()
    const wal = join(dir, 'arvo.sqlite-wal')
    expect(statSync(wal).size).toBe(0)
    // 200 appends: last_seq's record size changes at 128, where SQLite rewrites a whole row
    for (let i = 0; i < 200; i++) await s.append([{ boardId: 'big', update: bytes(300, i) }])
    // a few 4 KB pages per commit (~2.3 MB); with the snapshot in the updated row its 8 MB
    // went into the WAL at least twice (and each append read them to compare)
    expect(statSync(wal).size).toBeLessThan(4 * 1024 * 1024)
    expect((await s.load('big'))?.updates.length).toBe(200)
    await s.close()
  })
})
