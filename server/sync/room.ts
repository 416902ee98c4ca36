import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DocLayout, editCountsFromMeta, MessageType, readSessionFlags, type PresenceUser } from '../../shared/protocol.ts'
import type { Access } from '../../shared/policy/index.ts'
import type { Logger } from '../log.ts'
import type { FanoutKind, FanoutMessage } from '../fanout/types.ts'
import { replayStored } from '../storage/replay.ts'
import type { StoredBoard } from '../storage/types.ts'
import type { Connection } from './connection.ts'
import { EditCounts } from './editCounts.ts'
import { JoinCache } from './joinCache.ts'
import { encodeSync, SyncStep } from './messages.ts'
import { Presence } from './presence.ts'
import { relayBatch, type PendingUpdate } from './relay.ts'
import { carriesNews, LAYOUT_ROOTS, WriteChecks } from './writes.ts'
import { FACILITATION_ORIGIN, RoomFacilitation } from './facilitation.ts'
import type { SidedBallot } from '../../shared/facilitation/index.ts'

export { EDITS_WRITE_DELAY_MS } from './editCounts.ts'

/** Origin of transactions the server itself makes to undo or correct a client write. */
export const VALIDATOR_ORIGIN = 'arvo:validator'
/**
 * Origin of updates that are already on disk: published by another server process, or read
 * back from storage to catch up. They are relayed at once and never persisted again.
 */
export const REMOTE_ORIGIN = 'arvo:remote'
/** Origin of the server's own writes of edit counts into `meta`. */
export const EDITS_ORIGIN = 'arvo:edits'

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
  /** Ballots of an open vote of this board (storage, VOTE-S*). */
  ballots(room: Room, voteId: string): Promise<SidedBallot[]>
  /** Closes a vote of this board in storage: its ballots for the first caller of any process, else null. */
  closeVote(room: Room, voteId: string): Promise<SidedBallot[]>
  /** Deletes a closed vote's ballots. */
  forgetBallots(room: Room, voteId: string): Promise<void>
}

let nextRoomSerial = 1
const EMPTY_STATE_VECTOR_LENGTH = 1

