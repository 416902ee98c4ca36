import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardSummary } from '../../shared/domain/index.ts'
import { DocLayout } from '../../shared/protocol.ts'
import { initialBoardUpdate } from '../board-seed.ts'
import { MemoryStorage } from '../storage/memory.ts'
import type { RoomRegistry } from '../sync/registry.ts'
import { noteRecord } from '../test/fixtures.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStorage } from '../storage/sqlite.ts'
import { BoardSummaries, SummaryUnavailable, SummaryWorker } from './summaries.ts'

const silent = { info() {}, warn() {} }

/** BoardSummaries over an in-memory storage (in-process builds), counting storage reads. */
function setup(persistWaitMs?: number) {
  const storage = new MemoryStorage()
  let loads = 0
  let room: { versionKey: string; whenPersisted(): Promise<void> } | null = null
  const registry = { loaded: async () => room } as unknown as RoomRegistry
  const summaries = new BoardSummaries({
    registry,
    load: (id) => (loads++, storage.load(id)),
    worker: null,
    log: silent,
    persistWaitMs,
  })
  return {
    storage,
    summaries,
    loads: () => loads,
    setRoom: (r: typeof room) => (room = r),
  }
}

const parse = (body: Uint8Array | null) => JSON.parse(new TextDecoder().decode(body!)) as BoardSummary

async function addNote(storage: MemoryStorage, id: string, key: string): Promise<void> {
  const doc = new Y.Doc()
  doc.getMap(DocLayout.records).set(key, noteRecord(key, 0, 0, key))
  await storage.append([{ boardId: id, update: Y.encodeStateAsUpdate(doc) }])
}

describe('BoardSummaries', () => {
  it('SUM-SRV-2 parallel requests share one build; an unchanged stored board is not rebuilt; a change is', async () => {
    const s = setup()
    await s.storage.createBoard('board01', initialBoardUpdate([noteRecord('shape:a', 0, 0, 'first')]))
    const five = await Promise.all(Array.from({ length: 5 }, () => s.summaries.get('board01', 'en')))
    expect(s.loads()).toBe(1)
    for (const b of five) expect(b).toBe(five[0])
    expect(parse(five[0]).counts.notes).toBe(1)
    // not loaded: storage is read to see whether the log moved on, the body is the cached one
    expect(await s.summaries.get('board01', 'en')).toBe(five[0])
    await addNote(s.storage, 'board01', 'shape:b')
    const after = parse(await s.summaries.get('board01', 'en'))
    expect(after.counts.notes).toBe(2)
    expect(after.notes.map((n) => n.text).sort()).toEqual(['first', 'shape:b'])
    // another language is another summary
    expect(parse(await s.summaries.get('board01', 'fi')).language).toBe('fi')
    expect(await s.summaries.get('NoSuchBoard', 'en')).toBeNull()
  })

  it('SUM-SRV-2 a loaded board answers from the cache while its version is unchanged, after its pending updates are on disk', async () => {
    const s = setup()
    await s.storage.createBoard('board02', initialBoardUpdate([]))
    let persisted = false
    s.setRoom({
      versionKey: '1:5',
      whenPersisted: async () => {
        // the pending update reaches storage only now: the build must wait for it
        await addNote(s.storage, 'board02', 'shape:pending')
        persisted = true
      },
    })
    const first = parse(await s.summaries.get('board02', 'en'))
    expect(persisted).toBe(true)
    expect(first.counts.notes).toBe(1)
    const loads = s.loads()
    expect(parse(await s.summaries.get('board02', 'en')).generatedAt).toBe(first.generatedAt)
    expect(s.loads()).toBe(loads) // no storage read at all
    s.setRoom({ versionKey: '1:6', whenPersisted: async () => addNote(s.storage, 'board02', 'shape:next') })
    expect(parse(await s.summaries.get('board02', 'en')).counts.notes).toBe(2)
  })

  it('SUM-SRV-4 a board whose pending edits cannot reach storage answers "try again" (503) instead of hanging', async () => {
    const s = setup(50)
    await s.storage.createBoard('board03', initialBoardUpdate([]))
    s.setRoom({ versionKey: '1:1', whenPersisted: () => new Promise<void>(() => {}) }) // storage failing: never
    const started = performance.now()
    await expect(s.summaries.get('board03', 'en')).rejects.toBeInstanceOf(SummaryUnavailable)
    expect(performance.now() - started).toBeLessThan(5000)
    // once storage is back, the next request is answered
    s.setRoom({ versionKey: '1:2', whenPersisted: async () => {} })
    expect(parse(await s.summaries.get('board03', 'en')).boardId).toBe('board03')
  })

  it('SUM-SRV-4 a summary worker that died is started again after its restart delay; meanwhile summaries are built in-process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arvo-sum-'))
    const storage = new SqliteStorage(dir)
    const worker = new SummaryWorker({ kind: 'sqlite', dataDir: dir, durability: 'full' }, 100)
    try {
      await storage.createBoard('board04', initialBoardUpdate([noteRecord('shape:a', 0, 0, 'kept')]))
      const job = { boardId: 'board04', language: 'en' as const, generatedAt: new Date().toISOString(), knownSeq: -1 }
      expect((await worker.build(job))!.body).not.toBeNull()
      // the thread dies (as from a crash)
      await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
      await new Promise((r) => setTimeout(r, 20))
      expect(worker.available).toBe(false)
      await expect(worker.build(job)).rejects.toThrow(/exited/)
      const summaries = new BoardSummaries({ registry: { loaded: async () => null } as unknown as RoomRegistry, load: (id) => storage.load(id), worker, log: silent })
      expect(parse(await summaries.get('board04', 'en')).counts.notes).toBe(1) // in-process meanwhile
      await new Promise((r) => setTimeout(r, 120))
      expect(worker.available).toBe(true)
      const again = await worker.build(job)
      expect(parse(again!.body).notes.map((n) => n.text)).toEqual(['kept'])
    } finally {
      await worker.close()
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
