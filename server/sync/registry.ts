import type { SidedBallot } from '../../shared/facilitation/index.ts'
import * as Y from 'yjs'
import { DocLayout } from '../../shared/protocol.ts'
import type { Fanout, FanoutKind, FanoutMessage } from '../fanout/types.ts'
import type { Logger } from '../log.ts'
import type { BoardStorage } from '../storage/types.ts'
import { replayStored } from '../storage/replay.ts'
import { REMOTE_ORIGIN, Room, type RoomHost } from './room.ts'

export interface RegistryOptions {
  storage: BoardStorage
  log: Logger
  roomUnloadDelayMs: number
  awarenessBatchMs: number
  compactEvery: number
  /** Present when several processes share boards (Redis). */
  fanout?: Fanout | null
  /** Relay window per connection of a room, in µs (SRV-7; default BATCH_US_PER_CLIENT). */
  batchUsPerClient?: number
  /** Compacts boards off the event loop (absent: compaction encodes the live doc in-process). */
  compactor?: { compact(boardId: string): Promise<number> } | null
  /** Another process changed a board's links (fan-out `links`, AUTH-5): the payload is their new state. */
  onLinks?: (boardId: string, payload: Uint8Array) => void
}

/** Default relay window per connection of a room: 200 clients -> 8 ms, 50 -> 2 ms, 5 -> none. */
export const BATCH_US_PER_CLIENT = 60
/** The relay window never exceeds this. */
export const MAX_RELAY_WINDOW_MS = 10

/** How long a room with `conns` connections waits after a relay before the next one (ms). */
export function relayWindowMs(conns: number, usPerClient: number): number {
  return Math.min(MAX_RELAY_WINDOW_MS, (conns * usPerClient) / 1000)
}

/** Raised when a board that should exist is not in storage. */
export class BoardNotFoundError extends Error {
  constructor(id: string) {
    super(`board ${id} not found`)
    this.name = 'BoardNotFoundError'
  }
}

interface Entry {
  room: Promise<Room>
  /** Set while the room is being compacted and unloaded; `get` waits for it. */
  unloading: Promise<void> | null
  unloadTimer: NodeJS.Timeout | null
}

/**
 * The loaded rooms of this process (rule SRV-5: loads are de-duplicated; a room unloads
 * only with zero connections and nothing pending). Also the group-commit flusher: all
 * rooms' pending updates of one event-loop tick go to storage in one commit.
 */
export class RoomRegistry implements RoomHost {
  readonly log: Logger
  readonly awarenessBatchMs: number
  private readonly entries = new Map<string, Entry>()
  private readonly dirty = new Set<Room>()
  private flushScheduled = false
  private flushDue = 0
  private flushTimer: NodeJS.Timeout | null = null
  private flushImmediate: NodeJS.Immediate | null = null
  private flushing: Promise<void> | null = null
  private retryTimer: NodeJS.Timeout | null = null
  private closed = false

  constructor(private readonly opts: RegistryOptions) {
    this.log = opts.log
    this.awarenessBatchMs = opts.awarenessBatchMs
    opts.fanout?.onReconnect(() => void this.catchUpAll())
  }

  /** Number of loaded (or loading) rooms. */
  get size(): number {
    return this.entries.size
  }

  /** Returns the loaded room of `id`, loading it once however many callers ask at once. */
  async get(id: string): Promise<Room> {
    for (;;) {
      if (this.closed) throw new Error('registry closed')
      const entry = this.entries.get(id)
      if (entry) {
        if (entry.unloading) {
          await entry.unloading
          continue
        }
        if (entry.unloadTimer) {
          clearTimeout(entry.unloadTimer)
          entry.unloadTimer = null
        }
        return entry.room
      }
      const room = this.load(id)
      this.entries.set(id, { room, unloading: null, unloadTimer: null })
      room.catch(() => {
        if (this.entries.get(id)?.room === room) this.entries.delete(id)
      })
      return room
    }
  }

