import * as Y from 'yjs'
import { Connection } from './connection.ts'
import { encodeSync, SyncStep } from './messages.ts'

/** One update of a room's batch and who made it (a `Connection`, or the server itself). */
export interface PendingUpdate {
  update: Uint8Array
  origin: unknown
}

/** Batches up to this many updates give their writers the others' updates one by one. */
export const DIRECT_MAX = 16

/**
 * Relays a persisted batch (SRV-2, SRV-3): every receiver that wrote nothing in it gets one
 * message of `merged` (encoded once, shared); a writer gets everyone else's updates and never
 * its own.
 *
 * A writer's share is built without merging per writer (that is quadratic in the batch and
 * made a 200-client room collapse): the batch is cut into chunks of about √n updates, a
 * writer's updates all in one chunk, each chunk merged and encoded at most once, each single
 * update encoded at most once. A writer gets the merged chunks it wrote nothing in and, from
 * its own chunk, the others' single updates — about 2√n frames, sent corked (one write to the
 * socket). Batches of up to `DIRECT_MAX` updates are one chunk: a writer gets the others'
 * updates one by one.
 */
export function relayBatch(conns: Iterable<Connection>, batch: readonly PendingUpdate[], merged: Uint8Array): void {
  const writers = new Set<Connection>()
  for (const p of batch) if (p.origin instanceof Connection) writers.add(p.origin)
  let forAll: Uint8Array | null = null
  const shares = writers.size > 0 ? new WriterShares(batch) : null
  for (const conn of conns) {
    if (!writers.has(conn)) {
      forAll ??= encodeSync(SyncStep.update, merged)
      conn.send(forAll)
    } else {
      shares!.sendTo(conn)
    }
  }
}

interface Chunk {
  /** Indices into the batch, in batch order. */
  items: number[]
  writers: Set<unknown>
  message: Uint8Array | null
}

/** The pieces writers of one batch get, each merged and encoded at most once. */
class WriterShares {
  private readonly singles: (Uint8Array | null)[]
  private readonly chunks: Chunk[] = []

  constructor(private readonly batch: readonly PendingUpdate[]) {
    this.singles = new Array<Uint8Array | null>(batch.length).fill(null)
    // A writer's updates stay together in one chunk (updates of different writers are
    // independent: Yjs integrates them in any order).
    const byWriter = new Map<unknown, number[]>()
    batch.forEach((p, i) => {
      const list = byWriter.get(p.origin)
      if (list) list.push(i)
      else byWriter.set(p.origin, [i])
    })
    const size = batch.length <= DIRECT_MAX ? batch.length : Math.ceil(Math.sqrt(batch.length))
    let chunk: Chunk | null = null
    for (const [writer, items] of byWriter) {
      if (!chunk || chunk.items.length >= size) {
        chunk = { items: [], writers: new Set(), message: null }
        this.chunks.push(chunk)
      }
      chunk.items.push(...items)
      chunk.writers.add(writer)
    }
    for (const c of this.chunks) c.items.sort((a, b) => a - b)
  }

  sendTo(conn: Connection): void {
    const out: Uint8Array[] = []
    for (const chunk of this.chunks) {
      if (!chunk.writers.has(conn)) out.push(this.chunkMessage(chunk))
      else for (const i of chunk.items) if (this.batch[i].origin !== conn) out.push(this.single(i))
    }
    conn.sendAll(out)
  }

  private single(i: number): Uint8Array {
    return (this.singles[i] ??= encodeSync(SyncStep.update, this.batch[i].update))
  }

  private chunkMessage(chunk: Chunk): Uint8Array {
    if (chunk.items.length === 1) return this.single(chunk.items[0])
    return (chunk.message ??= encodeSync(SyncStep.update, Y.mergeUpdates(chunk.items.map((i) => this.batch[i].update))))
  }
}
