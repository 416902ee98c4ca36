/**
 * A load-generator process: hosts a share of the benchmark's clients and runs their
 * schedule. Commanded by run.ts over IPC (see ../ipc.ts); one request at a time per kind.
 * Runs as its own process so its CPU is measured apart from the server's and the
 * orchestrator's.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type {
  AuditResult,
  ConnectResult,
  ConvergeResult,
  JoinResult,
  ProgressResult,
  RunResult,
  UnstallResult,
  WorkerCommand,
  WorkerReply,
  WorkerReport,
  WorkerRequest,
} from '../ipc.ts'
import { BenchClient, type ClientSink, type ClientSpec } from './client.ts'
import { Histogram, nowUs, seededRandom } from './stats.ts'

const loop = monitorEventLoopDelay({ resolution: 5 })
loop.enable()

const clients: BenchClient[] = []
const slotOf = new Map<BenchClient, number>()
const holders: BenchClient[] = []
const stalled = new Set<BenchClient>()
let totalClients = 0
let maxSeq = 0
/** Per local receiver: bitmap over (sender, seq) to count each edit once. */
let seen: Uint8Array[] = []
let distinct: number[] = []
let distinctCross: number[] = []

let latency = new Histogram()
let latencyFull = new Histogram()
let latencySame = new Histogram()
let latencyCross = new Histogram()
let cursorLatency = new Histogram()
let deliveries = 0
let duplicates = 0
let cursorDeliveries = 0
let base = counters()

function counters() {
  let msgsIn = 0
  let payloadBytesIn = 0
  let wireBytesIn = 0
  let msgsOut = 0
  let payloadBytesOut = 0
  let wireBytesOut = 0
  for (const c of clients) {
    msgsIn += c.msgsIn
    payloadBytesIn += c.payloadBytesIn
    wireBytesIn += c.wireBytesIn
    msgsOut += c.msgsOut
    payloadBytesOut += c.payloadBytesOut
    wireBytesOut += c.wireBytesOut
  }
  return { msgsIn, payloadBytesIn, wireBytesIn, msgsOut, payloadBytesOut, wireBytesOut }
}

const sink: ClientSink = {
  edit(receiver, sender, seq, sentUs, atUs) {
    const slot = slotOf.get(receiver)
    if (slot === undefined) return
    if (sender < totalClients && seq >= 1 && seq <= maxSeq) {
      const bit = sender * maxSeq + (seq - 1)
      const bits = seen[slot]
      const mask = 1 << (bit & 7)
      if (bits[bit >> 3] & mask) {
        duplicates++
        return
      }
      bits[bit >> 3] |= mask
    }
    distinct[slot]++
    deliveries++
    const us = atUs - sentUs
    latency.add(us)
    if (receiver.spec.full) latencyFull.add(us)
    const procs = receiver.spec.procs ?? 1
    if (procs > 1) {
      if (sender % procs === receiver.spec.proc) latencySame.add(us)
      else {
        latencyCross.add(us)
        distinctCross[slot]++
      }
    }
  },
  cursor(_receiver, _sender, _seq, sentUs, atUs) {
    cursorDeliveries++
    cursorLatency.add(atUs - sentUs)
  },
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

async function untilUs(atUs: number): Promise<void> {
  const waitMs = (atUs - nowUs()) / 1000
  if (waitMs > 0) await sleep(waitMs)
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

async function connect(cmd: Extract<WorkerCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
  totalClients = cmd.totalClients
  maxSeq = cmd.maxSeq
  await untilUs(cmd.atUs)
  const t0 = cmd.atUs || nowUs()
  const fresh = cmd.clients.map((spec) => {
    const c = new BenchClient(spec, sink)
    slotOf.set(c, clients.length)
    clients.push(c)
    seen.push(new Uint8Array(Math.ceil((totalClients * maxSeq) / 8)))
    distinct.push(0)
    distinctCross.push(0)
    return c
  })
  const settled = await Promise.allSettled(fresh.map((c) => withTimeout(c.synced, cmd.timeoutMs, 'sync')))
  const failed: ConnectResult['failed'] = []
  const syncUs: number[] = []
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') syncUs.push(fresh[i].syncedUs - t0)
    else failed.push({ index: fresh[i].spec.index, error: (s.reason as Error).message })
  })
  return { connected: syncUs.length, failed, syncUs }
}

