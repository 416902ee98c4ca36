/**
 * Child processes of a benchmark run: the server under test (one process per server and
 * scenario) and the load workers. Every child is registered so that it is killed when the
 * run ends, fails, or is interrupted.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createConnection } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LauncherAsk, LauncherCommand, LauncherMessage, LoopInfo, MemInfo, WorkerCommand, WorkerReply } from './ipc.ts'
import type { ClientSpec, Dialect } from './load/client.ts'
import pg from 'pg'
import type { CreateBoardResponse } from '../shared/protocol.ts'

const here = dirname(fileURLToPath(import.meta.url))
const children = new Set<ChildProcess>()

/** Kills every child still running (SIGKILL: used on exit paths). */
export function killAllChildren(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  }
  children.clear()
}

function track(c: ChildProcess): ChildProcess {
  children.add(c)
  c.once('exit', () => children.delete(c))
  return c
}

async function stopChild(c: ChildProcess, graceMs: number): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return
  const exited = new Promise<void>((r) => c.once('exit', () => r()))
  c.kill('SIGTERM')
  const timer = setTimeout(() => c.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

// ---- servers -----------------------------------------------------------------------------

export type ServerName = 'arvo' | 'arvo-normal' | 'stock' | 'hocuspocus'
export const SERVER_NAMES: readonly ServerName[] = ['arvo', 'arvo-normal', 'stock', 'hocuspocus']

interface ServerDef {
  script: string
  dialect: Dialect
  env: Record<string, string>
  /** Rooms must be created through our API first. */
  api: boolean
}

/** Two-process mode: what the processes of one group share. */
export interface GroupLink {
  /** Ours: DATABASE_URL of every process (a fresh schema per run). */
  databaseUrl?: string
  /** Ours: REDIS_URL; Hocuspocus: its Redis extension's server. */
  redisUrl: string
  /** Hocuspocus: key prefix of its Redis extension (fresh per run). */
  redisPrefix?: string
}

function serverDef(name: ServerName, arvoEnv: Record<string, string>, link?: GroupLink): ServerDef {
  const script = (f: string) => join(here, 'servers', f)
  const arvo = { dialect: 'y-websocket' as const, api: true }
  if (link) {
    switch (name) {
      case 'arvo':
        return {
          ...arvo,
          script: script('arvo.ts'),
          env: {
            BENCH_DURABILITY: 'full',
            BENCH_ARVO_ENV: JSON.stringify({ ...arvoEnv, DATABASE_URL: link.databaseUrl ?? '', REDIS_URL: link.redisUrl }),
          },
        }
      case 'hocuspocus':
        return {
          script: script('hocuspocus.ts'),
          dialect: 'hocuspocus',
          env: { BENCH_REDIS_URL: link.redisUrl, BENCH_REDIS_PREFIX: link.redisPrefix ?? 'hocuspocus' },
          api: false,
        }
      default:
        throw new NotApplicable(`${name} has no multi-process mode`)
    }
  }
  switch (name) {
    case 'arvo':
      return { ...arvo, script: script('arvo.ts'), env: { BENCH_DURABILITY: 'full', BENCH_ARVO_ENV: JSON.stringify(arvoEnv) } }
    case 'arvo-normal':
      return { ...arvo, script: script('arvo.ts'), env: { BENCH_DURABILITY: 'normal', BENCH_ARVO_ENV: JSON.stringify(arvoEnv) } }
    case 'stock':
      return { script: script('stock.ts'), dialect: 'y-websocket', env: {}, api: false }
    case 'hocuspocus':
      return { script: script('hocuspocus.ts'), dialect: 'hocuspocus', env: {}, api: false }
  }
}

/** A room on a server under test, ready to hand to clients. */
export interface RoomRef {
  url: string
  docName: string
}

/** One server under test in its own process. */
export class ServerProcess {
  port = 0
  /** Last lines the server wrote on stderr (shown when it fails). */
  readonly stderrTail: string[] = []
  warnings = 0
  /** The last stderr line counted as a warning (the lines after it may be its stack or object dump). */
  lastWarning = ''
  private nextId = 1
  private readonly pending = new Map<number, (r: MemInfo | LoopInfo | null) => void>()
  private constructor(
    readonly name: ServerName,
    private readonly def: ServerDef,
    private readonly child: ChildProcess,
  ) {}

  get pid(): number {
    return this.child.pid ?? 0
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  static async start(name: ServerName, arvoEnv: Record<string, string>, timeoutMs = 30_000, link?: GroupLink): Promise<ServerProcess> {
    const def = serverDef(name, arvoEnv, link)
    const child = track(
      fork(def.script, [], {
        execArgv: ['--import', 'tsx', '--expose-gc'],
        env: { ...process.env, ...def.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      }),
    )
    const s = new ServerProcess(name, def, child)
    child.stdout?.resume()
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line.trim()) continue
        if (/WARN|warn|Error/.test(line)) {
          s.warnings++
          s.lastWarning = line.slice(0, 300)
        }
        s.stderrTail.push(line.slice(0, 300))
        if (s.stderrTail.length > 20) s.stderrTail.shift()
      }
    })
    child.on('message', (m: LauncherMessage) => {
      if (m.type === 'reply') {
        s.pending.get(m.id)?.(m.result)
        s.pending.delete(m.id)
      }
    })
    s.port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs)
      child.on('message', (m: LauncherMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer)
          resolve(m.port)
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`${name} exited with ${code} before listening: ${s.stderrTail.slice(-3).join(' | ')}`))
      })
    })
    return s
  }

  private ask(cmd: LauncherAsk, timeoutMs = 10_000): Promise<MemInfo | LoopInfo | null> {
    if (!this.alive) return Promise.reject(new Error(`${this.name} is not running`))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`${this.name} did not answer ${cmd.cmd} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, (r) => {
        clearTimeout(timer)
        resolve(r)
      })
      this.child.send({ ...cmd, id } as LauncherCommand)
    })
  }

  /** The server process' memory, after a forced full GC when `gc`. */
  async mem(gc: boolean): Promise<MemInfo> {
    return (await this.ask({ cmd: 'mem', gc }, 30_000)) as MemInfo
  }

  /** Starts a CPU profile of the server's event loop (after start-up, so it shows the load only). */
  async profileStart(): Promise<void> {
    await this.ask({ cmd: 'profile-start' })
  }

  /** Stops the profile and writes it to `path` (waits for a backlogged server up to 2 minutes). */
  async profileStop(path: string): Promise<void> {
    await this.ask({ cmd: 'profile-stop', path }, 120_000)
  }

  async loopReset(): Promise<void> {
    await this.ask({ cmd: 'loop-reset' })
  }

  /** Event-loop delay since the last reset. */
  async loop(timeoutMs = 10_000): Promise<LoopInfo> {
    return (await this.ask({ cmd: 'loop' }, timeoutMs)) as LoopInfo
  }

  /** A new room: a board created through POST /api/boards for ours, a fresh name otherwise. */
  async createRoom(): Promise<RoomRef> {
    const base = `ws://127.0.0.1:${this.port}`
    if (this.def.api) {
      const res = await fetch(`http://127.0.0.1:${this.port}/api/boards`, { method: 'POST', body: '{}' })
      if (res.status !== 201) throw new Error(`POST /api/boards answered ${res.status}`)
      const { id, links } = (await res.json()) as CreateBoardResponse
      // clients connect with the facilitator's token (the websocket's `token` query parameter)
      const token = new URLSearchParams(new URL(links.facilitator).hash.slice(1)).get('token') ?? ''
      return { url: `${base}/sync/${id}?token=${encodeURIComponent(token)}`, docName: id }
    }
    const name = `bench-${randomBytes(6).toString('hex')}`
    return { url: this.def.dialect === 'hocuspocus' ? `${base}/` : `${base}/${name}`, docName: name }
  }

  /** The same room as `room` (made on another process of this group), reached through this process. */
  sameRoom(room: RoomRef): RoomRef {
    const u = new URL(room.url)
    u.port = String(this.port)
    return { url: u.toString(), docName: room.docName }
  }

  /** The spec of client `index` in `room`. */
  client(room: RoomRef, index: number, opts: { full: boolean; presence: boolean }): ClientSpec {
    return { index, url: room.url, docName: room.docName, dialect: this.def.dialect, ...opts }
  }

  /** SIGTERM (the launcher closes the server and exits), SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    await stopChild(this.child, graceMs)
  }
}

// ---- load workers ------------------------------------------------------------------------

/** The load-generator processes of one measurement. */
export class WorkerPool {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>()

