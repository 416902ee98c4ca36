/**
 * The benchmark scenarios. Each runs against one server process with a fresh pool of load
 * workers and returns its figures; run.ts runs every scenario against every server and
 * renders the tables. All figures are measured, never assumed; what is measured where is
 * stated in each table's setup line and notes.
 */
import type {
  AuditResult,
  ConnectResult,
  ConvergeResult,
  JoinResult,
  MemInfo,
  ProgressResult,
  RunResult,
  UnstallResult,
  WorkerReport,
} from './ipc.ts'
import type { ClientSpec } from './load/client.ts'
import { mergeHistograms, nowUs, quantileOf } from './load/stats.ts'
import type { RoomRef, ServerGroup, ServerName, ServerProcess, WorkerPool } from './harness.ts'
import { cpus } from 'node:os'
import { CpuWindow, memory, pidsNamed } from './proc.ts'
import type { Cell, RowDef } from './report.ts'

export interface BenchOptions {
  servers: ServerName[]
  only: ScenarioId[]
  /** Load-generator processes. */
  workers: number
  /** Clients per room that apply every update to their Y.Doc (the others count by scanning). */
  full: number
  /** Edits per second per client. */
  rate: number
  /** Seconds per measured load phase. */
  duration: number
  clients50: number
  clients200: number
  /** Clients of the two-process fan-out scenario. */
  clients2p: number
  /** Two-process mode: shared PostgreSQL (ours) and Redis (ours and Hocuspocus). */
  databaseUrl: string
  redisUrl: string
  /** Rooms the fan-out scenarios' clients are spread over. */
  rooms: number
  cursorHz: number
  boardNotes: number
  boards: number
  joins: number
  idle: number
  idleRooms: number
  burst: number
  slowActive: number
  slowStuck: number
  slowRate: number
  /** Notes per edit in the stuck-client scenario (a multi-select drag / paste). */
  slowBatch: number
  slowDuration: number
  /** Seconds to wait after a load phase for every edit to arrive. */
  drain: number
  createShare: number
  seed: number
  /** Seconds to wait for an idle machine before each server's run (0 = don't). */
  quietWait: number
  arvoEnv: Record<string, string>
}

export type ScenarioId = 'fanout50' | 'fanout200' | 'fanout2proc' | 'latejoin' | 'idle' | 'burst' | 'slow'
export const SCENARIO_IDS: readonly ScenarioId[] = ['fanout50', 'fanout200', 'fanout2proc', 'latejoin', 'idle', 'burst', 'slow']

export interface Ctx {
  /** The server under test; in two-process mode its first process (boards are created there). */
  server: ServerProcess
  /** Every process of the server under test (one, except in two-process mode). */
  servers: ServerProcess[]
  /** Two-process mode: the group (shared storage); null otherwise. */
  group: ServerGroup | null
  pool: WorkerPool
  o: BenchOptions
  log(msg: string): void
  /** Notes for the report, prefixed with the server's name by the caller. */
  notes: string[]
}

export interface TableSpec {
  id: string
  title: string
  setup: string
  rows: RowDef[]
}

export interface Scenario {
  id: ScenarioId
  /** Server processes per run (default 1); more = two-process mode (harness.ts startGroup). */
  processes?: number
  tables(o: BenchOptions): TableSpec[]
  /** Hard limit for one server's run of this scenario. */
  budgetMs(o: BenchOptions): number
  /** Figures per table id. */
  run(ctx: Ctx): Promise<Record<string, Record<string, Cell>>>
}

const MB = 1024 * 1024
const AUDIT_INDEX = 1_000_000

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

// ---- placing and connecting clients ------------------------------------------------------

interface Placement {
  rooms: RoomRef[]
  specs: ClientSpec[]
  roomOf: number[]
}

/**
 * Client i goes to room i % rooms and worker i % workers; the first `full` of each room apply
 * every update. Rooms are created on the first server process; with several processes (one
 * room only), client i connects to process i % processes.
 */
async function place(ctx: Ctx, clients: number, rooms: number, presence: boolean, full = ctx.o.full): Promise<Placement> {
  const procs = ctx.servers.length
  if (procs > 1 && rooms !== 1) throw new Error('two-process mode places one room')
  const refs: RoomRef[] = []
  for (let r = 0; r < rooms; r++) refs.push(await ctx.server.createRoom())
  const specs: ClientSpec[] = []
  const roomOf: number[] = []
  for (let i = 0; i < clients; i++) {
    const r = i % rooms
    roomOf.push(r)
    const opts = { full: Math.floor(i / rooms) < full, presence }
    if (procs === 1) specs.push(ctx.server.client(refs[r], i, opts))
    else {
      const p = i % procs
      const on = ctx.servers[p]
      specs.push({ ...on.client(on.sameRoom(refs[r]), i, opts), proc: p, procs })
    }
  }
  return { rooms: refs, specs, roomOf }
}

const workerOf = (ctx: Ctx, index: number) => index % ctx.pool.size

/**
 * Connects `specs` in batches of `batch` (0 = all at once at `atUs`). Returns sync times
 * (µs from each batch's start) and failures.
 */
async function connect(
  ctx: Ctx,
  specs: ClientSpec[],
  opts: { batch: number; atUs?: number; maxSeq: number; totalClients: number; timeoutMs?: number },
): Promise<ConnectResult> {
  const out: ConnectResult = { connected: 0, failed: [], syncUs: [] }
  const step = opts.batch > 0 ? opts.batch : specs.length
  for (let from = 0; from < specs.length; from += step) {
    const chunk = specs.slice(from, from + step)
    const results = await ctx.pool.all<ConnectResult>((w) => {
      const mine = chunk.filter((s) => workerOf(ctx, s.index) === w)
      if (mine.length === 0) return null
      return {
        cmd: 'connect',
        clients: mine,
        atUs: opts.atUs ?? 0,
        timeoutMs: opts.timeoutMs ?? 20_000,
        totalClients: opts.totalClients,
        maxSeq: opts.maxSeq,
      }
    }, (opts.timeoutMs ?? 20_000) + 30_000)
    for (const r of results) {
      out.connected += r.connected
      out.failed.push(...r.failed)
      out.syncUs.push(...r.syncUs)
    }
  }
  return out
}

function failureSummary(failed: ConnectResult['failed']): string {
  const reasons = new Map<string, number>()
  for (const f of failed) reasons.set(f.error, (reasons.get(f.error) ?? 0) + 1)
  return [...reasons].map(([r, n]) => `${n}× ${r}`).join('; ')
}

// ---- a load phase ------------------------------------------------------------------------

interface PhaseFigures {
  cells: Record<string, Cell>
  serverCpu: number
  cursorSent: number
}