async function run(cmd: Extract<WorkerCommand, { cmd: 'run' }>): Promise<RunResult> {
  const rand = seededRandom(cmd.seed)
  const editEvery = 1e6 / cmd.editRate
  const cursorEvery = cmd.cursorHz > 0 ? 1e6 / cmd.cursorHz : Number.POSITIVE_INFINITY
  const endUs = cmd.atUs + cmd.durationMs * 1000
  // writers: the clients that edit (default: every synced client not stalled)
  const writers = cmd.writers ? new Set(cmd.writers) : null
  const active = clients.filter((c) => c.isSyncedNow && !stalled.has(c) && (!writers || writers.has(c.spec.index)))
  const nextEdit = active.map(() => cmd.atUs + rand() * editEvery)
  const nextCursor = active.map(() => cmd.atUs + rand() * cursorEvery)
  const sentBefore = new Map(clients.map((c) => [c, c.editsSent]))
  const cursorsBefore = clients.reduce((n, c) => n + c.cursorsSent, 0)
  let maxLagUs = 0
  await untilUs(cmd.atUs)
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowUs()
      for (let i = 0; i < active.length; i++) {
        const c = active[i]
        while (nextEdit[i] <= now && nextEdit[i] < endUs) {
          maxLagUs = Math.max(maxLagUs, now - nextEdit[i])
          if (c.isOpen) c.edit(rand, cmd.createShare, cmd.notesPerEdit)
          nextEdit[i] += editEvery
        }
        while (nextCursor[i] <= now && nextCursor[i] < endUs) {
          if (c.isOpen) c.moveCursor(rand)
          nextCursor[i] += cursorEvery
        }
      }
      if (now >= endUs) resolve()
      else setTimeout(tick, 1)
    }
    tick()
  })
  const sent: Record<number, number> = {}
  for (const c of clients) sent[c.spec.index] = c.editsSent - (sentBefore.get(c) ?? 0)
  const cursorsSent = clients.reduce((n, c) => n + c.cursorsSent, 0) - cursorsBefore
  return { sent, cursorsSent, maxLagUs }
}

function report(): WorkerReport {
  const now = counters()
  const dropped = clients
    .filter((c) => !c.closedByUs && (c.closeCode !== 0 || c.error !== null))
    .map((c) => ({ index: c.spec.index, code: c.closeCode, reason: c.closeReason || c.error || '' }))
  return {
    latency: latency.toJSON(),
    latencyFull: latencyFull.toJSON(),
    latencySame: latencySame.toJSON(),
    latencyCross: latencyCross.toJSON(),
    cursorLatency: cursorLatency.toJSON(),
    deliveries,
    duplicates,
    cursorDeliveries,
    msgsIn: now.msgsIn - base.msgsIn,
    payloadBytesIn: now.payloadBytesIn - base.payloadBytesIn,
    wireBytesIn: now.wireBytesIn - base.wireBytesIn,
    msgsOut: now.msgsOut - base.msgsOut,
    payloadBytesOut: now.payloadBytesOut - base.payloadBytesOut,
    wireBytesOut: now.wireBytesOut - base.wireBytesOut,
    dropped,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  }
}

function reset(): void {
  latency = new Histogram()
  latencyFull = new Histogram()
  latencySame = new Histogram()
  latencyCross = new Histogram()
  cursorLatency = new Histogram()
  deliveries = 0
  duplicates = 0
  cursorDeliveries = 0
  // Per-phase delivery counts: the drain compares them with the edits sent in this phase.
  distinct.fill(0)
  distinctCross.fill(0)
  base = counters()
  loop.reset()
}

function converge(): ConvergeResult {
  const expected: Record<string, string> = {}
  for (const c of clients) for (const [id, m] of c.lastMarker) expected[id] = m
  const fullHashes = clients
    .filter((c) => c.spec.full && c.isOpen)
    .map((c) => ({
      index: c.spec.index,
      hash: c.recordsHash(),
      records: c.records.size,
      pending: c.hasPendingUpdates(),
      markers: Object.fromEntries(c.recordMarkers()),
    }))
  return { fullHashes, expected }
}