  private async load(id: string): Promise<Room> {
    const fanout = this.opts.fanout
    // Subscribe before reading storage, so nothing published meanwhile is missed.
    let room: Room | null = null
    const early: FanoutMessage[] = []
    if (fanout) {
      await fanout.subscribe(id, (m) => {
        // link rotations concern this process's connections, not the doc (AUTH-5)
        if (m.kind === 'links') this.opts.onLinks?.(id, m.payload)
        else if (room) room.applyRemote(m)
        else early.push(m)
      })
    }
    let stored
    try {
      stored = await this.opts.storage.load(id)
      if (!stored) throw new BoardNotFoundError(id)
    } catch (e) {
      if (fanout) await fanout.unsubscribe(id)
      throw e
    }
    const started = performance.now()
    room = new Room(id, stored, this)
    for (const m of early) room.applyRemote(m)
    this.log.info('room loaded', {
      board: id,
      updates: stored.updates.length,
      ms: Math.round(performance.now() - started),
    })
    return room
  }

  /** The room of `id` if it is loaded (not loading, not unloading); never loads it. */
  async loaded(id: string): Promise<Room | null> {
    const entry = this.entries.get(id)
    return entry && !entry.unloading ? await entry.room.catch(() => null) : null
  }

  /**
   * The current records and meta of a board, without keeping it loaded: from the live room
   * when it is loaded, else read from storage into a throw-away doc. Null when unknown.
   */
  async snapshotOf(id: string): Promise<{ records: unknown[]; meta: [string, unknown][] } | null> {
    let doc: Y.Doc
    let temporary = false
    const room = await this.loaded(id)
    if (room) doc = room.doc
    else {
      const stored = await this.opts.storage.load(id)
      if (!stored) return null
      doc = replayStored(stored)
      temporary = true
    }
    const records = [...doc.getMap(DocLayout.records).values()]
    const meta = [...doc.getMap(DocLayout.meta).entries()]
    if (temporary) doc.destroy()
    return { records, meta }
  }

  // ---- RoomHost ----------------------------------------------------------------------

  requestFlush(room: Room): void {
    this.dirty.add(room)
    // SRV-7: a room relays at most once per window that grows with its connections (every
    // relay is one socket write per receiver): large rooms batch more, small ones not at all.
    const due = room.lastRelayAt + relayWindowMs(room.conns.size, this.opts.batchUsPerClient ?? BATCH_US_PER_CLIENT)
    if (this.flushScheduled && due >= this.flushDue) return
    this.scheduleFlush(due)
  }

  private scheduleFlush(due: number): void {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    if (this.flushImmediate) clearImmediate(this.flushImmediate)
    this.flushTimer = null
    this.flushImmediate = null
    this.flushScheduled = true
    this.flushDue = due
    const run = (): void => {
      this.flushScheduled = false
      this.flushTimer = null
      this.flushImmediate = null
      void this.flush()
    }
    const wait = due - performance.now()
    if (wait < 1) this.flushImmediate = setImmediate(run)
    else this.flushTimer = setTimeout(run, wait)
  }

  publish(room: Room, kind: FanoutKind, payload: Uint8Array): void {
    this.opts.fanout?.publish(room.id, kind, payload)
  }

  ballots(room: Room, voteId: string): Promise<SidedBallot[]> {
    return this.opts.storage.ballots(room.id, voteId)
  }

  closeVote(room: Room, voteId: string): Promise<SidedBallot[]> {
    return this.opts.storage.closeVote(room.id, voteId)
  }

  forgetBallots(room: Room, voteId: string): Promise<void> {
    return this.opts.storage.forgetBallots(room.id, voteId)
  }

  /** Tells the other processes that `boardId`'s links changed (AUTH-5; nothing without fan-out). */
  publishLinks(boardId: string, payload: Uint8Array): void {
    this.opts.fanout?.publish(boardId, 'links', payload)
  }

  /** After a fan-out outage: re-read every loaded board from storage (idempotent). */
  private async catchUpAll(): Promise<void> {
    for (const [id, entry] of this.entries) {
      if (entry.unloading) continue
      try {
        const room = await entry.room
        const stored = await this.opts.storage.load(id)
        if (stored) room.applyStored(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates)
      } catch (e) {
        this.log.warn('catch-up failed', { board: id, error: (e as Error).message })
      }
    }
  }

