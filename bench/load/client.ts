/**
 * One load client: a real Y.Doc speaking the y-websocket protocol (or Hocuspocus' framing
 * of it) over a real websocket. Written for the benchmark, without the provider's timers.
 *
 * Two modes:
 * - full: applies every update it receives to its Y.Doc (what a browser does); latency is
 *   taken after `Y.applyUpdate` returned.
 * - count: applies only the initial sync; every later update is counted by scanning it for
 *   edit markers (see workload.ts), latency taken on arrival. Its own writes are still real
 *   Yjs updates from its Y.Doc (it only ever writes records it created, so it never needs
 *   other clients' state to write correctly).
 */
import { createHash } from 'node:crypto'
import type { Socket } from 'node:net'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { nowUs } from './stats.ts'
import {
  coordinate,
  CURSOR_MARK,
  EDIT_MARK,
  marker,
  noteRecord,
  noteText,
  presenceState,
  randomId,
  randomIndex,
  scanMarkers,
} from './workload.ts'

/** How frames are wrapped: plain y-websocket, or Hocuspocus (doc name first, auth handshake). */
export type Dialect = 'y-websocket' | 'hocuspocus'

export interface ClientSpec {
  /** Global client index: the sender id in markers. */
  index: number
  url: string
  /** Document name inside Hocuspocus frames. */
  docName: string
  dialect: Dialect
  full: boolean
  /** Publish a presence (awareness) state on connect, as a browser tab does. */
  presence: boolean
  /**
   * Full clients only: count as synced once the doc holds this many records, not at the
   * first sync step 2 (a server may answer with a cached state followed by the updates
   * made since, as ours does).
   */
  minRecords?: number
  /**
   * Two-process mode: the server process this client is on (0-based) and how many there are.
   * Clients alternate, so client i is on process i % procs; a receiver tells same-process
   * from cross-process senders by that rule.
   */
  proc?: number
  procs?: number
}

/** Where a client reports what it receives. */
export interface ClientSink {
  edit(receiver: BenchClient, sender: number, seq: number, sentUs: number, atUs: number): void
  cursor(receiver: BenchClient, sender: number, seq: number, sentUs: number, atUs: number): void
}

const MSG_SYNC = 0
const MSG_AWARENESS = 1
const MSG_AUTH = 2
const MSG_SYNC_REPLY = 4 // Hocuspocus: a sync message that does not ask for step 1 back
const STEP1 = 0
const STEP2 = 1
const UPDATE = 2
const AUTH_TOKEN = 0
const AUTH_DENIED = 1

const LOCAL = Symbol('local')
const REMOTE = Symbol('remote')

interface OwnNote {
  id: string
  x: number
  y: number
  text: string
  index: string
}

export class BenchClient {
  readonly doc = new Y.Doc()
  readonly records: Y.Map<unknown>
  readonly ws: WebSocket
  /** Monotonic µs: connect started / socket open / sync step 2 arrived / step 2 applied. */
  readonly startedUs: number
  openUs = 0
  step2Us = 0
  /** Arrival of the frame that completed the sync (before the client applied it). */
  receivedUs = 0
  syncedUs = 0
  /** Wire bytes (TCP payload incl. websocket framing) read when synced. */
  wireBytesAtSync = 0
  payloadBytesAtSync = 0
  msgsIn = 0
  payloadBytesIn = 0
  msgsOut = 0
  payloadBytesOut = 0
  editsSent = 0
  cursorsSent = 0
  closeCode = 0
  closeReason = ''
  closedByUs = false
  /** Monotonic µs of the last frame received. */
  lastMessageUs = 0
  error: string | null = null
  readonly synced: Promise<void>
  /** Own notes, and the marker last written to each (the expected final state). */
  readonly own: OwnNote[] = []
  readonly lastMarker = new Map<string, string>()

  private socket: Socket | null = null
  private resolveSynced!: () => void
  private rejectSynced!: (e: Error) => void
  private isSynced = false
  private awarenessClock = 0
  private noteSeq = 0
  private readonly prefix: Uint8Array