/** Waits until `c` has received nothing for `quietMs` (at most `maxMs`). */
async function quiet(c: BenchClient, quietMs: number, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs
  while (Date.now() < end && (nowUs() - c.lastMessageUs) / 1000 < quietMs) await sleep(quietMs / 4)
}

async function audit(spec: ClientSpec, timeoutMs: number): Promise<AuditResult> {
  const c = new BenchClient({ ...spec, full: true }, null)
  try {
    await withTimeout(c.synced, timeoutMs, 'audit sync')
    // A cached state may be followed by the updates made since: take the board once quiet.
    await quiet(c, 300, 10_000)
    return { hash: c.recordsHash(), records: c.records.size, markers: Object.fromEntries(c.recordMarkers()) }
  } finally {
    c.close()
  }
}

async function seed(cmd: Extract<WorkerCommand, { cmd: 'seed' }>): Promise<{ records: number }> {
  const c = new BenchClient({ ...cmd.client, full: false }, null)
  holders.push(c)
  await withTimeout(c.synced, cmd.timeoutMs, 'seed sync')
  c.seed(cmd.notes, cmd.chunk, seededRandom(cmd.client.index + 1))
  return { records: c.records.size }
}

async function join(spec: ClientSpec, timeoutMs: number): Promise<JoinResult> {
  const c = new BenchClient({ ...spec, full: true }, null)
  try {
    await withTimeout(c.synced, timeoutMs, 'join sync')
    return {
      syncedMs: (c.syncedUs - c.startedUs) / 1000,
      step2Ms: (c.step2Us - c.startedUs) / 1000,
      receivedMs: (c.receivedUs - c.startedUs) / 1000,
      wireBytes: c.wireBytesAtSync,
      payloadBytes: c.payloadBytesAtSync,
      records: c.records.size,
    }
  } finally {
    c.close()
  }
}

async function unstall(waitMs: number): Promise<UnstallResult> {
  const list = [...stalled]
  stalled.clear()
  for (const c of list) c.resume()
  const end = Date.now() + waitMs
  while (Date.now() < end && list.some((c) => c.isOpen)) await sleep(50)
  return {
    closed: list.filter((c) => !c.isOpen).map((c) => ({ index: c.spec.index, code: c.closeCode, reason: c.closeReason })),
    stillOpen: list.filter((c) => c.isOpen).length,
  }
}

async function handle(cmd: WorkerCommand): Promise<unknown> {
  switch (cmd.cmd) {
    case 'connect':
      return connect(cmd)
    case 'run':
      return run(cmd)
    case 'reset':
      reset()
      return null
    case 'progress': {
      const result: ProgressResult = {
        receivers: clients
          .filter((c) => !stalled.has(c))
          .map((c) => {
            const slot = slotOf.get(c) ?? 0
            return { index: c.spec.index, distinct: distinct[slot], distinctCross: distinctCross[slot], open: c.isOpen }
          }),
      }
      return result
    }
    case 'report':
      return report()
    case 'converge':
      return converge()
    case 'audit':
      return audit(cmd.client, cmd.timeoutMs)
    case 'seed':
      return seed(cmd)
    case 'join':
      return join(cmd.client, cmd.timeoutMs)
    case 'stall': {
      const want = new Set(cmd.indexes)
      for (const c of clients) {
        if (want.has(c.spec.index)) {
          c.stall()
          stalled.add(c)
        }
      }
      return null
    }
    case 'unstall':
      return unstall(cmd.waitMs)
    case 'close':
      for (const c of [...clients, ...holders]) c.close()
      clients.length = 0
      holders.length = 0
      slotOf.clear()
      seen = []
      distinct = []
      distinctCross = []
      return null
  }
}

process.on('message', (req: WorkerRequest) => {
  handle(req.command).then(
    (result) => process.send?.({ id: req.id, ok: true, result } satisfies WorkerReply),
    (e: Error) => process.send?.({ id: req.id, ok: false, error: e.message } satisfies WorkerReply),
  )
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
