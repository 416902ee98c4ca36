import type { WebSocket } from 'ws'
import { CloseCode, type CloseCodeName, type PresenceUser } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'

let nextConnectionId = 1
const NO_COMPRESSION = { binary: true, compress: false } as const
const COMPRESSION = { binary: true, compress: true } as const

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

  constructor(
    readonly ws: WebSocket,
    readonly boardId: string,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
  ) {}

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN
  }

  /**
   * Sends one binary message. A client whose unsent queue is over the limit is closed
   * with `tooSlow` (it resyncs from scratch on reconnect) instead of buffering forever.
   */
  send(message: Uint8Array): void {
    if (this.checkQueue()) this.ws.send(message, NO_COMPRESSION)
  }

  /**
   * Sends a message for this client alone (a sync answer, often the whole board),
   * compressed when the client accepted permessage-deflate and it is large. Relayed
   * messages go out uncompressed: ws would deflate them once per receiver.
   */
  sendOwn(message: Uint8Array): void {
    if (this.checkQueue()) this.ws.send(message, COMPRESSION)
  }

  /** False (and the client closed as too slow) when its unsent queue is over the limit. */
  private checkQueue(): boolean {
    if (!this.isOpen) return false
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.close('tooSlow', `send queue ${this.ws.bufferedAmount} bytes`)
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

  /** Closes the socket with a named code, logging one line. Idempotent. */
  close(name: CloseCodeName, detail?: string): void {
    if (this.closed) return
    this.closed = true
    const { code, reason } = CloseCode[name]
    if (name !== 'goingAway') {
      this.log.warn('closing connection', { board: this.boardId, conn: this.id, code, reason, detail })
    }
    try {
      this.ws.close(code, reason)
    } catch {
      this.ws.terminate()
    }
  }

  /** Marks the connection closed after the peer went away. */
  markClosed(): void {
    this.closed = true
  }
}
