/**
 * `summary.json` without stalling the server (rules SUM-SRV-1..3, server/SPEC.md).
 *
 * A 50,000-note board's summary is ~12 MB of JSON and took 3.3 s on the event loop, during
 * which no board relayed anything. Here it is built once per board version and language
 * (parallel requests share one build), in a worker thread that reads the board from storage
 * like the compactor does, after the room's pending updates are on disk. Without a worker
 * (in-memory storage, or the worker died) it is built in-process, still once per version.
 */
import { readSession, withSession } from '../../shared/facilitation/index.ts'
import { Worker } from 'node:worker_threads'
import { boardSummary } from '../../shared/domain/index.ts'
import type { Language } from '../../shared/i18n/index.ts'
import { DocLayout, editCountsFromMeta } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { StorageLocation } from '../storage/compactor.ts'
import { replayStored } from '../storage/replay.ts'
import type { StoredBoard } from '../storage/types.ts'
import type { RoomRegistry } from '../sync/registry.ts'

/** Cached summaries are dropped, oldest first, beyond this many bytes in all. */
export const SUMMARY_CACHE_BYTES = 64 * 1024 * 1024
/** How long a summary waits for the board's pending edits to reach storage (SUM-SRV-4). */
export const SUMMARY_PERSIST_WAIT_MS = 10_000
/** A summary worker that died is started again on the next request after this long (SUM-SRV-4). */
export const SUMMARY_WORKER_RESTART_MS = 5_000

/** The board's latest edits are not on disk yet (storage failing): answered 503, try again. */
export class SummaryUnavailable extends Error {}

/** The summary of a stored board as UTF-8 JSON (the body of summary.json). */
export function summaryBody(stored: StoredBoard, opts: { boardId: string; language: Language; generatedAt: string }): Uint8Array {
  const doc = replayStored(stored)
  try {
    const records = [...doc.getMap(DocLayout.records).values()]
    const edits = editCountsFromMeta(doc.getMap(DocLayout.meta).entries())
    const session = doc.getMap<unknown>(DocLayout.session)
    const summary = withSession(boardSummary(records, { ...opts, edits }), readSession((k) => session.get(k)))
    return new TextEncoder().encode(JSON.stringify(summary))
  } finally {
    doc.destroy()
  }
}

/** What building a summary answered: the log position it covers and the body (null: unchanged since `knownSeq`). */
interface Built {
  seq: number
  body: Uint8Array | null
}

interface Job {
  boardId: string
  language: Language
  generatedAt: string
  /** The log position of the cached summary: when storage is still there, the body is not rebuilt. */
  knownSeq: number
}

/** Builds summaries in a worker thread that reads boards from storage (its own connection); started on first use. */
export class SummaryWorker {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<number, { resolve(b: Built | null): void; reject(e: Error): void }>()
  /** Why the worker died, and when; it is started again SUMMARY_WORKER_RESTART_MS later. */
  private dead: { error: Error; at: number } | null = null
  private closed = false

  constructor(
    private readonly location: StorageLocation,
    private readonly restartMs = SUMMARY_WORKER_RESTART_MS,
  ) {}

  /** False while the worker is closed, or died less than the restart delay ago (builds go in-process then). */
  get available(): boolean {
    if (this.closed) return false
    return !this.dead || performance.now() - this.dead.at >= this.restartMs
  }

  private start(): Worker {
    const worker = new Worker(new URL('./summaryWorker.mjs', import.meta.url), { workerData: this.location })
    worker.unref()
    worker.on('message', (m: { id: number; seq?: number; body?: Uint8Array; missing?: boolean; error?: string }) => {
      const w = this.waiting.get(m.id)
      if (!w) return
      this.waiting.delete(m.id)
      if (m.error) w.reject(new Error(m.error))
      else if (m.missing) w.resolve(null)
      else w.resolve({ seq: m.seq ?? 0, body: m.body ?? null })
    })
    const fail = (e: Error): void => {
      if (this.worker !== worker) return
      this.worker = null
      this.dead = { error: e, at: performance.now() }
      void worker.terminate()
      for (const w of this.waiting.values()) w.reject(e)
      this.waiting.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`summary worker exited with ${code}`)))
    return worker
  }

  /** Builds (or confirms unchanged since `job.knownSeq`) one board's summary; null for an unknown board. */
  build(job: Job): Promise<Built | null> {
    if (!this.available) return Promise.reject(this.closed ? new Error('summary worker closed') : this.dead!.error)
    this.dead = null
    this.worker ??= this.start()
    const worker = this.worker
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage({ id, ...job })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }
}