async function loadPhase(
  ctx: Ctx,
  pl: Placement,
  phase: { rate: number; cursorHz: number; durationS: number; seed: number; notesPerEdit?: number; writers?: number[] },
): Promise<PhaseFigures> {
  const { servers, pool, o } = ctx
  const procs = servers.length
  await pool.all(() => ({ cmd: 'reset' }), 10_000)
  await Promise.all(servers.map((s) => s.loopReset()))
  const durationMs = phase.durationS * 1000
  const atUs = nowUs() + 300_000
  const runP = pool.all<RunResult>(
    (i) => ({
      cmd: 'run',
      atUs,
      durationMs,
      editRate: phase.rate,
      notesPerEdit: phase.notesPerEdit ?? 1,
      cursorHz: phase.cursorHz,
      createShare: o.createShare,
      seed: phase.seed * 1000 + i,
      writers: phase.writers,
    }),
    durationMs + 60_000,
  )
  await sleep(Math.max(0, (atUs - nowUs()) / 1000))
  // Window pids: the server processes, the orchestrator, the workers, then (two-process mode)
  // the shared services: Redis, and every PostgreSQL process alive now (anyone's).
  const redisPids = procs > 1 ? pidsNamed(['redis-server']) : []
  const pgPids = procs > 1 && servers[0].name.startsWith('arvo') ? pidsNamed(['postgres']) : []
  const genAt = procs + 1
  const svcAt = genAt + pool.size
  const cpu = new CpuWindow([...servers.map((s) => s.pid), process.pid, ...pool.pids, ...redisPids, ...pgPids])
  const runs = await runP
  const window = cpu.read()

  const sent = new Map<number, number>()
  let cursorSent = 0
  let maxLagUs = 0
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.sent)) sent.set(Number(k), v)
    cursorSent += r.cursorsSent
    maxLagUs = Math.max(maxLagUs, r.maxLagUs)
  }
  const totalSent = [...sent.values()].reduce((a, b) => a + b, 0)
  const roomSent = pl.rooms.map(() => 0)
  // Per room and server process: edits sent by that process' clients (client i is on i % procs).
  const roomProcSent = pl.rooms.map(() => servers.map(() => 0))
  for (const [i, n] of sent) {
    roomSent[pl.roomOf[i]] += n
    roomProcSent[pl.roomOf[i]][i % procs] += n
  }

  ctx.log(`${totalSent} edits sent; draining`)
  const drainStart = performance.now()
  let undelivered = 0
  let undeliveredFull = 0
  let undeliveredCross = 0
  let expected = 0
  let expectedCross = 0
  let deliveredCross = 0
  let closedReceivers = 0
  for (;;) {
    const prog = await pool.all<ProgressResult>(() => ({ cmd: 'progress' }), 10_000)
    undelivered = 0
    undeliveredCross = 0
    expected = 0
    expectedCross = 0
    deliveredCross = 0
    closedReceivers = 0
    undeliveredFull = 0
    for (const p of prog) {
      for (const r of p.receivers) {
        const room = pl.roomOf[r.index]
        const exp = roomSent[room] - (sent.get(r.index) ?? 0)
        expected += exp
        undelivered += Math.max(0, exp - r.distinct)
        if (pl.specs[r.index]?.full) undeliveredFull += Math.max(0, exp - r.distinct)
        if (procs > 1) {
          const expCross = roomSent[room] - roomProcSent[room][r.index % procs]
          expectedCross += expCross
          deliveredCross += r.distinctCross
          undeliveredCross += Math.max(0, expCross - r.distinctCross)
        }
        if (!r.open) closedReceivers++
      }
    }
    if (undelivered === 0 || performance.now() - drainStart > o.drain * 1000) break
    await sleep(100)
  }
  const drainS = (performance.now() - drainStart) / 1000
  // Event-loop delay over load + drain; a server still busy with a backlog may not answer.
  const loops = await Promise.all(servers.map((s) => s.loop(15_000).catch(() => null)))
  const loop = loops.some((l) => l === null) ? null : { maxMs: Math.max(...loops.map((l) => l!.maxMs)), p99Ms: Math.max(...loops.map((l) => l!.p99Ms)) }
  const reports = await pool.all<WorkerReport>(() => ({ cmd: 'report' }), 30_000)
  const lat = mergeHistograms(reports.map((r) => r.latency))
  const latFull = mergeHistograms(reports.map((r) => r.latencyFull))
  const latSame = mergeHistograms(reports.map((r) => r.latencySame))
  const latCross = mergeHistograms(reports.map((r) => r.latencyCross))
  const curLat = mergeHistograms(reports.map((r) => r.cursorLatency))
  const sum = (f: (r: WorkerReport) => number) => reports.reduce((a, r) => a + f(r), 0)
  const dropped = reports.flatMap((r) => r.dropped)
  if (dropped.length > 0) {
    const why = new Map<string, number>()
    for (const d of dropped) why.set(`${d.code} ${d.reason}`.trim(), (why.get(`${d.code} ${d.reason}`.trim()) ?? 0) + 1)
    ctx.notes.push(`${dropped.length} clients lost their connection: ${[...why].map(([r, n]) => `${n}× ${r}`).join('; ')}`)
  }
  const ms = (us: number) => us / 1000
  // Edits not delivered by the end of the drain count as infinitely late: a quantile that falls
  // among them is shown as "not delivered", not as the latency of the few that made it.
  const late = (h: typeof lat, q: number, missing: number): Cell => {
    if (q >= 1) return missing > 0 ? 'not delivered' : ms(h.max)
    const rank = Math.ceil(q * (h.count + missing))
    return rank > h.count ? 'not delivered' : ms(h.quantile(rank / h.count))
  }
  // A process that exited during the window reads NaN: count it as 0 (shared services only).
  const sumOf = (xs: number[]) => xs.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0)
  const perServer = window.perPid.slice(0, procs)
  const serverCpu = perServer.reduce((a, b) => a + b, 0)
  const genCpu = sumOf(window.perPid.slice(genAt, svcAt))
  const redisCpu = sumOf(window.perPid.slice(svcAt, svcAt + redisPids.length))
  const pgCpu = sumOf(window.perPid.slice(svcAt + redisPids.length))
  // Interrupt time (mostly the kernel's loopback networking) is not charged to any process;
  // what remains beyond our processes is someone else's (e.g. tests running meanwhile).
  const ncpu = cpus().length
  const irq = window.irqPct * ncpu
  const others = Math.max(0, window.machinePct * ncpu - irq - serverCpu - genCpu - window.perPid[procs] - redisCpu - pgCpu)
  const cells: Record<string, Cell> = {
    edits: totalSent,
    rateActual: totalSent / phase.durationS,
    p50: late(lat, 0.5, undelivered),
    p95: late(lat, 0.95, undelivered),
    p99: late(lat, 0.99, undelivered),
    max: late(lat, 1, undelivered),
    p99full: late(latFull, 0.99, undeliveredFull),
    undelivered,
    undeliveredPct: expected > 0 ? (undelivered / expected) * 100 : 0,
    drainS: undelivered === 0 ? drainS : `> ${o.drain} (gave up)`,
    dropped: dropped.length,
    msgsPerEdit: totalSent > 0 ? sum((r) => r.msgsIn) / totalSent : null,
    bytesPerEdit: totalSent > 0 ? sum((r) => r.wireBytesIn) / totalSent : null,
    upBytesPerEdit: totalSent > 0 ? sum((r) => r.wireBytesOut) / totalSent : null,
    serverCpu,
    serverRss: Math.max(...servers.map((s) => memory(s.pid).peak)) / MB,
    stallMax: loop ? loop.maxMs : 'no answer in 15 s',
    loopP99: loop ? loop.p99Ms : null,
    genCpu,
    genLoopMax: Math.max(...reports.map((r) => r.loopMaxMs)),
    genLag: maxLagUs / 1000,
    machine: window.machinePct,
    others,
    irq,
    serverWait: Math.max(...window.waitPct.slice(0, procs)),
    cursorP50: curLat.count > 0 ? ms(curLat.quantile(0.5)) : null,
    cursorP99: curLat.count > 0 ? ms(curLat.quantile(0.99)) : null,
    cursorFanout: cursorSent > 0 ? sum((r) => r.cursorDeliveries) / cursorSent : null,
    duplicates: sum((r) => r.duplicates),
    closedReceivers,
  }
  if (procs > 1) {
    const sameMissing = undelivered - undeliveredCross
    Object.assign(cells, {
      p50Same: late(latSame, 0.5, sameMissing),
      p99Same: late(latSame, 0.99, sameMissing),
      maxSame: late(latSame, 1, sameMissing),
      p50Cross: late(latCross, 0.5, undeliveredCross),
      p99Cross: late(latCross, 0.99, undeliveredCross),
      maxCross: late(latCross, 1, undeliveredCross),
      undeliveredCross,
      crossCheck:
        expectedCross === 0
          ? 'FAILED: no edit crossed processes (no edits sent?)'
          : undeliveredCross === 0
            ? `ok (${deliveredCross.toLocaleString('en-US')} of ${expectedCross.toLocaleString('en-US')} cross-process deliveries)`
            : `FAILED: ${undeliveredCross.toLocaleString('en-US')} of ${expectedCross.toLocaleString('en-US')} cross-process deliveries missing`,
      redisCpu,
      pgCpu: pgPids.length > 0 ? pgCpu : null,
    })
    servers.forEach((s, p) => {
      cells[`serverCpu${p}`] = perServer[p]
      cells[`serverRss${p}`] = memory(s.pid).peak / MB
      cells[`stallMax${p}`] = loops[p] ? loops[p].maxMs : 'no answer in 15 s'
    })
  }
  return { cells, serverCpu, cursorSent }
}

