// The summary worker (see summaries.ts): reads a board from storage (its own connection, reads
// only) and builds its summary.json body. One board at a time, in arrival order.
import { parentPort, workerData } from 'node:worker_threads'
import type { Language } from '../../shared/i18n/index.ts'
import type { StorageLocation } from '../storage/compactor.ts'
import { PostgresStorage } from '../storage/postgres.ts'
import { SqliteStorage } from '../storage/sqlite.ts'
import type { BoardStorage } from '../storage/types.ts'
import { summaryBody } from './summaries.ts'

const location = workerData as StorageLocation
const storage: BoardStorage =
  location.kind === 'sqlite' ? new SqliteStorage(location.dataDir, location.durability) : new PostgresStorage(location.url, { max: 1 })

interface Job {
  id: number
  boardId: string
  language: Language
  generatedAt: string
  knownSeq: number
}

let queue = Promise.resolve()
parentPort!.on('message', (job: Job) => {
  queue = queue.then(async () => {
    try {
      const stored = await storage.load(job.boardId)
      if (!stored) return parentPort!.postMessage({ id: job.id, missing: true })
      if (stored.lastSeq === job.knownSeq) return parentPort!.postMessage({ id: job.id, seq: stored.lastSeq })
      const body = summaryBody(stored, job)
      parentPort!.postMessage({ id: job.id, seq: stored.lastSeq, body }, [body.buffer as ArrayBuffer])
    } catch (e) {
      parentPort!.postMessage({ id: job.id, error: (e as Error).message })
    }
  })
})
