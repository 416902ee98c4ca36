/**
 * Messages between the orchestrator (run.ts) and its child processes: load workers
 * (load/worker.ts) and server launchers (servers/*.ts). Plain JSON over Node's IPC channel.
 */
import type { ClientSpec } from './load/client.ts'
import type { HistogramJSON } from './load/stats.ts'

// ---- load workers ------------------------------------------------------------------------

export type WorkerCommand =
  /** Connect these clients; resolves when all synced (or failed / timed out). `atUs`: start time (monotonic µs), 0 = now. */
  | { cmd: 'connect'; clients: ClientSpec[]; atUs: number; timeoutMs: number; totalClients: number; maxSeq: number }
  /** Run the edit (and cursor) schedule from `atUs` for `durationMs`; resolves when done. */
  | { cmd: 'run'; atUs: number; durationMs: number; editRate: number; notesPerEdit: number; cursorHz: number; createShare: number; seed: number; writers?: number[] }
  /** Zero the counters and histograms (start of a measured phase). */
  | { cmd: 'reset' }
  /** Delivery progress: distinct edits received by this worker's clients. */
  | { cmd: 'progress' }
  /** Counters and histograms since the last reset. */
  | { cmd: 'report' }
  /** Convergence material: full clients' hashes and writers' final markers. */
  | { cmd: 'converge' }
  /** A fresh full client that syncs, hashes the board and closes. */
  | { cmd: 'audit'; client: ClientSpec; timeoutMs: number }
  /** A client that writes `notes` notes and stays connected as the board's holder. */
  | { cmd: 'seed'; client: ClientSpec; notes: number; chunk: number; timeoutMs: number }
  /** A late joiner: connect, sync, measure, close. */
  | { cmd: 'join'; client: ClientSpec; timeoutMs: number }
  /** Stop reading on these clients (by global index). */
  | { cmd: 'stall'; indexes: number[] }
  /** Resume stalled clients and report which of them the server closed (within `waitMs`). */
  | { cmd: 'unstall'; waitMs: number }
  | { cmd: 'close' }

export interface WorkerRequest {
  id: number
  command: WorkerCommand
}

export interface WorkerReply {
  id: number
  ok: boolean
  result?: unknown
  error?: string
}

export interface ConnectResult {
  connected: number
  failed: { index: number; error: string }[]
  /** Per client: µs from `atUs` (or its own start) to synced. */
  syncUs: number[]
}

export interface RunResult {
  /** Edits sent per global client index (only this worker's clients present). */
  sent: Record<number, number>
  cursorsSent: number
  /** µs the schedule ran late at its worst (generator overload indicator). */
  maxLagUs: number
}

export interface ProgressResult {
  /**
   * Per local receiver: global index, distinct edits received from others, and of those the
   * ones whose sender is on another server process (two-process mode; 0 otherwise).
   */
  receivers: { index: number; distinct: number; distinctCross: number; open: boolean }[]
}

export interface WorkerReport {
  /** Fan-out latency at every receiver (arrival; after apply for full clients). */
  latency: HistogramJSON
  /** Only the full clients' latencies (after Y.applyUpdate). */
  latencyFull: HistogramJSON
  /** Two-process mode: latencies split by whether sender and receiver are on the same server process. */
  latencySame: HistogramJSON
  latencyCross: HistogramJSON
  cursorLatency: HistogramJSON
  deliveries: number
  duplicates: number
  cursorDeliveries: number
  msgsIn: number
  payloadBytesIn: number
  wireBytesIn: number
  msgsOut: number
  payloadBytesOut: number
  wireBytesOut: number
  /** Clients that lost their connection without us closing it. */
  dropped: { index: number; code: number; reason: string }[]
  /** Generator event-loop delay (ms). */
  loopP99Ms: number
  loopMaxMs: number
}

export interface ConvergeResult {
  fullHashes: { index: number; hash: string; records: number; pending: boolean; markers: Record<string, string> }[]
  /** recordId → final marker, from every writer of this worker. */
  expected: Record<string, string>
}

export interface AuditResult {
  hash: string
  records: number
  markers: Record<string, string>
}

export interface JoinResult {
  /** ms from connect start to step 2 applied. */
  syncedMs: number
  /** ms from connect start to the first sync step 2 frame's arrival. */
  step2Ms: number
  /** ms from connect start to the arrival of the frame that completed the sync (before it was applied). */
  receivedMs: number
  wireBytes: number
  payloadBytes: number
  records: number
}

export interface UnstallResult {
  closed: { index: number; code: number; reason: string }[]
  stillOpen: number
}

// ---- server launchers --------------------------------------------------------------------

export type LauncherAsk =
  | { cmd: 'mem'; gc: boolean }
  | { cmd: 'loop-reset' }
  | { cmd: 'loop' }
  /** Start a V8 CPU profile of the server's main thread. */
  | { cmd: 'profile-start' }
  /** Stop it and write the .cpuprofile to `path`. */
  | { cmd: 'profile-stop'; path: string }
export type LauncherCommand = LauncherAsk & { id: number }

export interface MemInfo {
  rss: number
  heapUsed: number
  external: number
  arrayBuffers: number
}

export interface LoopInfo {
  p50Ms: number
  p99Ms: number
  maxMs: number
}

export type LauncherMessage = { type: 'ready'; port: number } | { type: 'reply'; id: number; result: MemInfo | LoopInfo | null }