/** Checks that every full client, a fresh client and the writers agree on every room's records. */
async function convergence(ctx: Ctx, pl: Placement): Promise<string> {
  const conv = await ctx.pool.all<ConvergeResult>(() => ({ cmd: 'converge' }), 60_000)
  let mismatchedDocs = 0
  let fullDocs = 0
  let lost = 0
  let records = 0
  const problems: string[] = []
  for (let r = 0; r < pl.rooms.length; r++) {
    let audit: AuditResult
    try {
      audit = await ctx.pool.request<AuditResult>(
        0,
        { cmd: 'audit', client: ctx.server.client(pl.rooms[r], AUDIT_INDEX + r, { full: true, presence: false }), timeoutMs: 30_000 },
        40_000,
      )
    } catch (e) {
      problems.push(`room ${r}: fresh client could not sync (${(e as Error).message})`)
      continue
    }
    records += audit.records
    // Two-process mode: a fresh client on every other process must see the same board.
    for (let p = 1; p < ctx.servers.length; p++) {
      const on = ctx.servers[p]
      try {
        const other = await ctx.pool.request<AuditResult>(
          0,
          { cmd: 'audit', client: on.client(on.sameRoom(pl.rooms[r]), AUDIT_INDEX + 1000 * p + r, { full: true, presence: false }), timeoutMs: 30_000 },
          40_000,
        )
        if (other.hash !== audit.hash) {
          const keys = new Set([...Object.keys(other.markers), ...Object.keys(audit.markers)])
          let differ = 0
          for (const k of keys) if (other.markers[k] !== audit.markers[k]) differ++
          problems.push(`room ${r}: a fresh client on process ${p + 1} gets ${other.records} records vs ${audit.records} on process 1, ${differ} note versions differ`)
        }
      } catch (e) {
        problems.push(`room ${r}: fresh client on process ${p + 1} could not sync (${(e as Error).message})`)
      }
    }
    for (const c of conv) {
      for (const f of c.fullHashes) {
        if (pl.roomOf[f.index] !== r) continue
        fullDocs++
        if (f.hash === audit.hash) continue
        mismatchedDocs++
        const keys = new Set([...Object.keys(f.markers), ...Object.keys(audit.markers)])
        let differ = 0
        for (const k of keys) if (f.markers[k] !== audit.markers[k]) differ++
        problems.push(
          `client ${f.index}: ${f.records} records vs ${audit.records} on the server, ${differ} note versions differ` +
            (f.pending ? ', holds updates it cannot apply (missed an earlier one)' : ''),
        )
      }
      for (const [id, m] of Object.entries(c.expected)) {
        const writer = Number(/^shape:b(\d+)n/.exec(id)?.[1] ?? -1)
        if (pl.roomOf[writer] !== r) continue
        if (audit.markers[id] !== m) lost++
      }
    }
  }
  if (mismatchedDocs > 0) problems.unshift(`${mismatchedDocs}/${fullDocs} full docs differ from the server's state`)
  if (lost > 0) problems.push(`${lost} records not at their writer's last write`)
  if (problems.length > 0) return `FAILED: ${problems.join('; ')}`
  const fresh = ctx.servers.length > 1 ? `a fresh client on each of the ${ctx.servers.length} processes` : 'fresh client'
  return `ok (${fullDocs} full docs = ${fresh} = writers' last writes, ${records} records)`
}

/** Convergence, unless the server is still far behind (a fresh client could not sync anyway). */
async function checkConvergence(ctx: Ctx, pl: Placement, cells: Record<string, Cell>): Promise<Cell> {
  if (typeof cells.undelivered === 'number' && cells.undelivered > 0) {
    return `not checked: ${cells.undelivered} deliveries still missing after the drain`
  }
  return convergence(ctx, pl)
}

// ---- scenarios ---------------------------------------------------------------------------

