// The compaction worker (see compactor.ts). One board at a time, in arrival order.
import { parentPort, workerData } from 'node:worker_threads'
import * as Y from 'yjs'
import type { StorageLocation } from './compactor.ts'
import { PostgresStorage } from './postgres.ts'
import { SqliteStorage } from './sqlite.ts'
import { replayStored } from './replay.ts'
import type { BoardStorage } from './types.ts'

const location = workerData as StorageLocation
const storage: BoardStorage =
  location.kind === 'sqlite' ? new SqliteStorage(location.dataDir, location.durability) : new PostgresStorage(location.url, { max: 1 })

let queue = Promise.resolve()

// WAL checkpoints run here, off the server's event loop (SRV-6; the server turned its own off).
// A checkpoint that finds the database busy copies less and the next one goes on.
if (storage instanceof SqliteStorage) {
  const sqlite = storage
  setInterval(() => {
    queue = queue
      .then(() => sqlite.checkpoint())
      .catch((e: Error) => parentPort!.postMessage({ id: 0, warning: `WAL checkpoint failed: ${e.message}` }))
  }, 1000)
}
parentPort!.on('message', ({ id, boardId }: { id: number; boardId: string }) => {
  queue = queue.then(async () => {
    try {
      const stored = await storage.load(boardId)
      if (stored && stored.updates.length > 0) {
        const doc = replayStored(stored)
        const snapshot = Y.encodeStateAsUpdate(doc)
        doc.destroy()
        if (storage instanceof SqliteStorage) {
          // SQLite has one writer: the server's connection writes the snapshot (a write here
          // holds the lock while the event loop's next commit sleeps in SQLite's busy wait).
          parentPort!.postMessage({ id, uptoSeq: stored.lastSeq, snapshot }, [snapshot.buffer as ArrayBuffer])
          return
        }
        await storage.compact(boardId, snapshot, stored.lastSeq)
      }
      // the log position the snapshot now covers
      parentPort!.postMessage({ id, uptoSeq: stored?.lastSeq ?? 0 })
    } catch (e) {
      parentPort!.postMessage({ id, error: (e as Error).message })
    }
  })
})
