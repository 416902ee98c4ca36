import { Worker } from 'node:worker_threads'
import type { Durability } from './sqlite.ts'

/** Where the compaction worker finds the boards (it opens its own connection). */
export type StorageLocation = { kind: 'sqlite'; dataDir: string; durability: Durability } | { kind: 'postgres'; url: string }

/**
 * Compacts boards in a worker thread (rule SRV-6): the worker reads the board's snapshot and
 * log from storage, rebuilds the doc, encodes it and replaces the log up to the position it
 * read (with SQLite the worker hands the snapshot back and the server's connection, SQLite's
 * one writer, writes it). The event loop that relays updates never encodes a whole board, so a 5,000-note board
 * compacting does not stall anyone's edits. Works across processes too: what the worker reads
 * is everything any process has appended.
 */
export class WorkerCompactor {
  private worker: Worker
  private nextId = 1
  private waiting = new Map<number, { resolve(uptoSeq: number): void; reject(e: Error): void }>()
  private closed = false

  private boards = new Map<number, string>()

  constructor(
    location: StorageLocation,
    private readonly onWarning?: (message: string) => void,
    /** SQLite: writes a snapshot the worker built (SQLite's one writer is the server's connection). */
    private readonly writeSnapshot?: (boardId: string, snapshot: Uint8Array, uptoSeq: number) => Promise<void>,
  ) {
    this.worker = new Worker(new URL('./compactWorker.mjs', import.meta.url), { workerData: location })
    this.worker.unref()
    this.worker.on('message', (m: { id: number; uptoSeq?: number; snapshot?: Uint8Array; error?: string; warning?: string }) => {
      if (m.warning) return this.onWarning?.(m.warning)
      const w = this.waiting.get(m.id)
      if (!w) return
      this.waiting.delete(m.id)
      if (m.error) w.reject(new Error(m.error))
      else if (m.snapshot) {
        // SQLite: the worker built the snapshot, the server's own connection writes it.
        const uptoSeq = m.uptoSeq ?? 0
        if (!this.writeSnapshot) w.reject(new Error('compaction worker returned a snapshot and nobody writes it'))
        else this.writeSnapshot(this.boards.get(m.id)!, m.snapshot, uptoSeq).then(() => w.resolve(uptoSeq), w.reject)
      } else w.resolve(m.uptoSeq ?? 0)
      this.boards.delete(m.id)
    })
    this.worker.on('error', (e) => {
      this.dead = e
      this.failAll(e)
    })
    this.worker.on('exit', (code) => {
      this.dead ??= new Error(`compaction worker exited with ${code}`)
      this.failAll(this.dead)
    })
  }

  private dead: Error | null = null
  private deathListeners: ((e: Error) => void)[] = []

  /** Calls `fn` once if the worker dies (the caller falls back to in-process work). */
  onDead(fn: (e: Error) => void): void {
    if (this.dead) fn(this.dead)
    else this.deathListeners.push(fn)
  }

  private failAll(e: Error): void {
    const listeners = this.deathListeners
    this.deathListeners = []
    if (!this.closed) for (const fn of listeners) fn(e)
    for (const w of this.waiting.values()) w.reject(e)
    this.waiting.clear()
  }

  /** Compacts `boardId`'s log into a snapshot; resolves, once it is on disk, with the log position it covers. */
  compact(boardId: string): Promise<number> {
    if (this.closed) return Promise.reject(new Error('compactor closed'))
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.boards.set(id, boardId)
      this.worker.postMessage({ id, boardId })
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Let running compactions finish, then stop the worker.
    await Promise.allSettled(
      [...this.waiting.values()].map((w) => new Promise<void>((r) => ((w.resolve = () => r()), (w.reject = () => r())))),
    )
    await this.worker.terminate()
  }
}