const loadRows = (goals: { p99?: number; max?: number; cpu?: number; stall?: number; undelivered?: boolean }): RowDef[] => [
  { key: 'edits', label: 'edits sent', digits: 0, ratio: false },
  { key: 'p50', label: 'fan-out p50 (ms)', digits: 2 },
  { key: 'p95', label: 'fan-out p95 (ms)', digits: 2 },
  { key: 'p99', label: 'fan-out p99 (ms)', digits: 2, goal: goals.p99 ? { op: '<=', value: goals.p99 } : undefined },
  { key: 'max', label: 'fan-out max (ms)', digits: 1, goal: goals.max ? { op: '<=', value: goals.max } : undefined },
  { key: 'p99full', label: 'p99 at full-Y.Doc receivers, after apply (ms)', digits: 2 },
  { key: 'undelivered', label: 'undelivered (after drain)', digits: 0, goal: goals.undelivered ? { op: '=', value: 0 } : undefined },
  { key: 'drainS', label: 'drain: load end → all delivered (s)', digits: 2, ratio: false },
  { key: 'dropped', label: 'clients disconnected', digits: 0, ratio: false },
  { key: 'msgsPerEdit', label: 'messages received per edit (all clients)', digits: 1 },
  { key: 'bytesPerEdit', label: 'wire bytes received per edit (all clients)', digits: 0 },
  { key: 'serverCpu', label: 'server CPU (% of one core)', digits: 1, goal: goals.cpu ? { op: '<=', value: goals.cpu } : undefined },
  { key: 'serverRss', label: 'server peak RSS (MB)', digits: 1 },
  { key: 'stallMax', label: 'server event-loop stall, max (ms)', digits: 1, goal: goals.stall ? { op: '<=', value: goals.stall } : undefined },
  { key: 'convergence', label: 'convergence', ratio: false },
  { key: 'genCpu', label: 'load generator CPU (% of one core, all workers)', digits: 0, ratio: false },
  { key: 'genLoopMax', label: 'load generator event-loop delay, max (ms)', digits: 1, ratio: false },
  { key: 'machine', label: 'machine CPU busy (% of all cores)', digits: 0, ratio: false },
  { key: 'irq', label: 'kernel interrupt time, loopback networking (% of one core)', digits: 0, ratio: false },
  { key: 'others', label: 'CPU of other processes on the machine (% of one core)', digits: 0, ratio: false },
  { key: 'serverWait', label: 'server event loop waiting for a free CPU (% of the time)', digits: 1, ratio: false },
]

function fanoutSetup(o: BenchOptions, clients: number, extra = ''): string {
  const perRoom = Math.ceil(clients / o.rooms)
  return (
    `${clients} clients in ${o.rooms} room(s) (${perRoom}/room), ${o.rate} edits/s each ` +
    `(${Math.round(o.createShare * 100)}% create, rest drag own notes; full tldraw note records, ~480 bytes as JSON), ${o.duration} s measured${extra}. ` +
    `Latency = edit sent → frame arrival at every other client (${o.full}/room full Y.Docs measured after apply). ` +
    `${o.workers} load-worker process${o.workers === 1 ? '' : 'es'}.`
  )
}

async function fanout(ctx: Ctx, clients: number, withPresence: boolean): Promise<Record<string, Record<string, Cell>>> {
  const { o } = ctx
  const phases = withPresence ? 2 : 1
  const maxSeq = Math.ceil(o.rate * o.duration * phases * 1.3) + 50
  const pl = await place(ctx, clients, o.rooms, true)
  ctx.log(`connecting ${clients} clients`)
  const conn = await connect(ctx, pl.specs, { batch: 50, maxSeq, totalClients: clients })
  if (conn.failed.length > 0) ctx.notes.push(`${conn.failed.length} clients failed to connect: ${failureSummary(conn.failed)}`)
  if (conn.connected === 0) throw new Error(`no client connected: ${failureSummary(conn.failed)}`)
  await sleep(500)
  ctx.log(`load: ${o.duration} s`)
  const a = await loadPhase(ctx, pl, { rate: o.rate, cursorHz: 0, durationS: o.duration, seed: o.seed })
  a.cells.convergence = await checkConvergence(ctx, pl, a.cells)
  const out: Record<string, Record<string, Cell>> = { main: a.cells }
  if (withPresence) {
    ctx.log(`load + cursors at ${o.cursorHz} Hz: ${o.duration} s`)
    const b = await loadPhase(ctx, pl, { rate: o.rate, cursorHz: o.cursorHz, durationS: o.duration, seed: o.seed + 1 })
    b.cells.convergence = await checkConvergence(ctx, pl, b.cells)
    out.presence = {
      cpuWithout: a.serverCpu,
      cpuWith: b.serverCpu,
      cpuDelta: a.serverCpu > 0 ? ((b.serverCpu - a.serverCpu) / a.serverCpu) * 100 : null,
      cursorP50: b.cells.cursorP50,
      cursorP99: b.cells.cursorP99,
      cursorFanout: b.cells.cursorFanout,
      p99: b.cells.p99,
      max: b.cells.max,
      undelivered: b.cells.undelivered,
      msgsPerEdit: b.cells.msgsPerEdit,
      bytesPerEdit: b.cells.bytesPerEdit,
      stallMax: b.cells.stallMax,
      serverRss: b.cells.serverRss,
      convergence: b.cells.convergence,
      genCpu: b.cells.genCpu,
      genLoopMax: b.cells.genLoopMax,
      serverWait: b.cells.serverWait,
      machine: b.cells.machine,
      others: b.cells.others,
    }
  }
  await ctx.pool.all(() => ({ cmd: 'close' }), 30_000)
  return out
}

