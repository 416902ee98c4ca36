import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../log.ts'
import type { Fanout, FanoutKind, FanoutMessage } from './types.ts'

const INSTANCE_ID_BYTES = 16
const KIND_CODE: Record<FanoutKind, number> = { update: 0, awareness: 1, links: 2 }
const CODE_KIND: FanoutKind[] = ['update', 'awareness', 'links']

/** Redis channel of one board. */
export function boardChannel(boardId: string): string {
  return `arvo:board:${boardId}`
}

/**
 * Redis pub/sub fan-out: one channel per board; every message is
 * `instanceId (16 bytes) | kind (1 byte) | payload`, and a process drops its own.
 */
export class RedisFanout implements Fanout {
  readonly name: string
  readonly instanceId = randomBytes(INSTANCE_ID_BYTES)
  private pub: Redis
  private sub: Redis
  private handlers = new Map<string, (m: FanoutMessage) => void>()
  private reconnectListeners: (() => void)[] = []
  private readyOnce = false

  constructor(url: string, private readonly log: Logger) {
    this.name = `redis:${new URL(url).host}`
    const opts = { maxRetriesPerRequest: null, enableAutoPipelining: true, lazyConnect: false }
    this.pub = new Redis(url, opts)
    this.sub = new Redis(url, opts)
    for (const c of [this.pub, this.sub]) c.on('error', (e: Error) => this.log.warn('redis error', { error: e.message }))
    this.sub.on('ready', () => {
      if (this.readyOnce) {
        this.log.warn('redis reconnected; catching up boards from storage')
        for (const fn of this.reconnectListeners) fn()
      }
      this.readyOnce = true
    })
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const handler = this.handlers.get(channel.toString().slice('arvo:board:'.length))
      if (!handler || message.length < INSTANCE_ID_BYTES + 1) return
      if (message.subarray(0, INSTANCE_ID_BYTES).equals(this.instanceId)) return
      const kind = CODE_KIND[message[INSTANCE_ID_BYTES]]
      if (!kind) return
      handler({ kind, payload: new Uint8Array(message.subarray(INSTANCE_ID_BYTES + 1)) })
    })
  }

  async subscribe(boardId: string, onMessage: (m: FanoutMessage) => void): Promise<void> {
    this.handlers.set(boardId, onMessage)
    await this.sub.subscribe(boardChannel(boardId))
  }

  async unsubscribe(boardId: string): Promise<void> {
    this.handlers.delete(boardId)
    await this.sub.unsubscribe(boardChannel(boardId)).catch(() => {})
  }

  publish(boardId: string, kind: FanoutKind, payload: Uint8Array): void {
    const msg = Buffer.allocUnsafe(INSTANCE_ID_BYTES + 1 + payload.length)
    this.instanceId.copy(msg, 0)
    msg[INSTANCE_ID_BYTES] = KIND_CODE[kind]
    msg.set(payload, INSTANCE_ID_BYTES + 1)
    this.pub.publish(boardChannel(boardId), msg).catch((e: Error) => this.log.warn('redis publish failed', { board: boardId, error: e.message }))
  }

  onReconnect(fn: () => void): void {
    this.reconnectListeners.push(fn)
  }

  async close(): Promise<void> {
    this.handlers.clear()
    await Promise.allSettled([this.pub.quit(), this.sub.quit()])
  }
}
