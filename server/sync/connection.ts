import type { WebSocket } from 'ws'
import { CloseCode, type CloseCodeName, type PresenceUser, type Principal } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'

let nextConnectionId = 1
/** The principal of connections made without one (unit tests of the sync layer): a facilitator. */
export const TEST_PRINCIPAL: Principal = Object.freeze({ role: 'facilitator', side: null, personId: 'test-person', link: 'facilitator' })
const NO_COMPRESSION = { binary: true, compress: false } as const
const COMPRESSION = { binary: true, compress: true } as const
/** How long a send queue may sit undrained before the client counts as stuck (CLIENT_STALL_MS). */
export const DEFAULT_STALL_MS = 5000
/** The stall clock waits for a client's own sync answer at most this many times CLIENT_STALL_MS. */
export const OWN_ANSWER_STALL_FACTOR = 6
/**
 * A connection that was sent nothing for this long gets an empty awareness update (SRV-9):
 * y-websocket drops a socket that received nothing for 30 s, and the server never echoes a
 * client's own awareness, so a lone client (or a viewer) in a quiet room would reconnect
 * every 30 s.
 */
export const KEEPALIVE_MS = 10_000
/** An awareness message with no states: every y-websocket client reads it and changes nothing. */
export const KEEPALIVE_MESSAGE = new Uint8Array([1, 1, 0])
/** A closed socket whose peer has not completed the close handshake by then is dropped. */
export const CLOSE_GRACE_MS = 2000
/** The largest websocket frame header a server sends (no mask): 2 + 8 bytes, rounded up. */
const FRAME_HEADER_MAX = 14

/**
 * One client socket in one room. Owns the socket's send queue limit and the set of
 * awareness client ids the client announced (removed when it leaves).
 */
export class Connection {
  readonly id = nextConnectionId++
  /** Awareness client ids announced through this socket. */
  readonly awarenessIds = new Set<number>()
  /** Who is on the other end, from the `user` field of its awareness state (for edit counts). */
  user: PresenceUser | null = null
  private closed = false
  /** When something was last sent (performance.now()). */
  private lastSentAt = performance.now()
  /** The named code the server closed this connection with (null: open, or the peer left). */
  closedWith: CloseCodeName | null = null
  /** The send queue right after the last send: a smaller queue later means it drained. */
  private queuedAfterLastSend = 0
  /** Since when the queue has not drained (0: it has, or is empty). */
  private stalledSince = 0
  /**
   * SRV-8: this client's own sync answer (a joiner's whole board: 23 MB at 50,000 notes, which
   * ws counts in full until it has deflated it) while any of it is still queued: its size, and
   * the bytes queued after it (the answer is out once the queue holds no more than those). It
   * does not count against maxBufferedBytes, and the stall clock waits (ws deflates answers a
   * few at a time: many joiners at once wait for each other).
   */
  private own: { bytes: number; after: number; since: number } | null = null
  constructor(
    readonly ws: WebSocket,
    readonly boardId: string,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
    private readonly stallMs = DEFAULT_STALL_MS,
    /** Who is on the other end, from the connection's token (server/auth): every permission asks it. */
    readonly principal: Principal = TEST_PRINCIPAL,
  ) {}

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN
  }

  /**
   * Sends one binary message. A client whose unsent queue is over the limit is closed
   * with `tooSlow` (it resyncs from scratch on reconnect) instead of buffering forever.
   */
  send(message: Uint8Array): void {
    this.write(message, NO_COMPRESSION)
  }

  /**
   * Sends a message for this client alone (a sync answer, often the whole board),
   * compressed when the client accepted permessage-deflate and it is large. Relayed
   * messages go out uncompressed: ws would deflate them once per receiver.
   */
  sendOwn(message: Uint8Array): void {
    this.write(message, COMPRESSION, true)
  }

  private write(message: Uint8Array, options: typeof NO_COMPRESSION | typeof COMPRESSION, own = false): void {
    if (!this.checkQueue()) return
    this.ws.send(message, options)
    this.lastSentAt = performance.now()
    // A second answer while the first is queued: the larger one counts, not both (a client
    // that asks again and again without reading is still closed).
    if (own) this.own = { bytes: Math.max(message.length, this.own?.bytes ?? 0), after: 0, since: this.own?.since ?? performance.now() }
    else if (this.own) this.own.after += message.length + FRAME_HEADER_MAX
    this.queuedAfterLastSend = this.ws.bufferedAmount
  }

  /**
   * False (and the client closed as too slow, SRV-8) when its unsent queue is over the limit
   * (its own sync answer, while queued, not counted), or has not drained at all for `stallMs`
   * while there was something to send (not while its own answer is still going out): a client
   * that stopped reading is resynced on reconnect instead of being buffered up to the limit.
   */
  private checkQueue(): boolean {
    if (!this.isOpen) return false
    const queued = this.ws.bufferedAmount
    if (this.own && queued <= this.own.after) this.own = null
    const limit = this.maxBufferedBytes + (this.own?.bytes ?? 0)
    if (queued > limit) {
      this.close('tooSlow', `send queue ${queued} bytes`)
      return false
    }
    // The stall clock waits for an own answer at most OWN_ANSWER_STALL_FACTOR x stallMs: a
    // client that never reads is not kept for good by one answer it never takes.
    const answering = this.own !== null && performance.now() - this.own.since < this.stallMs * OWN_ANSWER_STALL_FACTOR
    if (answering || queued === 0 || queued < this.queuedAfterLastSend) this.stalledSince = 0
    else if (this.stalledSince === 0) this.stalledSince = performance.now()
    else if (performance.now() - this.stalledSince > this.stallMs) {
      this.close('tooSlow', `send queue of ${queued} bytes not drained for ${this.stallMs} ms`)
      return false
    }
    return true
  }

  /** Sends several messages in one write to the socket (corked), in order. */
  sendAll(messages: readonly Uint8Array[]): void {
    if (messages.length === 0) return
    if (messages.length === 1) return this.send(messages[0])
    // ws corks each frame's header and payload; an outer cork makes all frames one writev.
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket
    socket?.cork()
    try {
      for (const m of messages) this.send(m)
    } finally {
      socket?.uncork()
    }
  }

  /** Sends {@link KEEPALIVE_MESSAGE} when nothing was sent for `idleMs` (SRV-9). */
  keepAlive(now: number, idleMs = KEEPALIVE_MS): void {
    if (this.isOpen && now - this.lastSentAt >= idleMs) this.send(KEEPALIVE_MESSAGE)
  }

  /** Closes the socket with a named code, logging one line. Idempotent. */
  close(name: CloseCodeName, detail?: string): void {
    if (this.closed) return
    this.closed = true
    this.closedWith = name
    const { code, reason } = CloseCode[name]
    if (name !== 'goingAway') {
      this.log.warn('closing connection', { board: this.boardId, conn: this.id, code, reason, detail })
    }
    try {
      this.ws.close(code, reason)
    } catch {
      this.ws.terminate()
      return
    }
    // A client that does not read never sees the close frame (it waits behind the unsent
    // queue): drop the socket, and the queue with it, after a short grace.
    const grace = setTimeout(() => this.ws.terminate(), name === 'tooSlow' ? 0 : CLOSE_GRACE_MS)
    grace.unref()
    this.ws.once('close', () => clearTimeout(grace))
  }

  /** Marks the connection closed after the peer went away. */
  markClosed(): void {
    this.closed = true
  }
}