const fanout50: Scenario = {
  id: 'fanout50',
  tables: (o) => [
    {
      id: 'main',
      title: `Fan-out: ${o.clients50} clients, one board, durable persistence (ours: DURABILITY=full)`,
      setup: fanoutSetup(o, o.clients50),
      rows: loadRows({ p99: 10, cpu: 15, stall: 60, undelivered: true }),
    },
    {
      id: 'presence',
      title: `Presence: the same ${o.clients50} clients + cursors at ${o.cursorHz} Hz (awareness)`,
      setup:
        `Same server process and clients as above, a second ${o.duration} s phase with every client also moving its cursor at ${o.cursorHz} Hz. ` +
        `CPU delta = (CPU with cursors − CPU without) / CPU without. Cursor latency = awareness update sent → arrival at every other client.`,
      rows: [
        { key: 'cpuWithout', label: 'server CPU without cursors (%)', digits: 1 },
        { key: 'cpuWith', label: 'server CPU with cursors (%)', digits: 1 },
        { key: 'cpuDelta', label: 'CPU added by cursors (%)', digits: 0, goal: { op: '<=', value: 40 } },
        { key: 'cursorP50', label: 'cursor p50 (ms)', digits: 2 },
        { key: 'cursorP99', label: 'cursor p99 (ms)', digits: 2 },
        { key: 'cursorFanout', label: 'cursor deliveries per cursor update', digits: 1 },
        { key: 'p99', label: 'edit fan-out p99 with cursors (ms)', digits: 2 },
        { key: 'max', label: 'edit fan-out max with cursors (ms)', digits: 1 },
        { key: 'undelivered', label: 'undelivered edits (after drain)', digits: 0, goal: { op: '=', value: 0 } },
        { key: 'msgsPerEdit', label: 'messages received per edit (incl. awareness)', digits: 1 },
        { key: 'bytesPerEdit', label: 'wire bytes received per edit (incl. awareness)', digits: 0 },
        { key: 'stallMax', label: 'server event-loop stall, max (ms)', digits: 1 },
        { key: 'serverRss', label: 'server peak RSS (MB)', digits: 1 },
        { key: 'convergence', label: 'convergence', ratio: false },
        { key: 'serverWait', label: 'server event loop waiting for a free CPU (% of the time)', digits: 1, ratio: false },
        { key: 'genCpu', label: 'load generator CPU (% of one core)', digits: 0, ratio: false },
        { key: 'genLoopMax', label: 'load generator event-loop delay, max (ms)', digits: 1, ratio: false },
        { key: 'machine', label: 'machine CPU busy (%)', digits: 0, ratio: false },
        { key: 'others', label: 'CPU of other processes on the machine (% of one core)', digits: 0, ratio: false },
      ],
    },
  ],
  budgetMs: (o) => (2 * o.duration + 2 * o.drain) * 1000 + 120_000,
  run: (ctx) => fanout(ctx, ctx.o.clients50, true),
}

const fanout200: Scenario = {
  id: 'fanout200',
  tables: (o) => [
    {
      id: 'main',
      title: `Fan-out: ${o.clients200} clients, one board`,
      setup: fanoutSetup(o, o.clients200),
      rows: loadRows({ p99: 25, max: 100, cpu: 60, undelivered: true }),
    },
  ],
  budgetMs: (o) => (o.duration + o.drain) * 1000 + 150_000,
  run: (ctx) => fanout(ctx, ctx.o.clients200, false),
}

const fanout2proc: Scenario = {
  id: 'fanout2proc',
  processes: 2,
  tables: (o) => [
    {
      id: 'main',
      title: `Two server processes: ${o.clients2p} clients of one board spread over both`,
      setup:
        `The fan-out load of the ${o.clients50}-client table (${o.rate} edits/s per client, same records and create/drag mix, ${o.duration} s, no cursors) ` +
        `on one board served by two processes of the same server: clients alternate between them (client i on process i % 2), so every edit ` +
        `reaches half of its receivers through the other process. Ours: two processes (startServer, as above) with DATABASE_URL = ` +
        `the machine's PostgreSQL (a fresh schema per run, dropped afterwards) and REDIS_URL = its Redis; the board is created with ` +
        `POST /api/boards on process 1. Reference: Hocuspocus, two processes with @hocuspocus/extension-redis 3.4.4 (Redis only, ` +
        `documents in memory, no persistence); the stock server has no multi-process mode. "ours, 1 process" = our figure in the ` +
        `${o.clients50}-client table of this run (SQLite, one process), when it ran. Same-/cross-process = receiver on the sender's process ` +
        `or on the other one. Server CPU = both processes summed; Redis and PostgreSQL CPU are the services' own processes (PostgreSQL: ` +
        `all its processes on the machine, anyone's). Goals are the single-process goals of the ${o.clients50}-client table, for reference.`,
      rows: [
        { key: 'edits', label: 'edits sent', digits: 0, ratio: false },
        { key: 'p50', label: 'fan-out p50, all receivers (ms)', digits: 2 },
        { key: 'p95', label: 'fan-out p95, all receivers (ms)', digits: 2 },
        { key: 'p99', label: 'fan-out p99, all receivers (ms)', digits: 2, goal: { op: '<=', value: 10 } },
        { key: 'max', label: 'fan-out max, all receivers (ms)', digits: 1 },
        { key: 'p50Same', label: 'fan-out p50, same-process receivers (ms)', digits: 2 },
        { key: 'p99Same', label: 'fan-out p99, same-process receivers (ms)', digits: 2 },
        { key: 'p50Cross', label: 'fan-out p50, cross-process receivers (ms)', digits: 2 },
        { key: 'p99Cross', label: 'fan-out p99, cross-process receivers (ms)', digits: 2 },
        { key: 'maxCross', label: 'fan-out max, cross-process receivers (ms)', digits: 1 },
        { key: 'p99full', label: 'p99 at full-Y.Doc receivers, after apply (ms)', digits: 2 },
        { key: 'undelivered', label: 'undelivered (after drain)', digits: 0, goal: { op: '=', value: 0 } },
        { key: 'undeliveredCross', label: 'of which cross-process', digits: 0 },
        { key: 'crossCheck', label: 'cross-process delivery: clients on one process receive every edit made on the other', ratio: false },
        { key: 'drainS', label: 'drain: load end → all delivered (s)', digits: 2, ratio: false },
        { key: 'dropped', label: 'clients disconnected', digits: 0, ratio: false },
        { key: 'msgsPerEdit', label: 'messages received per edit (all clients)', digits: 1 },
        { key: 'bytesPerEdit', label: 'wire bytes received per edit (all clients)', digits: 0 },
        { key: 'appendsPerEdit', label: 'ours: entries appended to the shared PostgreSQL log per edit (updates merged per commit)', digits: 2, ratio: false },
        { key: 'serverCpu', label: 'server CPU, both processes (% of one core)', digits: 1, goalText: '1 process: ≤ 15' },
        { key: 'serverCpu0', label: 'server CPU, process 1 (%)', digits: 1 },
        { key: 'serverCpu1', label: 'server CPU, process 2 (%)', digits: 1 },
        { key: 'redisCpu', label: 'Redis server CPU (% of one core)', digits: 1 },
        { key: 'pgCpu', label: 'PostgreSQL CPU, all its processes (% of one core)', digits: 1 },
        { key: 'serverRss', label: 'server peak RSS, larger process (MB)', digits: 1 },
        { key: 'serverRss0', label: 'server peak RSS, process 1 (MB)', digits: 1 },
        { key: 'serverRss1', label: 'server peak RSS, process 2 (MB)', digits: 1 },
        { key: 'stallMax', label: 'server event-loop stall, max of both (ms)', digits: 1, goal: { op: '<=', value: 60 } },
        { key: 'stallMax0', label: 'server event-loop stall, process 1 (ms)', digits: 1 },
        { key: 'stallMax1', label: 'server event-loop stall, process 2 (ms)', digits: 1 },
        { key: 'convergence', label: 'convergence', ratio: false },
        { key: 'genCpu', label: 'load generator CPU (% of one core, all workers)', digits: 0, ratio: false },
        { key: 'genLoopMax', label: 'load generator event-loop delay, max (ms)', digits: 1, ratio: false },
        { key: 'machine', label: 'machine CPU busy (% of all cores)', digits: 0, ratio: false },
        { key: 'irq', label: 'kernel interrupt time, loopback networking (% of one core)', digits: 0, ratio: false },
        { key: 'others', label: 'CPU of other processes on the machine (% of one core)', digits: 0, ratio: false },
        { key: 'serverWait', label: 'server event loop waiting for a free CPU, worse process (% of the time)', digits: 1, ratio: false },
      ],
    },
  ],
  budgetMs: (o) => (o.duration + o.drain) * 1000 + 150_000,
  async run(ctx) {
    const { o } = ctx
    const clients = o.clients2p
    const maxSeq = Math.ceil(o.rate * o.duration * 1.3) + 50
    const pl = await place(ctx, clients, 1, true)
    ctx.log(`connecting ${clients} clients over ${ctx.servers.length} processes`)
    const conn = await connect(ctx, pl.specs, { batch: 50, maxSeq, totalClients: clients })
    if (conn.failed.length > 0) ctx.notes.push(`${conn.failed.length} clients failed to connect: ${failureSummary(conn.failed)}`)
    if (conn.connected === 0) throw new Error(`no client connected: ${failureSummary(conn.failed)}`)
    // Let the processes settle (Hocuspocus' second process syncs the document over Redis on load).
    await sleep(1000)
    ctx.log(`load: ${o.duration} s`)
    const board = pl.rooms[0].docName
    const seq0 = await ctx.group?.logSeq(board).catch(() => null)
    const a = await loadPhase(ctx, pl, { rate: o.rate, cursorHz: 0, durationS: o.duration, seed: o.seed })
    const seq1 = await ctx.group?.logSeq(board).catch(() => null)
    const edits = typeof a.cells.edits === 'number' ? a.cells.edits : 0
    a.cells.appendsPerEdit = typeof seq0 === 'number' && typeof seq1 === 'number' && edits > 0 ? (seq1 - seq0) / edits : null
    // Checked even with deliveries missing: a process that syncs its peer by state (Hocuspocus'
    // Redis extension answers a state vector with a diff) sends only a record's last version, so an
    // edit overwritten before the other process asked never reaches its clients, yet the board may
    // still converge. Which of the two happened is what this cell tells.
    const conv = await convergence(ctx, pl)
    const missing = typeof a.cells.undelivered === 'number' ? a.cells.undelivered : 0
    a.cells.convergence = missing > 0 && conv.startsWith('ok') ? `${conv}, though ${missing} deliveries are missing` : conv
    await ctx.pool.all(() => ({ cmd: 'close' }), 30_000)
    return { main: a.cells }
  },
}