interface Cached {
  /** `Room.versionKey` the summary was built for, or null when the board was not loaded. */
  roomKey: string | null
  seq: number
  body: Uint8Array
}

/**
 * summary.json bodies per board and language: cached per board version, built once for any
 * number of parallel requests, off the event loop when a worker is given.
 */
export class BoardSummaries {
  private readonly cache = new Map<string, Cached>()
  private cachedBytes = 0
  private readonly building = new Map<string, Promise<Uint8Array | null>>()

  constructor(
    private readonly deps: {
      registry: RoomRegistry
      /** Reads a board in-process (the fallback without a worker). */
      load(boardId: string): Promise<StoredBoard | null>
      worker: SummaryWorker | null
      log: Logger
      /** How long to wait for a loaded board's pending edits to reach storage (default SUMMARY_PERSIST_WAIT_MS). */
      persistWaitMs?: number
    },
  ) {}

  /**
   * The summary of `boardId` in `language` as UTF-8 JSON, or null for an unknown board. A
   * loaded board answers from the cache while its version is unchanged (no storage read); an
   * unloaded one is re-read only when its log moved on.
   */
  async get(boardId: string, language: Language): Promise<Uint8Array | null> {
    const room = await this.deps.registry.loaded(boardId)
    const cacheKey = `${boardId}\u0000${language}`
    const roomKey = room ? room.versionKey : null
    const cached = this.cache.get(cacheKey)
    if (cached && roomKey !== null && cached.roomKey === roomKey) {
      this.touch(cacheKey, cached)
      return cached.body
    }
    const buildKey = `${cacheKey}\u0000${roomKey ?? 'stored'}`
    let building = this.building.get(buildKey)
    if (!building) {
      building = (async () => {
        // what the room has taken in is on disk before the worker reads the board (SRV-1)
        if (room) await withTimeout(room.whenPersisted(), this.deps.persistWaitMs ?? SUMMARY_PERSIST_WAIT_MS)
        const built = await this.build({ boardId, language, generatedAt: new Date().toISOString(), knownSeq: cached?.seq ?? -1 })
        if (!built) return null
        const body = built.body ?? cached!.body
        this.remember(cacheKey, { roomKey, seq: built.seq, body })
        return body
      })().finally(() => this.building.delete(buildKey))
      this.building.set(buildKey, building)
    }
    return building
  }

  private async build(job: Job): Promise<Built | null> {
    const worker = this.deps.worker
    if (worker?.available) {
      try {
        return await worker.build(job)
      } catch (e) {
        this.deps.log.warn('summary worker failed; building in-process', { board: job.boardId, error: (e as Error).message })
      }
    }
    const stored = await this.deps.load(job.boardId)
    if (!stored) return null
    if (stored.lastSeq === job.knownSeq) return { seq: stored.lastSeq, body: null }
    return { seq: stored.lastSeq, body: summaryBody(stored, job) }
  }

  private touch(key: string, entry: Cached): void {
    this.cache.delete(key)
    this.cache.set(key, entry)
  }

  private remember(key: string, entry: Cached): void {
    const old = this.cache.get(key)
    if (old) this.cachedBytes -= old.body.length
    this.cache.delete(key)
    this.cache.set(key, entry)
    this.cachedBytes += entry.body.length
    for (const [k, e] of this.cache) {
      if (this.cachedBytes <= SUMMARY_CACHE_BYTES || k === key) break
      this.cache.delete(k)
      this.cachedBytes -= e.body.length
    }
  }
}

/** `promise`, or a SummaryUnavailable after `ms`. */
function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SummaryUnavailable(`the board's latest changes are not saved yet (storage busy or failing); try again`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