/**
 * One loaded board: its Y.Doc, its connections, and the dispatch of their messages. Each rule
 * has one home beside it: `writes.ts` (what a client may write, ROLE-*, SRV-4), `presence.ts`
 * (awareness: sanitizing and batching, SESS-1, SESS-2, SYNC-7), `editCounts.ts` (EDIT-*),
 * `joinCache.ts` (SYNC-6), `relay.ts` (SRV-2, SRV-3).
 *
 * Rules (server/SPEC.md): SRV-1 an update is on disk before it is relayed; SRV-2 a sender
 * never gets its own update back; SRV-3 updates of one event-loop tick are merged and
 * encoded once for all receivers; SRV-4 / ROLE-7 refused writes are undone and close the
 * writer, and only the net result is stored and relayed; writes outside the doc layout are
 * refused before they are applied; ROLE-1 a viewer's news is dropped before it is applied.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true })
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

  private readonly meta: Y.Map<unknown>
  private readonly session: Y.Map<unknown>
  private pending: PendingUpdate[] = []
  private persisting = false
  private afterPersist: (() => void)[] = []
  private readonly joinCache = new JoinCache()
  private readonly presence: Presence
  private readonly edits: EditCounts
  private readonly writes: WriteChecks
  /** Vote progress, closing and results, private counts (issue 11). */
  readonly facilitation: RoomFacilitation
  private destroyed = false

  constructor(
    readonly id: string,
    stored: StoredBoard,
    private readonly host: RoomHost,
  ) {
    replayStored(stored, this.doc)
    this.lastSeq = stored.lastSeq
    this.logLength = stored.updates.length
    this.meta = this.doc.getMap(DocLayout.meta)
    this.session = this.doc.getMap(DocLayout.session)
    this.edits = new EditCounts(editCountsFromMeta(this.meta.entries()), (entries) =>
      this.transactRecorded(() => {
        for (const [key, value] of entries) this.meta.set(key, value)
      }, EDITS_ORIGIN),
    )
    this.writes = new WriteChecks(this.doc, this.edits, this.junkRoots, VALIDATOR_ORIGIN)
    this.noteJunkRoots('board has top-level types outside the doc layout (ignored)')
    // No 'update' listener: Yjs would re-encode every transaction (~100 µs for a note). Client
    // updates are kept as the bytes that came in; the server's own transactions are encoded
    // once each (transactRecorded), a fixed client update as its net result.
    this.doc.on('afterTransaction', this.onAfterTransaction)
    this.facilitation = new RoomFacilitation(
      this.doc,
      {
        boardId: id,
        log: host.log,
        write: (fn) => {
          if (!this.destroyed) this.transactRecorded(fn, FACILITATION_ORIGIN)
        },
        ballots: (voteId) => host.ballots(this, voteId),
        closeVote: (voteId) => host.closeVote(this, voteId),
        forgetBallots: (voteId) => host.forgetBallots(this, voteId),
        whenPersisted: () => this.whenPersisted(),
        now: () => Date.now(),
        voteOpened: () => this.presence?.stripParticipantPresence(),
      },
      () => this.presence.awareness.getStates(),
    )
    this.presence = new Presence(
      this.doc,
      this.conns,
      host.awarenessBatchMs,
      (payload) => host.publish(this, 'awareness', payload),
      REMOTE_ORIGIN,
      () => this.facilitation.voteOpen,
      () => this.facilitation.awarenessChanged(),
    )
  }

  /** The room's awareness (states as sanitized by presence.ts). */
  get awareness(): awarenessProtocol.Awareness {
    return this.presence.awareness
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
    this.presence.join(conn)
  }

  /** Removes a connection and the awareness states it announced. */
  removeConnection(conn: Connection): void {
    if (!this.conns.delete(conn)) return
    this.presence.leave(conn)
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
        this.presence.applyFromClient(conn, payload)
      } catch (e) {
        conn.close('malformedMessage', `awareness: ${(e as Error).message}`)
      }
    } else {
      this.presence.answerQuery(conn)
    }
  }

  /** Sync step 2 for a client's state vector; waits for pending updates to reach disk first. */
  private answerStep1(conn: Connection, stateVector: Uint8Array): void {
    let reply: () => void
    if (stateVector.length === EMPTY_STATE_VECTOR_LENGTH && stateVector[0] === 0) {
      reply = () => this.joinCache.answer(conn, this.doc)
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

  /** What the policy knows of `conn` for its next update (the session flags as they are now). */
  private accessOf(conn: Connection): Access {
    const p = conn.principal
    return {
      role: p.role,
      side: p.side,
      personId: p.personId,
      name: conn.user?.name ?? null,
      chosenSide: conn.user?.side ?? null,
      flags: readSessionFlags((key) => this.session.get(key)),
    }
  }

  /** As whom `conn`'s text edits count (SESS-3): its sanitized presence, which names its principal. */
  private editorOf(conn: Connection): PresenceUser | null {
    const user = conn.user
    return user && user.id === conn.principal.personId ? user : null
  }

  private applyClientUpdate(conn: Connection, update: Uint8Array): void {
    // SRV-4: Yjs creates a top-level type while it decodes an update, so a write outside the
    // doc layout is refused before the update is applied: nothing of it is kept or relayed.
    const outside = this.writes.writesOutsideLayout(update, conn.principal.role === 'viewer' ? null : conn.principal.personId, (client) => {
      // y-websocket announces its doc's client id as its awareness id
      for (const c of this.conns) if (c.awarenessIds.has(client)) return c.principal.personId
      return undefined
    })
    if (outside) {
      conn.close(outside.code, outside.reason)
      return
    }
    // ROLE-1: a viewer's update is dropped before it is applied; one with news closes it.
    if (conn.principal.role === 'viewer') {
      let news: boolean
      try {
        news = carriesNews(this.doc, update)
      } catch (e) {
        conn.close('invalidUpdate', (e as Error).message)
        return
      }
      if (news) conn.close('forbidden', 'a viewer sent changes to the board')
      return
    }
    this.writes.begin({ conn, access: this.accessOf(conn), editor: this.editorOf(conn) })
    this.lastTransaction = null
    let failure: Error | null = null
    const store = this.doc.store
    const pendingBefore = store.pendingStructs !== null || store.pendingDs !== null
    try {
      Y.applyUpdate(this.doc, update, conn)
    } catch (e) {
      // Yjs integrates the structs before it reads the delete set: an update that fails there
      // has changed the doc. Keep exactly that change (its refused writes undone), so memory
      // and disk stay the same.
      failure = e as Error
    }
    if (!pendingBefore && (store.pendingStructs !== null || store.pendingDs !== null)) {
      // ROLE-9: what Yjs kept back (deletions of clocks the doc lacks, structs behind a gap)
      // would be applied later inside someone else's update: dropped, and the writer closed.
      store.pendingStructs = null
      store.pendingDs = null
      failure ??= new Error('the update depends on content the server does not have')
    }
    const tr = this.lastTransaction as Y.Transaction | null
    this.lastTransaction = null
    const outcome = this.writes.finish()
    // Not expected: writesOutsideLayout reads what Yjs reads. Should a root slip through, it
    // is ignored like one from storage (never a reason to close the board's other clients).
    this.noteJunkRoots('an update created top-level types the pre-check missed (ignored)')
    const ownTr = tr && tr.origin === conn ? tr : null
    if (outcome.fixed || failure) {
      // ROLE-7, ROLE-8: what the doc kept of the update, after the server undid or corrected
      // it — never the client's bytes, which carry the refused content.
      if (ownTr && (outcome.fixed || changedDoc(ownTr))) {
        this.record(Y.encodeStateAsUpdate(this.doc, encodeStateVector(ownTr.beforeState)), VALIDATOR_ORIGIN)
      }
    } else if (!isEmptyUpdate(update)) {
      this.record(update, conn)
    }
    if (failure) conn.close('invalidUpdate', failure.message)
    else if (outcome.refused) conn.close(outcome.refused.code, outcome.refused.reason)
    else this.edits.commit(outcome.candidates)
  }

  /** Adds top-level types outside the doc layout to `junkRoots`, logging one line naming the new ones. */
  private noteJunkRoots(message: string): void {
    if (this.doc.share.size === LAYOUT_ROOTS.size + this.junkRoots.size) return // the layout and the known junk
    const added: string[] = []
    for (const name of this.doc.share.keys()) {
      if (LAYOUT_ROOTS.has(name) || this.junkRoots.has(name)) continue
      this.junkRoots.add(name)
      added.push(name)
    }
    if (added.length === 0) return
    const shown = added.slice(0, 20).map((n) => JSON.stringify(n.slice(0, 40)))
    this.host.log.warn(message, { board: this.id, count: added.length, roots: shown.join(', ') + (added.length > shown.length ? ', …' : '') })
  }

  /** Writes changed edit counts into `meta` (persisted and relayed like any update). */
  writeEditCounts(): void {
    if (!this.destroyed) this.edits.flush()
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
    this.joinCache.push(update)
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
      } else this.presence.applyRemote(m.payload)
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

  /** Encodes the whole board (for a snapshot). */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc)
  }

  /** Frees the doc and timers. The room must have no connections and nothing pending. */
  destroy(): void {
    this.destroyed = true
    this.facilitation.destroy()
    this.joinCache.clear()
    this.presence.destroy()
    this.edits.destroy()
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
