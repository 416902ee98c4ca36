// The export worker (see server/http/exportJobs.ts): reads a board from storage (its own
// connection, reads only) and renders one export of it. One job at a time: the pool gives a
// thread its next job only after the last one answered.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import type { StorageLocation } from '../storage/compactor.ts'
import { PostgresStorage } from '../storage/postgres.ts'
import { SqliteStorage } from '../storage/sqlite.ts'
import type { BoardStorage } from '../storage/types.ts'
import { parsedFonts } from './pdf/fonts.ts'
import { buildExport, ExportRenderError, type ExportJob } from './workerJob.ts'

const location = workerData as StorageLocation
const storage: BoardStorage =
  location.kind === 'sqlite' ? new SqliteStorage(location.dataDir, location.durability) : new PostgresStorage(location.url, { max: 1 })

// EXP-8: this thread yields the CPU to the event loop that relays edits when cores are short:
// Linux gives each thread its own nice value (/proc/thread-self names this thread's id). Best effort.
try {
  const tid = Number(/\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1])
  if (tid > 0) setPriority(tid, 10)
} catch {
  // not Linux, or not allowed: the same priority as the server
}

// the fonts are parsed once per thread, before the first job arrives
parsedFonts()

parentPort!.on('message', (job: ExportJob & { id: number }) => {
  buildExport(storage, job).then(
    (result) => {
      if (!result) return parentPort!.postMessage({ id: job.id, missing: true })
      const body = result.body
      // moved, not copied, when the bytes own their buffer (small Buffers share Node's pool)
      const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
      parentPort!.postMessage({ id: job.id, body, title: result.title }, own ? [body.buffer as ArrayBuffer] : [])
    },
    (e: Error) => parentPort!.postMessage({ id: job.id, error: e.message, render: e instanceof ExportRenderError }),
  )
})
// started: a job's time limit counts from here (the thread's start-up is not the render's time)
parentPort!.postMessage({ ready: true })