  roomEmpty(room: Room): void {
    const entry = this.entries.get(room.id)
    if (!entry || entry.unloading || entry.unloadTimer) return
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = null
      if (room.conns.size > 0) return
      entry.unloading = this.unload(room).finally(() => {
        if (this.entries.get(room.id) === entry) this.entries.delete(room.id)
      })
    }, this.opts.roomUnloadDelayMs)
  }

  // ---- persistence -------------------------------------------------------------------

  /** Persists every dirty room's pending updates in one storage commit, then relays them. */
  flush(): Promise<void> {
    if (this.flushing) {
      // One commit at a time keeps the log in order; run again once this one is done.
      return this.flushing.then(() => (this.dirty.size > 0 ? this.flush() : undefined))
    }
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = null
    })
    return this.flushing
  }

  private async flushOnce(): Promise<void> {
    const rooms = [...this.dirty]
    this.dirty.clear()
    const batches = rooms
      .map((room) => {
        const batch = room.takePending()
        // Updates of other processes (REMOTE_ORIGIN) are on disk already: relayed, not stored.
        const own = batch.filter((p) => p.origin !== REMOTE_ORIGIN)
        return { room, batch, own: own.length === 0 ? null : merge(own) }
      })
      .filter((b) => b.batch.length > 0)
    if (batches.length === 0) return
    const stored = batches.filter((b) => b.own !== null)
    let seqs: number[]
    try {
      seqs = await this.opts.storage.append(stored.map((b) => ({ boardId: b.room.id, update: b.own! })))
    } catch (e) {
      this.log.warn('persisting updates failed; retrying in 1 s', { error: (e as Error).message, boards: stored.length })
      for (const { room, batch } of batches) {
        room.persistFailed(batch)
        this.dirty.add(room)
      }
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null
        void this.flush()
      }, 1000)
      return
    }
    const relayedAt = performance.now()
    for (const { room, batch, own } of batches) {
      room.lastRelayAt = relayedAt
      const merged = own && batch.length === 1 ? own : merge(batch)
      room.persisted(batch, merged, own ? { update: own, seq: seqs[stored.findIndex((b) => b.room === room)] } : null)
      // compact() persists what is pending first
      if (room.logLength >= this.opts.compactEvery) void this.compact(room)
    }
  }

  /** Writes a snapshot of `room` and drops the log entries it covers. */
  async compact(room: Room): Promise<void> {
    if (room.compacting) return
    room.compacting = true
    try {
      if (room.hasPending) await this.flush()
      if (this.opts.compactor) {
        try {
          const uptoSeq = await this.opts.compactor.compact(room.id)
          // Entries appended after what the worker read stay in the log; they are few.
          room.logLength = Math.max(0, room.lastSeq - uptoSeq)
          return
        } catch (e) {
          this.log.warn('compaction worker failed; compacting in-process', { board: room.id, error: (e as Error).message })
        }
      }
      await this.compactInProcess(room)
    } catch (e) {
      this.log.warn('compaction failed (the log is kept)', { board: room.id, error: (e as Error).message })
    } finally {
      room.compacting = false
    }
  }

  private async compactInProcess(room: Room): Promise<void> {
    let uptoSeq = room.lastSeq
    if (this.opts.fanout) {
      // Other processes append to this board too: take in everything on disk first, so the
      // snapshot really covers the log up to `uptoSeq`.
      const stored = await this.opts.storage.load(room.id)
      if (!stored) return
      room.applyStored(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates)
      uptoSeq = stored.lastSeq
    }
    const snapshot = room.encodeState()
    await this.opts.storage.compact(room.id, snapshot, uptoSeq)
    room.logLength = 0
  }

  private async unload(room: Room): Promise<void> {
    await room.facilitation.settle() // a vote being tallied writes its result first
    room.writeEditCounts()
    while (room.hasPending) await this.flush()
    if (room.logLength > 0) await this.compact(room)
    room.destroy()
    if (this.opts.fanout) await this.opts.fanout.unsubscribe(room.id)
    this.log.info('room unloaded', { board: room.id })
  }

  /** Flushes and compacts every room, then forgets them. Connections must be closed first. */
  async close(): Promise<void> {
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    if (this.flushTimer) clearTimeout(this.flushTimer)
    if (this.flushImmediate) clearImmediate(this.flushImmediate)
    const all = [...this.entries.values()]
    for (const entry of all) if (entry.unloadTimer) clearTimeout(entry.unloadTimer)
    await Promise.all(
      all.map(async (entry) => {
        if (entry.unloading) return entry.unloading
        const room = await entry.room.catch(() => null)
        if (room) await this.unload(room)
      }),
    )
    this.entries.clear()
  }
}

/** One update of all of `batch` (the update itself when there is one). */
function merge(batch: readonly { update: Uint8Array }[]): Uint8Array {
  return batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((p) => p.update))
}