  constructor(
    readonly spec: ClientSpec,
    private readonly sink: ClientSink | null,
  ) {
    this.records = this.doc.getMap('records')
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve
      this.rejectSynced = reject
    })
    this.synced.catch(() => undefined)
    const pe = encoding.createEncoder()
    if (spec.dialect === 'hocuspocus') encoding.writeVarString(pe, spec.docName)
    this.prefix = encoding.toUint8Array(pe)
    this.startedUs = nowUs()
    this.ws = new WebSocket(spec.url)
    this.ws.binaryType = 'nodebuffer'
    this.ws.on('upgrade', (res) => {
      this.socket = res.socket as Socket
    })
    this.ws.on('open', () => this.onOpen())
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.onMessage(data)
    })
    this.ws.on('error', (e: Error) => {
      this.error ??= e.message
      this.rejectSynced(e)
    })
    this.ws.on('close', (code: number, reason: Buffer) => {
      this.closeCode = code
      this.closeReason = reason.toString()
      this.rejectSynced(new Error(`closed ${code} ${this.closeReason}`))
    })
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  get isSyncedNow(): boolean {
    return this.isSynced
  }

  /** TCP payload bytes read so far (0 before the upgrade). */
  get wireBytesIn(): number {
    return this.socket?.bytesRead ?? 0
  }

  get wireBytesOut(): number {
    return this.socket?.bytesWritten ?? 0
  }

  // ---- sending -----------------------------------------------------------------------

  private send(write: (e: encoding.Encoder) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return
    const e = encoding.createEncoder()
    encoding.writeUint8Array(e, this.prefix)
    write(e)
    const bytes = encoding.toUint8Array(e)
    this.msgsOut++
    this.payloadBytesOut += bytes.length
    this.ws.send(bytes)
  }

  private sendSync(step: number, payload: Uint8Array): void {
    this.send((e) => {
      encoding.writeVarUint(e, MSG_SYNC)
      encoding.writeVarUint(e, step)
      encoding.writeVarUint8Array(e, payload)
    })
  }

  private sendAwareness(state: object | null): void {
    const clock = ++this.awarenessClock
    this.send((e) => {
      encoding.writeVarUint(e, MSG_AWARENESS)
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, this.doc.clientID)
      encoding.writeVarUint(inner, clock)
      encoding.writeVarString(inner, JSON.stringify(state))
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
    })
  }

  private onOpen(): void {
    this.openUs = nowUs()
    if (this.spec.dialect === 'hocuspocus') {
      // Hocuspocus queues everything after the auth message until the token is accepted.
      this.send((e) => {
        encoding.writeVarUint(e, MSG_AUTH)
        encoding.writeVarUint(e, AUTH_TOKEN)
        encoding.writeVarString(e, '')
      })
    }
    this.sendSync(STEP1, Y.encodeStateVector(this.doc))
    if (this.spec.presence) this.sendAwareness(presenceState(this.spec.index, null, null))
  }

  // ---- receiving ---------------------------------------------------------------------

  private onMessage(data: Buffer): void {
    const atUs = nowUs()
    this.lastMessageUs = atUs
    this.msgsIn++
    this.payloadBytesIn += data.length
    try {
      const d = decoding.createDecoder(data)
      if (this.spec.dialect === 'hocuspocus') decoding.readVarString(d)
      const type = decoding.readVarUint(d)
      if (type === MSG_SYNC || type === MSG_SYNC_REPLY) {
        const step = decoding.readVarUint(d)
        const payload = decoding.readVarUint8Array(d)
        if (step === STEP1) this.sendSync(STEP2, Y.encodeStateAsUpdate(this.doc, payload))
        else if (step === STEP2 && !this.isSynced) this.onFirstStep2(payload, atUs)
        else if (step === STEP2 || step === UPDATE) this.onUpdate(data, payload, atUs)
      } else if (type === MSG_AWARENESS) {
        if (this.sink) {
          scanMarkers(data, CURSOR_MARK, (sender, seq, sentUs) => {
            if (sender !== this.spec.index) this.sink?.cursor(this, sender, seq, sentUs, atUs)
          })
        }
      } else if (type === MSG_AUTH) {
        if (decoding.readVarUint(d) === AUTH_DENIED) this.fail(`permission denied: ${decoding.readVarString(d)}`)
      }
      // Hocuspocus' SyncStatus acks (8) and anything else: counted above, nothing to do.
    } catch (e) {
      this.fail(`bad frame: ${(e as Error).message}`)
    }
  }

  private onFirstStep2(payload: Uint8Array, atUs: number): void {
    if (this.step2Us === 0) {
      this.step2Us = atUs
      Y.applyUpdate(this.doc, payload, REMOTE)
    } else if (this.spec.full) {
      Y.applyUpdate(this.doc, payload, REMOTE)
    }
    this.checkSynced()
  }

  private checkSynced(): void {
    if (this.isSynced || this.step2Us === 0) return
    if (this.spec.minRecords !== undefined && this.spec.full && this.records.size < this.spec.minRecords) return
    this.receivedUs = this.lastMessageUs
    this.syncedUs = nowUs()
    this.wireBytesAtSync = this.wireBytesIn
    this.payloadBytesAtSync = this.payloadBytesIn
    this.isSynced = true
    this.resolveSynced()
  }

  private onUpdate(frame: Buffer, payload: Uint8Array, atUs: number): void {
    let at = atUs
    if (this.spec.full) {
      Y.applyUpdate(this.doc, payload, REMOTE)
      at = nowUs()
      if (!this.isSynced) this.checkSynced()
    }
    if (!this.sink) return
    scanMarkers(frame, EDIT_MARK, (sender, seq, sentUs) => {
      if (sender !== this.spec.index) this.sink?.edit(this, sender, seq, sentUs, at)
    })
  }

  private fail(reason: string): void {
    this.error ??= reason
    this.rejectSynced(new Error(reason))
    this.close()
  }

  // ---- workload ----------------------------------------------------------------------

  /**
   * Runs `fn` in a local transaction and sends its update. The 'update' listener is attached
   * only for this transaction: with a listener present, Yjs encodes an update for every
   * transaction, remote ones included, which would double a full client's cost.
   */
  private localTransact(fn: () => void): void {
    const send = (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) this.sendSync(UPDATE, update)
    }
    this.doc.on('update', send)
    try {
      this.doc.transact(fn, LOCAL)
    } finally {
      this.doc.off('update', send)
    }
  }

  /**
   * One canvas edit: with probability `createShare` (or when it owns no note yet) new
   * notes, else a drag of its own notes (each record set again, whole, with a new x/y).
   * `notes` > 1 is a multi-select drag or a paste: that many records in one transaction;
   * only the first carries the edit's marker, so an edit is counted once.
   */
  edit(rand: () => number, createShare: number, notes = 1): void {
    const seq = ++this.editsSent
    const mark = marker('E', this.spec.index, seq, nowUs())
    const create = this.own.length < notes || rand() < createShare
    const batch: OwnNote[] = []
    // Distinct notes: a record set twice in one transaction would hide the marker.
    const picks = create ? [] : this.pickDistinct(notes, rand)
    for (let k = 0; k < notes; k++) {
      if (create) {
        const note = {
          // The writer's index is part of the id so that convergence checks know whose record it is.
          id: `shape:b${this.spec.index}n${this.noteSeq++}_${randomId(rand, 12)}`,
          x: coordinate(rand, 4000),
          y: coordinate(rand, 3000),
          text: noteText(rand),
          index: randomIndex(rand),
        }
        this.own.push(note)
        batch.push(note)
      } else {
        const note = this.own[picks[k]]
        note.x = Math.round((note.x + rand() * 40 - 20) * 100) / 100
        note.y = Math.round((note.y + rand() * 40 - 20) * 100) / 100
        batch.push(note)
      }
    }
    this.localTransact(() => {
      batch.forEach((note, k) => {
        const m = k === 0 ? mark : null
        if (m) this.lastMarker.set(note.id, m)
        else this.lastMarker.delete(note.id)
        this.records.set(note.id, noteRecord(note.id, note.x, note.y, note.text, m, note.index))
      })
    })
  }

  /** `count` distinct indexes into `own` (partial Fisher–Yates). */
  private pickDistinct(count: number, rand: () => number): number[] {
    if (count === 1) return [Math.floor(rand() * this.own.length)]
    const idx = this.own.map((_, i) => i)
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(rand() * (idx.length - i))
      ;[idx[i], idx[j]] = [idx[j], idx[i]]
    }
    return idx.slice(0, count)
  }

  /** Writes `count` new notes in transactions of `chunk` notes (to seed a big board). */
  seed(count: number, chunk: number, rand: () => number): void {
    for (let done = 0; done < count; done += chunk) {
      this.localTransact(() => {
        for (let i = done; i < Math.min(count, done + chunk); i++) {
          const id = `shape:${randomId(rand)}`
          const x = (i % 100) * 220 + coordinate(rand, 20)
          const y = Math.floor(i / 100) * 220 + coordinate(rand, 20)
          this.records.set(id, noteRecord(id, x, y, noteText(rand), null, randomIndex(rand)))
        }
      })
    }
  }

  /** Publishes a cursor position (awareness), with a marker for cursor latency. */
  moveCursor(rand: () => number): void {
    const seq = ++this.cursorsSent
    const mark = marker('C', this.spec.index, seq, nowUs())
    this.sendAwareness(presenceState(this.spec.index, { x: coordinate(rand, 4000), y: coordinate(rand, 3000) }, mark))
  }

  /** Stops reading from the socket (a stuck client: the server's sends pile up). */
  stall(): void {
    this.ws.pause()
  }

  resume(): void {
    this.ws.resume()
  }

  /** Hash of the records map (sorted keys, JSON values): equal hashes = equal boards. */
  recordsHash(): string {
    const h = createHash('sha1')
    const keys = [...this.records.keys()].sort()
    for (const k of keys) h.update(k).update('\0').update(JSON.stringify(this.records.get(k))).update('\n')
    return h.digest('hex')
  }

  /** True when the doc holds updates it cannot integrate yet (it missed an earlier update). */
  hasPendingUpdates(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null
  }

  /** recordId → marker of the version this doc holds (shape records written by the bench). */
  recordMarkers(): Map<string, string> {
    const out = new Map<string, string>()
    for (const [k, v] of this.records.entries()) {
      const b = (v as { meta?: { bench?: unknown } }).meta?.bench
      if (typeof b === 'string') out.set(k, b)
    }
    return out
  }

  close(): void {
    this.closedByUs = true
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) {
      try {
        this.ws.terminate()
      } catch {
        // already gone
      }
    }
    this.doc.destroy()
  }
}
