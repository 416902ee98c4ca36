import * as Y from 'yjs'
import type { Connection } from './connection.ts'
import { encodeSync, SyncStep } from './messages.ts'

/** The cache is dropped when its tail grows past this many updates… */
export const JOIN_CACHE_MAX_TAIL = 256
/** …or this many bytes; it is rebuilt on the next joiner. */
export const JOIN_CACHE_MAX_TAIL_BYTES = 512 * 1024

/**
 * What a new joiner (empty state vector) gets (SYNC-6): one cached sync-step-2 message of the
 * whole doc plus the update messages since it was encoded, so a busy board is not re-encoded
 * for every joiner. Dropped when the tail grows past the limits above; rebuilt on demand.
 */
export class JoinCache {
  private cache: { state: Uint8Array; tail: Uint8Array[]; tailBytes: number } | null = null

  /** A change the doc took in (as recorded: persisted or relayed): it joins the tail. */
  push(update: Uint8Array): void {
    const c = this.cache
    if (!c) return
    const message = encodeSync(SyncStep.update, update)
    c.tail.push(message)
    c.tailBytes += message.length
    if (c.tail.length > JOIN_CACHE_MAX_TAIL || c.tailBytes > JOIN_CACHE_MAX_TAIL_BYTES) this.cache = null
  }

  /**
   * Sends a joiner the whole board: the updates since the cache first, then the cached state
   * as sync step 2 (a stock y-websocket client is "synced" at step 2, and by then it holds the
   * whole board: Yjs keeps the earlier updates pending until the state they build on arrives).
   */
  answer(conn: Connection, doc: Y.Doc): void {
    this.cache ??= { state: encodeSync(SyncStep.step2, Y.encodeStateAsUpdate(doc)), tail: [], tailBytes: 0 }
    conn.sendAll(this.cache.tail)
    conn.sendOwn(this.cache.state)
  }

  clear(): void {
    this.cache = null
  }
}