async function mem(ctx: Ctx): Promise<MemInfo> {
  return ctx.server.mem(true)
}

const heapOf = (m: MemInfo) => m.heapUsed + m.external

const latejoin: Scenario = {
  id: 'latejoin',
  tables: (o) => [
    {
      id: 'main',
      title: `Late joiner on a ${o.boardNotes.toLocaleString('en-US')}-note board`,
      setup:
        `${o.boards} board(s) seeded with ${o.boardNotes} notes each (tldraw note records like server/test/fixtures.ts, random ids and text) ` +
        `by a client that stays connected (the board stays loaded); then ${o.joins} fresh clients join board 1 one after another ` +
        `(clients offer permessage-deflate, as browsers do). Received = connect start → arrival of the frame that completes the board ` +
        `(server + network); applied = after Y.applyUpdate in the joiner (adds the client's own CPU, the same work for every server). ` +
        `Wire bytes = TCP payload read by the joiner until synced (handshake and framing included). Memory per board = server ` +
        `memory after forced GC, (seeded − empty) / boards.`,
      rows: [
        { key: 'receivedP50', label: 'time to synced, board received, p50 (ms)', digits: 1, goal: { op: '<=', value: 60 } },
        { key: 'syncP50', label: 'time to synced, board applied, p50 (ms)', digits: 1 },
        { key: 'syncMax', label: 'time to synced, board applied, max (ms)', digits: 1 },
        { key: 'step2P50', label: 'first sync step 2 arrived, p50 (ms)', digits: 1 },
        { key: 'wireMB', label: 'wire bytes to synced (MB)', digits: 2, goal: { op: '<=', value: 0.8 } },
        { key: 'payloadMB', label: 'payload bytes to synced, uncompressed (MB)', digits: 2 },
        { key: 'records', label: 'records received', digits: 0, ratio: false },
        { key: 'rssPerBoard', label: 'server RSS per loaded board (MB)', digits: 1, goal: { op: '<=', value: 20 } },
        { key: 'heapPerBoard', label: 'server JS heap + external per loaded board (MB)', digits: 1 },
        { key: 'seedS', label: 'seeding: all notes accepted (s)', digits: 2 },
        { key: 'serverRss', label: 'server peak RSS (MB)', digits: 1 },
      ],
    },
  ],
  budgetMs: (o) => 60_000 * o.boards + o.joins * 5_000 + 60_000,
  async run(ctx) {
    const { o, server, pool } = ctx
    const rooms: RoomRef[] = []
    for (let b = 0; b < o.boards; b++) rooms.push(await server.createRoom())
    const m0 = await mem(ctx)
    ctx.log(`seeding ${o.boards} × ${o.boardNotes} notes`)
    const t0 = performance.now()
    const want = o.boardNotes + (server.name.startsWith('arvo') ? 2 : 0)
    for (let b = 0; b < o.boards; b++) {
      await pool.request(b % pool.size, {
        cmd: 'seed',
        client: server.client(rooms[b], b, { full: false, presence: true }),
        notes: o.boardNotes,
        chunk: 250,
        timeoutMs: 20_000,
      }, 60_000)
    }
    // The server has the board once a fresh client receives all of it.
    for (let b = 0; b < o.boards; b++) {
      for (;;) {
        const a = await pool.request<AuditResult>(0, {
          cmd: 'audit',
          client: server.client(rooms[b], AUDIT_INDEX, { full: true, presence: false }),
          timeoutMs: 30_000,
        }, 40_000)
        if (a.records >= want) break
        if (performance.now() - t0 > 60_000 * o.boards) throw new Error(`board ${b} has ${a.records}/${want} records after seeding`)
        await sleep(200)
      }
    }
    const seedS = (performance.now() - t0) / 1000
    await sleep(1000)
    const m1 = await mem(ctx)
    ctx.log(`${o.joins} late joins`)
    const joins: JoinResult[] = []
    for (let j = 0; j < o.joins; j++) {
      joins.push(
        await pool.request<JoinResult>(j % pool.size, {
          cmd: 'join',
          client: { ...server.client(rooms[0], 100 + j, { full: true, presence: true }), minRecords: want },
          timeoutMs: 30_000,
        }, 40_000),
      )
      await sleep(150)
    }
    await pool.all(() => ({ cmd: 'close' }), 30_000)
    return {
      main: {
        receivedP50: quantileOf(joins.map((j) => j.receivedMs), 0.5),
        syncP50: quantileOf(joins.map((j) => j.syncedMs), 0.5),
        syncMax: Math.max(...joins.map((j) => j.syncedMs)),
        step2P50: quantileOf(joins.map((j) => j.step2Ms), 0.5),
        wireMB: quantileOf(joins.map((j) => j.wireBytes), 0.5) / MB,
        payloadMB: quantileOf(joins.map((j) => j.payloadBytes), 0.5) / MB,
        records: Math.min(...joins.map((j) => j.records)),
        rssPerBoard: (m1.rss - m0.rss) / o.boards / MB,
        heapPerBoard: (heapOf(m1) - heapOf(m0)) / o.boards / MB,
        seedS,
        serverRss: memory(server.pid).peak / MB,
      },
    }
  },
}

