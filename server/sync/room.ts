import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  BOARD_PAGE_ID,
  DOCUMENT_RECORD_ID,
  DocLayout,
  editCountsFromMeta,
  isPresenceUser,
  MessageType,
} from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { FanoutKind, FanoutMessage } from '../fanout/types.ts'
import { replayStored } from '../storage/replay.ts'
import type { StoredBoard } from '../storage/types.ts'
import { validateRecord } from '../validation.ts'
import { Connection } from './connection.ts'
import { EditCounter, type EditCandidate } from './edits.ts'
import { encodeAwareness, encodeSync, SyncStep } from './messages.ts'
import { relayBatch, type PendingUpdate } from './relay.ts'
import { updateParents, updateParentsByYjs, type UpdateParents } from './updateParents.ts'

/** Origin of transactions the server itself makes to undo an invalid client write. */
export const VALIDATOR_ORIGIN = 'arvo:validator'
/**
 * Origin of updates that are already on disk: published by another server process, or read
 * back from storage to catch up. They are relayed at once and never persisted again.
 */
export const REMOTE_ORIGIN = 'arvo:remote'
/** Origin of the server's own writes of edit counts into `meta`. */
export const EDITS_ORIGIN = 'arvo:edits'
/** Edit counts are written into the doc at most this often. */
export const EDITS_WRITE_DELAY_MS = 2_000

/** What a room needs from the process around it. */
export interface RoomHost {
  log: Logger
  awarenessBatchMs: number
  /** Asks for this room's pending updates to be persisted (then relayed) soon. */
  requestFlush(room: Room): void
  /** Called when the last connection left. */
  roomEmpty(room: Room): void
  /** Shares a persisted update or local awareness change with other server processes. */
  publish(room: Room, kind: FanoutKind, payload: Uint8Array): void
}

interface RejectedWrite {
  map: Y.Map<unknown>
  key: string
  oldValue: unknown
  hadOld: boolean
  reason: string
}

const PROTECTED_IDS = new Set([DOCUMENT_RECORD_ID, BOARD_PAGE_ID])
let nextRoomSerial = 1
const EMPTY_STATE_VECTOR_LENGTH = 1
const JOIN_CACHE_MAX_TAIL = 256
const JOIN_CACHE_MAX_TAIL_BYTES = 512 * 1024

