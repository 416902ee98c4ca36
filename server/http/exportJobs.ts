/**
 * Exports without stalling the server, and without piling up (rules EXP-8..EXP-10, server/SPEC.md).
 *
 * A 5,000-note board's PDF is ~5 s of CPU (20,000 notes: ~20 s); built on the event loop it
 * stopped every board from relaying edits for that long. Here:
 * - `ExportWorkers` renders in worker threads (one by default: this is a 2-core server). A
 *   thread reads the board from storage itself, with its own connection, like the summary and
 *   compaction workers, after the route waited for the room's pending edits to reach storage.
 *   Measured (5k / 20k notes): encoding a loaded room's doc on the main thread to hand it over
 *   costs 128 / 346 ms of event loop, reading the stored board there 5 / 40 ms; the worker
 *   reading it costs the event loop nothing, and route and CLI keep reading the same board
 *   (EXP-6). The thread is started on first use and kept; one that died, or was stopped after
 *   the time limit, is replaced by a new one on the next job.
 * - `ExportJobs` admits at most `running` exports at once and `queued` more waiting; beyond
 *   that an export is refused at once (`ExportBusy`: 503 with Retry-After). Requests for the
 *   same board version, format, language and paper made while one is being built share it.
 * Without a worker (a storage handed in, e.g. in-memory in tests) exports are built in-process,
 * still through `ExportJobs`.
 */
import { Worker } from 'node:worker_threads'
import type { ExportJob, ExportResult } from '../export/workerJob.ts'
import { ExportRenderError } from '../export/workerJob.ts'
import type { StorageLocation } from '../storage/compactor.ts'

/** A render running longer than this is stopped (its worker terminated). */
export const EXPORT_TIMEOUT_MS = 60_000
/** Exports running at once (worker threads) by default. */
export const EXPORT_WORKERS = 1
/** Exports waiting for a free worker by default; more are refused with 503. */
export const EXPORT_QUEUE = 2
/** `Retry-After` of a busy answer, seconds. */
export const EXPORT_RETRY_AFTER_S = 5
/** How long a new export worker may take to load its modules and fonts, beyond the time limit. */
export const EXPORT_WORKER_START_MS = 30_000
/**
 * Heap limit of an export worker: a render that needs more ends that worker only (500), not the
 * server. Measured peaks: a 5,000-note PDF needs 256-512 MB, a 20,000-note one 1-2 GB.
 */
export const EXPORT_WORKER_HEAP_MB = 2048

/** Too many exports running and waiting: refused at once, answered 503 with Retry-After. */
export class ExportBusy extends Error {
  constructor(readonly retryAfterS: number) {
    super('the server is busy making other exports; try again in a moment')
  }
}

/** An export that could not be made (timed out, worker died, worker error): answered 500 with this message. */
export class ExportFailed extends Error {}

const ENTRY = new URL('../export/worker.mjs', import.meta.url)

interface Running {
  id: number
  resolve(r: ExportResult | null): void
  reject(e: Error): void
  /** Stops the job (ExportFailed) once the time limit has passed. */
  expire(): void
  timer: NodeJS.Timeout | null
}

/** One worker thread, one job at a time; started on first use and again after it died or was stopped. */
class ExportThread {
  private worker: Worker | null = null
  /** The thread has loaded its modules and fonts (the time limit counts from then). */
  private ready = false
  private job: Running | null = null
  private nextId = 1
  private closed = false
  /** Threads started so far (tests: a stopped thread is replaced). */
  starts = 0

  constructor(
    private readonly location: StorageLocation,
    private readonly timeoutMs: number,
    private readonly heapMb: number,
  ) {}

  get busy(): boolean {
    return this.job !== null
  }

  private start(): Worker {
    this.starts++
    const worker = new Worker(ENTRY, { workerData: this.location, resourceLimits: { maxOldGenerationSizeMb: this.heapMb } })
    worker.unref()
    this.ready = false
    worker.on('message', (m: { id: number; ready?: boolean; body?: Uint8Array; title?: string | null; missing?: boolean; error?: string; render?: boolean }) => {
      if (this.worker !== worker) return
      if (m.ready) {
        this.ready = true
        return this.startClock()
      }
      const job = this.job
      if (!job || job.id !== m.id) return
      this.job = null
      if (job.timer) clearTimeout(job.timer)
      if (m.error !== undefined) job.reject(m.render ? new ExportRenderError(m.error) : new ExportFailed(`the export could not be made: ${m.error}`))
      else if (m.missing) job.resolve(null)
      else job.resolve({ body: m.body!, title: m.title ?? null })
    })
    worker.on('error', (e) => this.lost(worker, `the export worker stopped: ${e.message}`))
    worker.on('exit', (code) => this.lost(worker, `the export worker stopped (exit code ${code})`))
    return worker
  }