const idle: Scenario = {
  id: 'idle',
  tables: (o) => [
    {
      id: 'main',
      title: `Idle connections: ${o.idle} clients in ${o.idleRooms} boards`,
      setup:
        `One client per board first (the boards are loaded), then the other ${o.idle - o.idleRooms} connect and sit idle with a presence state. ` +
        `Per connection = slope of server memory after forced GC (measured after each eighth of them) over clients added. Part of the growth is paid once, ` +
        `not per connection (V8 enlarges its young generation under the connection burst and keeps it, ~10 MB here): ` +
        `it is spread over enough connections (default 2,000) for the figure to be the per-connection cost.`,
      rows: [
        { key: 'rssPerConn', label: 'server RSS per idle connection (KB)', digits: 1, goal: { op: '<=', value: 15 } },
        { key: 'heapPerConn', label: 'server JS heap + external per idle connection (KB)', digits: 1 },
        { key: 'rssTotal', label: 'server RSS growth, all idle connections (MB)', digits: 1 },
        { key: 'idleCpu', label: `server CPU while idle (% of one core)`, digits: 2 },
        { key: 'connected', label: 'connected', digits: 0, ratio: false },
      ],
    },
  ],
  budgetMs: () => 150_000,
  async run(ctx) {
    const { o, server } = ctx
    const pl = await place(ctx, o.idle, o.idleRooms, true)
    const first = pl.specs.slice(0, o.idleRooms)
    const rest = pl.specs.slice(o.idleRooms)
    const c1 = await connect(ctx, first, { batch: 0, maxSeq: 1, totalClients: o.idle })
    await sleep(1000)
    const m0 = await mem(ctx)
    ctx.log(`connecting ${rest.length} idle clients`)
    // Memory after each eighth: the figure is the slope of a line fitted through all of them,
    // less swayed by one-time growth than (last − first) / n.
    const points: { n: number; rss: number; heap: number }[] = [{ n: 0, rss: m0.rss, heap: heapOf(m0) }]
    const c2: ConnectResult = { connected: 0, failed: [], syncUs: [] }
    const step = Math.ceil(rest.length / 8)
    for (let from = 0; from < rest.length; from += step) {
      const r = await connect(ctx, rest.slice(from, from + step), { batch: 50, maxSeq: 1, totalClients: o.idle })
      c2.connected += r.connected
      c2.failed.push(...r.failed)
      await sleep(500)
      const m = await mem(ctx)
      points.push({ n: c2.connected, rss: m.rss, heap: heapOf(m) })
    }
    const failed = [...c1.failed, ...c2.failed]
    if (failed.length > 0) ctx.notes.push(`${failed.length} idle clients failed to connect: ${failureSummary(failed)}`)
    await sleep(1500)
    const m1 = await mem(ctx)
    const cpu = new CpuWindow([server.pid])
    await sleep(3000)
    const idleCpu = cpu.read().perPid[0]
    await ctx.pool.all(() => ({ cmd: 'close' }), 30_000)
    const added = c2.connected
    return {
      main: {
        rssPerConn: added > 0 ? linearSlope(points.map((p) => p.n), points.map((p) => p.rss)) / 1024 : null,
        heapPerConn: added > 0 ? linearSlope(points.map((p) => p.n), points.map((p) => p.heap)) / 1024 : null,
        rssTotal: (m1.rss - m0.rss) / MB,
        idleCpu,
        connected: c1.connected + c2.connected,
      },
    }
  },
}

const burst: Scenario = {
  id: 'burst',
  tables: (o) => [
    {
      id: 'main',
      title: `${o.burst} clients connecting at once`,
      setup:
        `${o.burst} clients (each with a presence state) open their sockets in the same instant on one board; time = that instant → ` +
        `sync step 2 applied, per client. The clients are split over the load workers, which create their sockets in one loop.`,
      rows: [
        { key: 'all', label: 'all synced (ms)', digits: 1, goal: { op: '<=', value: 150 } },
        { key: 'p50', label: 'time to synced p50 (ms)', digits: 1 },
        { key: 'p99', label: 'time to synced p99 (ms)', digits: 1 },
        { key: 'failed', label: 'failed to sync', digits: 0, goal: { op: '=', value: 0 } },
        { key: 'serverCpuS', label: 'server CPU time for the burst (s)', digits: 2 },
        { key: 'genCpuS', label: 'load generator CPU time (s)', digits: 2, ratio: false },
      ],
    },
  ],
  budgetMs: () => 90_000,
  async run(ctx) {
    const { o, server, pool } = ctx
    const pl = await place(ctx, o.burst, 1, true)
    const atUs = nowUs() + 500_000
    const before = new CpuWindow([server.pid, ...pool.pids])
    const res = await connect(ctx, pl.specs, { batch: 0, atUs, maxSeq: 1, totalClients: o.burst, timeoutMs: 30_000 })
    const w = before.read()
    // CPU seconds over the window (the window includes the 0.5 s wait before the burst, idle for all).
    const cpuS = (pct: number) => (pct / 100) * w.seconds
    await pool.all(() => ({ cmd: 'close' }), 30_000)
    if (res.failed.length > 0) ctx.notes.push(`burst failures: ${failureSummary(res.failed)}`)
    const ms = res.syncUs.map((u) => u / 1000)
    return {
      main: {
        all: res.failed.length === 0 ? Math.max(...ms) : `${res.failed.length} never synced`,
        p50: quantileOf(ms, 0.5),
        p99: quantileOf(ms, 0.99),
        failed: res.failed.length,
        serverCpuS: cpuS(w.perPid[0]),
        genCpuS: w.perPid.slice(1).reduce((a, p) => a + cpuS(p), 0),
      },
    }
  },
}