  private constructor(private readonly workers: ChildProcess[]) {
    for (const w of workers) {
      w.on('message', (m: WorkerReply) => {
        const p = this.pending.get(m.id)
        if (!p) return
        this.pending.delete(m.id)
        if (m.ok) p.resolve(m.result)
        else p.reject(new Error(m.error ?? 'worker error'))
      })
      w.once('exit', (code, signal) => {
        const err = new Error(`load worker exited (${code ?? signal})`)
        for (const p of this.pending.values()) p.reject(err)
        this.pending.clear()
      })
    }
  }

  static async start(count: number): Promise<WorkerPool> {
    const workers = Array.from({ length: count }, () =>
      track(
        fork(join(here, 'load', 'worker.ts'), [], {
          execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      ),
    )
    const pool = new WorkerPool(workers)
    // Round trip once so that every worker has loaded its modules before timing starts.
    await Promise.all(workers.map((_, i) => pool.request(i, { cmd: 'reset' }, 30_000)))
    return pool
  }

  get size(): number {
    return this.workers.length
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid ?? 0)
  }

  request<T>(worker: number, command: WorkerCommand, timeoutMs: number): Promise<T> {
    const w = this.workers[worker]
    if (w.exitCode !== null || w.signalCode !== null) return Promise.reject(new Error('load worker is not running'))
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`load worker: ${command.cmd} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer)
          resolve(r as T)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      w.send({ id, command })
    })
  }

  /** Sends `make(i)` to every worker (null: skip that worker) and waits for all answers. */
  all<T>(make: (i: number) => WorkerCommand | null, timeoutMs: number): Promise<T[]> {
    const asks: Promise<T>[] = []
    for (let i = 0; i < this.workers.length; i++) {
      const c = make(i)
      if (c) asks.push(this.request<T>(i, c, timeoutMs))
    }
    return Promise.all(asks)
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => stopChild(w, 2000)))
  }
}

// ---- two-process mode --------------------------------------------------------------------

/** A server that has no such mode: its cells say "n/a" rather than "failed". */
export class NotApplicable extends Error {}

/** Where the two-process mode finds its shared services. */
export interface GroupServices {
  databaseUrl: string
  redisUrl: string
}

/** Schemas made by this run and not yet dropped (dropped on interrupt too). */
const pendingSchemas = new Map<string, string>()

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000, statement_timeout: 15_000 })
  await c.connect()
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await c.end()
  }
  pendingSchemas.delete(schema)
}

/** Drops every schema this run made and has not dropped yet (bounded: ~15 s at worst). */
export async function dropPendingSchemas(): Promise<void> {
  await Promise.allSettled([...pendingSchemas].map(([schema, url]) => dropSchema(url, schema)))
}

async function checkPostgres(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
  } catch (e) {
    throw new Error(`PostgreSQL at ${new URL(databaseUrl).host} not reachable: ${(e as Error).message}`)
  } finally {
    await c.end().catch(() => undefined)
  }
}

/** PING over a raw socket: answers +PONG within 3 s, or the run's cells say why not. */
function checkRedis(redisUrl: string): Promise<void> {
  const u = new URL(redisUrl)
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: u.hostname, port: Number(u.port || 6379) })
    const fail = (why: string) => {
      sock.destroy()
      reject(new Error(`Redis at ${u.host} not reachable: ${why}`))
    }
    sock.setTimeout(3000, () => fail('no answer in 3 s'))
    sock.once('error', (e) => fail(e.message))
    sock.once('connect', () => sock.write('PING\r\n'))
    sock.once('data', (d) => {
      sock.destroy()
      if (d.toString().startsWith('+PONG')) resolve()
      else reject(new Error(`Redis at ${u.host} answered ${JSON.stringify(d.toString().slice(0, 60))}`))
    })
  })
}

/** Several processes of one server sharing boards (ours: Redis + PostgreSQL; Hocuspocus: Redis). */
export class ServerGroup {
  constructor(
    readonly servers: ServerProcess[],
    /** What the processes share, for the report. */
    readonly shared: string,
    private readonly cleanup: () => Promise<void>,
    /** Ours: the processes' DATABASE_URL (with its schema). */
    private readonly databaseUrl: string | null = null,
  ) {}

  /**
   * Ours: the board's log position in PostgreSQL (`arvo_boards.last_seq`, +1 per appended
   * update, compaction does not lower it); null for servers without shared storage.
   */
  async logSeq(boardId: string): Promise<number | null> {
    if (!this.databaseUrl) return null
    const u = new URL(this.databaseUrl)
    const schema = u.searchParams.get('schema')
    u.searchParams.delete('schema')
    const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000, statement_timeout: 10_000 })
    await c.connect()
    try {
      const r = await c.query(`SELECT last_seq FROM ${schema}.arvo_boards WHERE id = $1`, [boardId])
      return r.rows[0] ? Number(r.rows[0].last_seq) : null
    } finally {
      await c.end()
    }
  }

  /** Stops every process, then drops what the group made (our schema). */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop().catch(() => undefined)))
    await this.cleanup()
  }
}

/** Why `name` has no two-process mode, or null when it has one. */
export function groupUnsupported(name: ServerName): string | null {
  if (name === 'arvo-normal') return 'DURABILITY is a SQLite setting; with PostgreSQL every update is a committed transaction (that is the "ours" column)'
  if (name !== 'arvo' && name !== 'hocuspocus') return `${name} has no multi-process mode`
  return null
}

/**
 * Starts `count` processes of `name` linked for the two-process mode. Ours get
 * DATABASE_URL=<db>?schema=bench_<random> (the server creates the schema; dropped by
 * `stop()`) and REDIS_URL; Hocuspocus gets its Redis extension with a fresh key prefix.
 */
export async function startGroup(
  name: ServerName,
  arvoEnv: Record<string, string>,
  count: number,
  services: GroupServices,
): Promise<ServerGroup> {
  const na = groupUnsupported(name)
  if (na) throw new NotApplicable(na)
  await checkRedis(services.redisUrl)
  const tag = randomBytes(5).toString('hex')
  let link: GroupLink
  let cleanup = async (): Promise<void> => undefined
  let shared: string
  if (name === 'arvo') {
    await checkPostgres(services.databaseUrl)
    const schema = `bench_${tag}`
    const db = new URL(services.databaseUrl)
    db.searchParams.set('schema', schema)
    link = { databaseUrl: db.toString(), redisUrl: services.redisUrl }
    pendingSchemas.set(schema, services.databaseUrl)
    cleanup = () => dropSchema(services.databaseUrl, schema)
    shared = `PostgreSQL ${db.host}${db.pathname} (schema ${schema}, dropped afterwards) and Redis ${new URL(services.redisUrl).host}`
  } else {
    link = { redisUrl: services.redisUrl, redisPrefix: `bench-${tag}` }
    shared = `Redis ${new URL(services.redisUrl).host} (@hocuspocus/extension-redis, prefix bench-${tag}; no persistence)`
  }
  const started = await Promise.allSettled(Array.from({ length: count }, () => ServerProcess.start(name, arvoEnv, 30_000, link)))
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)))
    await cleanup().catch(() => undefined)
    throw failed.reason as Error
  }
  return new ServerGroup(servers, shared, cleanup, link.databaseUrl ?? null)
}