  /** The thread is gone (crash, out of memory, stopped): its job fails, the next job starts a new one. */
  private lost(worker: Worker, message: string): void {
    if (this.worker !== worker) return
    this.worker = null
    void worker.terminate()
    const job = this.job
    this.job = null
    if (job) {
      if (job.timer) clearTimeout(job.timer)
      job.reject(new ExportFailed(message))
    }
  }

  /**
   * The running job's time limit counts from when the thread is ready (its start-up is not the
   * render's time); a thread that is not ready within EXPORT_WORKER_START_MS more is stopped too.
   */
  private startClock(): void {
    const job = this.job
    if (!job) return
    if (job.timer) clearTimeout(job.timer)
    job.timer = setTimeout(() => job.expire(), this.timeoutMs + (this.ready ? 0 : EXPORT_WORKER_START_MS))
  }

  run(job: ExportJob): Promise<ExportResult | null> {
    if (this.closed) return Promise.reject(new ExportFailed('the server is shutting down'))
    if (this.job) return Promise.reject(new Error('export thread busy'))
    this.worker ??= this.start()
    const worker = this.worker
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const expire = () => {
        if (this.job?.id !== id) return
        // pdfkit cannot be interrupted: the thread goes, a new one takes the next job
        this.job = null
        this.worker = null
        void worker.terminate()
        reject(
          new ExportFailed(
            `the ${job.format.toUpperCase()} export took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped; the board may be too big for it (CSV and Markdown are quicker)`,
          ),
        )
      }
      this.job = { id, resolve, reject, expire, timer: null }
      this.startClock()
      worker.postMessage({ ...job, id })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = null
    const job = this.job
    this.job = null
    if (job) {
      if (job.timer) clearTimeout(job.timer)
      job.reject(new ExportFailed('the server is shutting down'))
    }
    await worker?.terminate()
  }
}

/** `threads` export worker threads reading boards from `location`. */
export class ExportWorkers {
  private readonly threads: ExportThread[]

  constructor(
    location: StorageLocation,
    opts: { threads?: number; timeoutMs?: number; heapMb?: number } = {},
  ) {
    const n = Math.max(1, opts.threads ?? EXPORT_WORKERS)
    this.threads = Array.from({ length: n }, () => new ExportThread(location, opts.timeoutMs ?? EXPORT_TIMEOUT_MS, opts.heapMb ?? EXPORT_WORKER_HEAP_MB))
  }

  get size(): number {
    return this.threads.length
  }

  /** Threads started so far, over all slots. */
  get starts(): number {
    return this.threads.reduce((n, t) => n + t.starts, 0)
  }

  /** Runs `job` on an idle thread (ExportJobs never runs more jobs than there are threads). */
  run(job: ExportJob): Promise<ExportResult | null> {
    const idle = this.threads.find((t) => !t.busy)
    if (!idle) return Promise.reject(new Error('no idle export thread'))
    return idle.run(job)
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()))
  }
}

/**
 * At most `running` exports at once, `queued` more waiting in arrival order; beyond that
 * `run` rejects with ExportBusy at once. Work given the same share key while one is running or
 * waiting gets that one's result (and takes no place).
 */
export class ExportJobs {
  private active = 0
  private readonly waiting: (() => void)[] = []
  private readonly shared = new Map<string, Promise<unknown>>()

  constructor(readonly limits: { running: number; queued: number; retryAfterS?: number } = { running: EXPORT_WORKERS, queued: EXPORT_QUEUE }) {}

  /** Exports running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.active, queued: this.waiting.length }
  }

  run<T>(shareKey: string | null, work: () => Promise<T>): Promise<T> {
    if (shareKey !== null) {
      const same = this.shared.get(shareKey)
      if (same) return same as Promise<T>
    }
    if (this.active >= this.limits.running && this.waiting.length >= this.limits.queued) {
      return Promise.reject(new ExportBusy(this.limits.retryAfterS ?? EXPORT_RETRY_AFTER_S))
    }
    const done = this.admit(work)
    if (shareKey !== null) {
      this.shared.set(shareKey, done)
      const forget = () => void this.shared.delete(shareKey)
      done.then(forget, forget)
    }
    return done
  }

  private async admit<T>(work: () => Promise<T>): Promise<T> {
    // a finished job hands its place straight to the first waiting one (`active` unchanged)
    if (this.active < this.limits.running) this.active++
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