const slow: Scenario = {
  id: 'slow',
  tables: (o) => [
    {
      id: 'main',
      title: `Stuck clients: ${o.slowStuck} clients stop reading while ${o.slowActive} write`,
      setup:
        `${o.slowActive} active clients write ${o.slowRate} edits/s each, ${o.slowBatch} notes per edit (multi-select drags and pastes, ` +
        `~${Math.round((o.slowBatch * 480) / 1024)} KB per update; 1 full Y.Doc receiver), for ${o.slowDuration} s on one board while ${o.slowStuck} clients ` +
        `on the same board stop reading their socket, so the server's sends to them pile up (the first few MB per socket sit in ` +
        `the kernel's loopback buffers, outside the process). Server memory = JS heap + external (where unsent Buffers live), ` +
        `after a forced GC every 2 s (these GCs also slow the active clients a little); growth rate = slope over the last third of the run. ` +
        `The board itself grows under this load (~${Math.round(o.slowActive * o.slowRate * o.slowBatch * o.createShare)} new notes/s plus every drag's overwritten entries), ` +
        `so the same load then runs on a fresh board with all ${o.slowActive + o.slowStuck} clients reading (the control), and the goal is on the growth beyond it. ` +
        `A send-queue limit (ours: MAX_BUFFERED_BYTES, 8 MB; CLIENT_STALL_MS, 5 s) only shows once a stuck socket has taken the kernel's share too.`,
      rows: [
        { key: 'memPeak', label: 'server heap + external growth, peak (MB)', digits: 1 },
        { key: 'memSlope', label: 'server heap + external growth at the end (MB/s)', digits: 2 },
        { key: 'ctlSlope', label: 'the same, control run: no client stuck (MB/s)', digits: 2 },
        { key: 'excess', label: 'growth at the end beyond the control (MB/s)', digits: 2, goal: { op: '<=', value: 0.1 } },
        { key: 'memRetained', label: 'held after the run (MB)', digits: 1 },
        { key: 'rssGrowth', label: 'server RSS growth, peak (MB)', digits: 1 },
        { key: 'closedStuck', label: 'stuck clients closed by the server', digits: 0, ratio: false },
        { key: 'p99', label: 'active clients fan-out p99 (ms)', digits: 2 },
        { key: 'ctlP99', label: 'active clients fan-out p99, control run (ms)', digits: 2 },
        { key: 'undelivered', label: 'undelivered to active clients', digits: 0 },
        { key: 'serverCpu', label: 'server CPU (% of one core)', digits: 1 },
        { key: 'genCpu', label: 'load generator CPU (% of one core, all workers)', digits: 0, ratio: false },
        { key: 'others', label: 'CPU of other processes on the machine (% of one core)', digits: 0, ratio: false },
      ],
    },
  ],
  budgetMs: (o) => 2 * (o.slowDuration + o.drain) * 1000 + 150_000,
  async run(ctx) {
    const { o } = ctx
    // The control second: the first board unloads early in the control run, long before the
    // window its slope is taken over (the first run's own figures start from a quiet server).
    const run = await stuckRun(ctx, o.slowStuck)
    await sleep(1000)
    const ctl = await stuckRun(ctx, 0)
    if (run.closed.length > 0) {
      ctx.notes.push(`stuck clients closed with: ${[...new Set(run.closed.map((c) => `${c.code} ${c.reason}`.trim()))].join('; ')}`)
    }
    return {
      main: {
        memPeak: run.memPeak,
        memSlope: run.slope,
        ctlSlope: ctl.slope,
        excess: run.slope - ctl.slope,
        memRetained: run.retained,
        rssGrowth: run.rssGrowth,
        closedStuck: `${run.closed.length}/${o.slowStuck}`,
        p99: run.phase.cells.p99,
        ctlP99: ctl.phase.cells.p99,
        undelivered: run.phase.cells.undelivered,
        serverCpu: run.phase.cells.serverCpu,
        genCpu: run.phase.cells.genCpu,
        others: run.phase.cells.others,
      },
    }
  },
}

/** One run of the stuck-client load on a fresh board; `stuckCount` of its readers stop reading. */
async function stuckRun(ctx: Ctx, stuckCount: number) {
  const { o, server, pool } = ctx
  const n = o.slowActive + o.slowStuck
  const maxSeq = Math.ceil(o.slowRate * o.slowDuration * 1.3) + 50
  // One full client: applying every big update in several docs would load the generator.
  const pl = await place(ctx, n, 1, true, Math.min(1, o.full))
  const conn = await connect(ctx, pl.specs, { batch: 50, maxSeq, totalClients: n })
  if (conn.failed.length > 0) ctx.notes.push(`${conn.failed.length} clients failed to connect: ${failureSummary(conn.failed)}`)
  const stuck = pl.specs.slice(o.slowActive, o.slowActive + stuckCount).map((s) => s.index)
  if (stuck.length > 0) await pool.all(() => ({ cmd: 'stall', indexes: stuck }), 10_000)
  await sleep(500)
  const m0 = await mem(ctx)
  const rss0 = memory(server.pid).rss
  const samples: { t: number; mem: number; rss: number }[] = []
  const t0 = performance.now()
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      const m = await server.mem(true).catch(() => null)
      if (m) samples.push({ t: (performance.now() - t0) / 1000, mem: heapOf(m), rss: memory(server.pid).rss })
      await sleep(2000)
    }
  })()
  const phase = await loadPhase(ctx, pl, {
    rate: o.slowRate,
    notesPerEdit: o.slowBatch,
    cursorHz: 0,
    durationS: o.slowDuration,
    seed: o.seed + 7,
    writers: pl.specs.slice(0, o.slowActive).map((s) => s.index),
  })
  sampling = false
  await sampler
  const m1 = await mem(ctx)
  const late = samples.filter((s) => s.t >= (o.slowDuration * 2) / 3 && s.t <= o.slowDuration + 1)
  const slope = linearSlope(late.map((s) => s.t), late.map((s) => s.mem / MB))
  const un = await pool.all<UnstallResult>(() => ({ cmd: 'unstall', waitMs: stuck.length > 0 ? 3000 : 0 }), 20_000)
  await pool.all(() => ({ cmd: 'close' }), 30_000)
  return {
    phase,
    slope,
    memPeak: (Math.max(heapOf(m0), ...samples.map((s) => s.mem)) - heapOf(m0)) / MB,
    retained: (heapOf(m1) - heapOf(m0)) / MB,
    rssGrowth: (Math.max(rss0, ...samples.map((s) => s.rss)) - rss0) / MB,
    closed: un.flatMap((u) => u.closed),
  }
}

function linearSlope(xs: number[], ys: number[]): number {
  const n = xs.length
  if (n < 2) return Number.NaN
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return den === 0 ? Number.NaN : num / den
}

export const SCENARIOS: readonly Scenario[] = [fanout50, fanout200, fanout2proc, latejoin, idle, burst, slow]