/**
 * One loaded board: its Y.Doc, its awareness and its connections.
 *
 * Rules (server/SPEC.md): SRV-1 an update is on disk before it is relayed; SRV-2 a sender
 * never gets its own update back; SRV-3 updates of one event-loop tick are merged and
 * encoded once for all receivers; SRV-4 invalid writes are reverted and close the writer;
 * writes outside `records`/`meta` are refused before they are applied.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness: awarenessProtocol.Awareness
  readonly conns = new Set<Connection>()
  /** Log position of the last persisted update. */
  lastSeq: number
  /** Log entries since the last snapshot. */
  logLength: number
  /** When this room last relayed a persisted batch (performance.now()). */
  lastRelayAt = -Infinity
  /** True while a compaction of this board runs. */
  compacting = false
  /** Counts every change the doc took in (client, server or other process); see `versionKey`. */
  private changes = 0
  private readonly serial = nextRoomSerial++
  /**
   * Top-level types outside the doc layout that came from storage (written before SRV-4
   * refused them): ignored, and writes into them are refused like writes that name them.
   */
  readonly junkRoots = new Set<string>()

  private readonly records: Y.Map<unknown>
  private readonly meta: Y.Map<unknown>
  private pending: PendingUpdate[] = []
  private persisting = false
  private afterPersist: (() => void)[] = []
  private rejected: RejectedWrite[] = []
  /**
   * What a new joiner (empty state vector) gets: one cached sync-step-2 message of the whole
   * doc plus the update messages since it was encoded, so a busy board is not re-encoded for
   * every joiner. Dropped when the tail grows past the limits below; rebuilt on demand.
   */
  private joinCache: { state: Uint8Array; tail: Uint8Array[]; tailBytes: number } | null = null
  private awarenessChanged = new Set<number>()
  private awarenessOrigins = new Set<unknown>()
  /** Awareness clients changed by this process's own connections (published to others). */
  private awarenessToPublish = new Set<number>()
  private awarenessTimer: NodeJS.Timeout | null = null
  /** Connections that joined since the last awareness batch: they get all states with it. */
  private awarenessJoiners = new Set<Connection>()
  private destroyed = false
  private edits: EditCounter
  /** Text edits of the update being applied; they count only if it is accepted whole (EDIT-4). */
  private editCandidates: EditCandidate[] = []
  private dirtyEdits = new Set<string>()
  private editsTimer: NodeJS.Timeout | null = null

  constructor(
    readonly id: string,
    stored: StoredBoard,
    private readonly host: RoomHost,
  ) {
    replayStored(stored, this.doc)
    this.lastSeq = stored.lastSeq
    this.logLength = stored.updates.length
    this.records = this.doc.getMap(DocLayout.records)
    this.meta = this.doc.getMap(DocLayout.meta)
    this.noteJunkRoots('board has top-level types outside the doc layout (ignored)')
    this.records.observe((event, tr) => this.checkWrites(this.records, event, tr, true))
    this.meta.observe((event, tr) => this.checkWrites(this.meta, event, tr, false))
    // No 'update' listener: Yjs would re-encode every transaction (~100 µs for a note). Client
    // updates are kept as the bytes that came in; the server's own transactions are encoded
    // once each (transactRecorded).
    this.doc.on('afterTransaction', this.onAfterTransaction)
    this.edits = new EditCounter(editCountsFromMeta(this.meta.entries()))
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  /** True while updates wait to be persisted or are being persisted. */
  get hasPending(): boolean {
    return this.pending.length > 0 || this.persisting
  }

  /**
   * Names the doc's state: it changes with every change the room takes in, and differs between
   * two loads of the board (caches of derived data, e.g. summary.json, key on it).
   */
  get versionKey(): string {
    return `${this.serial}:${this.changes}`
  }

  /** Resolves once every update taken in so far is on disk (at once when nothing is pending). */
  whenPersisted(): Promise<void> {
    if (!this.hasPending) return Promise.resolve()
    return new Promise((resolve) => this.afterPersist.push(resolve))
  }

  // ---- connections -------------------------------------------------------------------

  /** Adds a connection: sends our state vector (sync step 1) and everyone's awareness. */
  addConnection(conn: Connection): void {
    this.conns.add(conn)
    conn.send(encodeSync(SyncStep.step1, Y.encodeStateVector(this.doc)))
    // Everyone's presence goes out with the next awareness batch, encoded once for all who
    // joined in its window (200 joining at once would otherwise encode 200 x 100 states).
    if (this.awareness.getStates().size > 0) {
      this.awarenessJoiners.add(conn)
      this.scheduleAwareness()
    }
  }

  /** Removes a connection and the awareness states it announced. */
  removeConnection(conn: Connection): void {
    if (!this.conns.delete(conn)) return
    this.awarenessJoiners.delete(conn)
    if (conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null)
    }
    if (this.conns.size === 0) this.host.roomEmpty(this)
  }

  /** Handles one binary frame from `conn`. Never throws: bad input closes only `conn`. */
  handleMessage(conn: Connection, data: Uint8Array): void {
    // Frames that arrive after the server closed `conn` (e.g. an update building on a refused
    // one, sent back to back) are dropped: nothing of a refused client is applied later.
    if (!conn.isOpen) return
    let type: number
    let sub = -1
    let payload: Uint8Array
    try {
      const decoder = decoding.createDecoder(data)
      type = decoding.readVarUint(decoder)
      if (type === MessageType.sync) {
        sub = decoding.readVarUint(decoder)
        payload = decoding.readVarUint8Array(decoder)
      } else if (type === MessageType.awareness) {
        payload = decoding.readVarUint8Array(decoder)
      } else if (type === MessageType.queryAwareness) {
        payload = new Uint8Array(0)
      } else if (type === MessageType.auth) {
        return // no auth messages from clients in protocol version 1; ignored as y-websocket does
      } else {
        conn.close('malformedMessage', `unknown message type ${type}`)
        return
      }
    } catch (e) {
      conn.close('malformedMessage', (e as Error).message)
      return
    }

    if (type === MessageType.sync) {
      if (sub === SyncStep.step1) this.answerStep1(conn, payload)
      else if (sub === SyncStep.step2 || sub === SyncStep.update) this.applyClientUpdate(conn, payload)
      else conn.close('malformedMessage', `unknown sync step ${sub}`)
    } else if (type === MessageType.awareness) {
      try {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, conn)
      } catch (e) {
        conn.close('malformedMessage', `awareness: ${(e as Error).message}`)
      }
    } else {
      const states = [...this.awareness.getStates().keys()]
      if (states.length > 0) conn.send(encodeAwareness(this.awareness, states))
    }
  }

  /** Sync step 2 for a client's state vector; waits for pending updates to reach disk first. */
  private answerStep1(conn: Connection, stateVector: Uint8Array): void {
    let reply: () => void
    if (stateVector.length === EMPTY_STATE_VECTOR_LENGTH && stateVector[0] === 0) {
      reply = () => {
        this.joinCache ??= { state: encodeSync(SyncStep.step2, Y.encodeStateAsUpdate(this.doc)), tail: [], tailBytes: 0 }
        // The updates since the cache first, then the cached state as sync step 2: a stock
        // y-websocket client is "synced" at step 2, and by then it holds the whole board
        // (Yjs keeps the earlier updates pending until the state they build on arrives).
        conn.sendAll(this.joinCache.tail)
        conn.sendOwn(this.joinCache.state)
      }
    } else {
      reply = () => {
        try {
          conn.sendOwn(encodeSync(SyncStep.step2, Y.encodeStateAsUpdate(this.doc, stateVector)))
        } catch (e) {
          conn.close('malformedMessage', `state vector: ${(e as Error).message}`)
        }
      }
    }
    if (this.hasPending) this.afterPersist.push(reply)
    else reply()
  }

  private applyClientUpdate(conn: Connection, update: Uint8Array): void {
    // SRV-4: Yjs creates a top-level type while it decodes an update, so a write outside the
    // doc layout is refused before the update is applied: nothing of it is kept or relayed.
    const outside = this.writesOutsideLayout(update)
    if (outside) {
      conn.close(outside.code, outside.reason)
      return
    }
    this.rejected = []
    this.editCandidates = []
    this.lastTransaction = null
    try {
      Y.applyUpdate(this.doc, update, conn)
    } catch (e) {
      // Yjs integrates the structs before it reads the delete set: an update that fails there
      // has changed the doc. Keep exactly that change (its invalid records reverted), so
      // memory and disk stay the same.
      const tr = this.lastTransaction as Y.Transaction | null
      this.lastTransaction = null
      if (tr && tr.origin === conn && changedDoc(tr)) this.record(Y.encodeStateAsUpdate(this.doc, encodeStateVector(tr.beforeState)), conn)
      this.revertRejected()
      this.editCandidates = []
      conn.close('invalidUpdate', (e as Error).message)
      return
    }
    this.lastTransaction = null
    if (!isEmptyUpdate(update)) this.record(update, conn)
    // Not expected: writesOutsideLayout reads what Yjs reads. Should a root slip through, it
    // is ignored like one from storage (never a reason to close the board's other clients).
    this.noteJunkRoots('an update created top-level types the pre-check missed (ignored)')
    const reasons = this.revertRejected()
    const candidates = this.editCandidates
    this.editCandidates = []
    if (reasons) {
      conn.close('invalidRecord', reasons.slice(0, 500))
      return
    }
    if (candidates.length > 0) this.countEdits(candidates)
  }

  /**
   * Why `update` must be refused before it is applied (SRV-4), or null: an item written into a
   * top-level type other than `records`/`meta` by name, or (on a board with junk roots from
   * storage) hanging off an item of such a type. An update neither reader can decode is refused
   * as undecodable (nothing applied).
   */
  private writesOutsideLayout(update: Uint8Array): { code: 'invalidRecord' | 'invalidUpdate'; reason: string } | null {
    const withRefs = this.junkRoots.size > 0
    let parents: UpdateParents
    try {
      parents = updateParents(update, withRefs)
    } catch {
      try {
        parents = updateParentsByYjs(update, withRefs)
      } catch (e) {
        return { code: 'invalidUpdate', reason: (e as Error).message }
      }
    }
    for (const root of parents.roots) {
      if (root !== DocLayout.records && root !== DocLayout.meta) {
        return { code: 'invalidRecord', reason: `wrote outside the doc layout: top-level type ${JSON.stringify(root.slice(0, 60))}` }
      }
    }
    for (const ref of parents.refs) {
      const root = this.rootOf(ref.client, ref.clock)
      if (root !== null && this.junkRoots.has(root)) {
        return { code: 'invalidRecord', reason: `wrote outside the doc layout: into top-level type ${JSON.stringify(root.slice(0, 60))}` }
      }
    }
    return null
  }

  /** The top-level type name the struct (client, clock) of the doc belongs to; null when it is not in the doc or was collected. */
  private rootOf(client: number, clock: number): string | null {
    if (clock >= Y.getState(this.doc.store, client)) return null
    const struct = Y.getItem(this.doc.store, Y.createID(client, clock)) as Y.Item | Y.GC
    if (!(struct instanceof Y.Item)) return null
    let type = struct.parent as Y.AbstractType<unknown> | null
    while (type?._item) type = type._item.parent as Y.AbstractType<unknown> | null
    return type ? Y.findRootTypeKey(type) : null
  }

  /** Adds top-level types outside the doc layout to `junkRoots`, logging one line naming the new ones. */
  private noteJunkRoots(message: string): void {
    if (this.doc.share.size === 2 + this.junkRoots.size) return // records, meta and the known junk
    const added: string[] = []
    for (const name of this.doc.share.keys()) {
      if (name === DocLayout.records || name === DocLayout.meta || this.junkRoots.has(name)) continue
      this.junkRoots.add(name)
      added.push(name)
    }
    if (added.length === 0) return
    const shown = added.slice(0, 20).map((n) => JSON.stringify(n.slice(0, 40)))
    this.host.log.warn(message, { board: this.id, count: added.length, roots: shown.join(', ') + (added.length > shown.length ? ', …' : '') })
  }

  /** Reverts the writes checkWrites rejected (one server transaction); returns their reasons, or null. */
  private revertRejected(): string | null {
    const rejected = this.rejected
    this.rejected = []
    if (rejected.length === 0) return null
    this.transactRecorded(() => {
      for (const r of rejected) {
        if (r.hadOld) r.map.set(r.key, r.oldValue)
        else r.map.delete(r.key)
      }
    }, VALIDATOR_ORIGIN)
    return rejected.map((r) => r.reason).join('; ')
  }

  /** Collects client writes that break the doc layout, to be reverted after the update. */
  private checkWrites(map: Y.Map<unknown>, event: Y.YMapEvent<unknown>, tr: Y.Transaction, isRecords: boolean): void {
    if (!(tr.origin instanceof Connection)) return
    for (const [key, change] of event.changes.keys) {
      const hadOld = change.action !== 'add'
      let reason: string | null
      if (change.action === 'delete') {
        reason = isRecords && PROTECTED_IDS.has(key) ? `${key}: the board's document and page cannot be deleted` : null
        if (!isRecords && key === DocLayout.schemaKey) reason = 'meta.schema cannot be deleted'
      } else if (isRecords) {
        const value = map.get(key)
        reason = validateRecord(key, value)
        if (!reason) {
          if (change.action === 'add') this.edits.noteAdded(key, value)
          else {
            const c = this.edits.candidate(tr.origin.user, key, change.oldValue, value)
            if (c) this.editCandidates.push(c)
          }
        }
      } else {
        const v = map.get(key) as { schemaVersion?: unknown; sequences?: unknown } | undefined
        reason =
          key !== DocLayout.schemaKey
            ? `meta.${key} is not part of the doc layout`
            : typeof v !== 'object' || v === null || typeof v.schemaVersion !== 'number' || typeof v.sequences !== 'object'
              ? 'meta.schema is not a serialized tldraw schema'
              : null
      }
      if (reason) this.rejected.push({ map, key, oldValue: change.oldValue, hadOld, reason })
    }
  }

  /** Counts the text edits of an accepted update (EDIT-1..4) and schedules writing the counts. */
  private countEdits(candidates: readonly EditCandidate[]): void {
    const changed = this.edits.commit(candidates)
    if (changed.length === 0) return
    for (const id of changed) this.dirtyEdits.add(id)
    if (!this.editsTimer && !this.destroyed) this.editsTimer = setTimeout(() => this.writeEditCounts(), EDITS_WRITE_DELAY_MS)
  }

  /** Writes changed edit counts into `meta` (persisted and relayed like any update). */
  writeEditCounts(): void {
    if (this.editsTimer) clearTimeout(this.editsTimer)
    this.editsTimer = null
    if (this.dirtyEdits.size === 0 || this.destroyed) return
    const dirty = this.dirtyEdits
    this.dirtyEdits = new Set()
    this.transactRecorded(() => {
      for (const id of dirty) this.meta.set(`${DocLayout.editsPrefix}${id}`, { ...this.edits.get(id)! })
    }, EDITS_ORIGIN)
    this.edits.sweep()
  }

  // ---- persistence and relay ---------------------------------------------------------

  private lastTransaction: Y.Transaction | null = null
  private onAfterTransaction = (tr: Y.Transaction): void => {
    this.lastTransaction = tr
  }

  /** Runs `fn` in one transaction of `origin` and records the update it made (if any). */
  private transactRecorded(fn: () => void, origin: unknown): void {
    const made: Uint8Array[] = []
    const onUpdate = (u: Uint8Array): void => void made.push(u)
    this.doc.on('update', onUpdate)
    try {
      this.doc.transact(fn, origin)
    } finally {
      this.doc.off('update', onUpdate)
    }
    for (const u of made) this.record(u, origin)
  }

  /**
   * Takes a change of the doc in: into the joiners' cache tail, and into the next batch —
   * persisted, then relayed; or, with REMOTE_ORIGIN (already on disk), only relayed.
   */
  private record(update: Uint8Array, origin: unknown): void {
    this.changes++
    if (this.joinCache) {
      const message = encodeSync(SyncStep.update, update)
      this.joinCache.tail.push(message)
      this.joinCache.tailBytes += message.length
      if (this.joinCache.tail.length > JOIN_CACHE_MAX_TAIL || this.joinCache.tailBytes > JOIN_CACHE_MAX_TAIL_BYTES) {
        this.joinCache = null
      }
    }
    this.pending.push({ update, origin })
    this.host.requestFlush(this)
  }

  /** Applies a message from another server process (FAN-1, FAN-2). */
  applyRemote(m: FanoutMessage): void {
    try {
      if (m.kind === 'update') {
        Y.applyUpdate(this.doc, m.payload, REMOTE_ORIGIN)
        this.record(m.payload, REMOTE_ORIGIN)
        this.noteJunkRoots('another process stored top-level types outside the doc layout (ignored)')
      } else awarenessProtocol.applyAwarenessUpdate(this.awareness, m.payload, REMOTE_ORIGIN)
    } catch (e) {
      this.host.log.warn('dropped undecodable message from another process', { board: this.id, error: (e as Error).message })
    }
  }

  /** Applies updates read back from storage (catch-up); what is new is relayed, not persisted. */
  applyStored(updates: Uint8Array[]): void {
    this.transactRecorded(() => {
      for (const u of updates) Y.applyUpdate(this.doc, u, REMOTE_ORIGIN)
    }, REMOTE_ORIGIN)
    this.noteJunkRoots('storage holds top-level types outside the doc layout (ignored)')
  }

  /** Hands the pending updates to the flusher, which persists them in one commit. */
  takePending(): PendingUpdate[] {
    const batch = this.pending
    this.pending = []
    if (batch.length > 0) this.persisting = true
    return batch
  }

  /** The flusher could not persist `batch`: keep it (in order) for the next attempt. */
  persistFailed(batch: PendingUpdate[]): void {
    this.pending = batch.concat(this.pending)
    this.persisting = false
  }

  /**
   * `batch` is on disk — its own updates merged into `stored.update` at log position
   * `stored.seq`; `stored` is null when the batch held only updates of other processes
   * (REMOTE_ORIGIN, persisted there).
   * Relays `merged` (the whole batch) per relay.ts and publishes only what this process stored.
   */
  persisted(batch: PendingUpdate[], merged: Uint8Array, stored: { update: Uint8Array; seq: number } | null): void {
    this.persisting = false
    if (stored) {
      this.lastSeq = stored.seq
      this.logLength++
    }
    if (this.conns.size > 0) relayBatch(this.conns, batch, merged)
    if (stored) this.host.publish(this, 'update', stored.update)
    if (!this.hasPending && this.afterPersist.length > 0) {
      const waiting = this.afterPersist
      this.afterPersist = []
      for (const fn of waiting) fn()
    }
  }

  // ---- awareness ---------------------------------------------------------------------

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Connection) {
      for (const id of added) origin.awarenessIds.add(id)
      for (const id of removed) origin.awarenessIds.delete(id)
      for (const id of [...added, ...updated]) {
        const user = (this.awareness.getStates().get(id) as { user?: unknown } | undefined)?.user
        if (isPresenceUser(user)) origin.user = user
      }
    }
    for (const id of added) this.awarenessChanged.add(id)
    for (const id of updated) this.awarenessChanged.add(id)
    for (const id of removed) this.awarenessChanged.add(id)
    if (origin !== REMOTE_ORIGIN) {
      for (const id of added) this.awarenessToPublish.add(id)
      for (const id of updated) this.awarenessToPublish.add(id)
      for (const id of removed) this.awarenessToPublish.add(id)
    }
    this.awarenessOrigins.add(origin)
    this.scheduleAwareness()
  }

  private scheduleAwareness(): void {
    if (this.awarenessTimer === null && !this.destroyed) {
      this.awarenessTimer = setTimeout(this.flushAwareness, this.host.awarenessBatchMs)
    }
  }

  /** Relays the awareness changes of the last batch window in one message. */
  private flushAwareness = (): void => {
    this.awarenessTimer = null
    const ids = [...this.awarenessChanged]
    const origins = this.awarenessOrigins
    this.awarenessChanged = new Set()
    this.awarenessOrigins = new Set()
    if (this.awarenessToPublish.size > 0) {
      this.host.publish(this, 'awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awarenessToPublish]))
      this.awarenessToPublish = new Set()
    }
    const joiners = this.awarenessJoiners
    this.awarenessJoiners = new Set()
    if (joiners.size > 0) {
      // They get everyone's current state, which includes this window's changes.
      const all = [...this.awareness.getStates().keys()]
      if (all.length > 0) {
        const message = encodeAwareness(this.awareness, all)
        for (const conn of joiners) conn.send(message)
      }
    }
    if (ids.length === 0 || this.conns.size === joiners.size) return
    const message = encodeAwareness(this.awareness, ids)
    const onlySender = origins.size === 1 ? [...origins][0] : null
    for (const conn of this.conns) if (conn !== onlySender && !joiners.has(conn)) conn.send(message)
  }

  /** Encodes the whole board (for a snapshot). */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc)
  }

  /** Frees the doc and timers. The room must have no connections and nothing pending. */
  destroy(): void {
    this.destroyed = true
    this.joinCache = null
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    if (this.editsTimer) clearTimeout(this.editsTimer)
    this.awareness.destroy()
    this.doc.destroy()
  }
}

/** True when a transaction added structs or deleted something. */
function changedDoc(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true
  for (const [client, clock] of tr.afterState) if ((tr.beforeState.get(client) ?? 0) !== clock) return true
  return false
}

/** Encodes a state vector (client -> next clock) as Yjs does. */
function encodeStateVector(sv: Map<number, number>): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, sv.size)
  for (const [client, clock] of sv) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
  }
  return encoding.toUint8Array(e)
}

/** A Yjs (v1) update with no structs and no deletions, e.g. a client's sync answer with nothing new. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}
