/**
 * `npm run bench` — runs our server and the two references (stock y-websocket server,
 * Hocuspocus) side by side on loopback under the same canvas-like load, and prints one
 * markdown table per scenario (also written to bench/results/latest.md, raw figures to
 * latest.json). Bounded: every server's run of a scenario has a hard time limit, and one
 * server's failure is recorded in its cells instead of stopping the run.
 *
 * `npm run bench -- --help` lists the flags.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  dropPendingSchemas,
  groupUnsupported,
  killAllChildren,
  NotApplicable,
  SERVER_NAMES,
  ServerProcess,
  startGroup,
  WorkerPool,
  type ServerGroup,
  type ServerName,
} from './harness.ts'
import { summariseProfile } from './profile.ts'
import { machineDescription, waitForQuietMachine } from './proc.ts'
import { renderReport, renderTable, type Cell, type ScenarioTable } from './report.ts'
import { renderGoalSummary, writeReadmeSummary } from './summary.ts'
import { SCENARIO_IDS, SCENARIOS, type BenchOptions, type Ctx } from './scenarios.ts'

const here = dirname(fileURLToPath(import.meta.url))

const HELP = `npm run bench -- [flags]

  --servers LIST        servers to compare (default arvo,stock,hocuspocus; also arvo-normal = ours with DURABILITY=normal)
  --only LIST           scenarios (default all): ${SCENARIO_IDS.join(', ')}
  --clients A,B         clients of the two fan-out scenarios (default 50,200)
  --clients2p N         clients of the two-process scenario fanout2proc (default 50), spread over both processes
  --database-url URL    PostgreSQL shared by our two processes in fanout2proc (default postgres://postgres@127.0.0.1:5432/test;
                        each run uses a fresh schema bench_<random> and drops it afterwards)
  --redis-url URL       Redis linking the two processes in fanout2proc, ours and Hocuspocus' (default redis://127.0.0.1:6379)
  --rooms N             rooms the fan-out clients are spread over (default 1)
  --rate N              edits per second per client (default 5)
  --duration S          seconds per measured load phase (default 15)
  --cursor-hz N         cursor updates per second per client in the presence phase (default 10)
  --board-notes N       notes on the late joiner's board (default 5000)
  --boards N            boards loaded to measure memory per board (default 4)
  --joins N             late joins measured (default 10)
  --idle N              idle connections (default 2000) --idle-rooms N (default 20)
  --burst N             clients connecting at once (default 200)
  --slow-active N --slow-stuck N --slow-rate N --slow-batch N --slow-duration S
                        stuck-client scenario: writers, stuck readers, edits/s, notes per edit, seconds (4, 5, 10, 40, 30)
  --workers N           load-generator processes (default 1: the generator then never takes more than one of the cores)
  --full N              clients per room that apply every update to a Y.Doc (default 2)
  --drain S             max seconds to wait for delivery after a load phase (default 10)
  --seed N              workload seed (default 1)
  --quiet-wait S        before each server's run, wait up to S s for the machine to be idle (default 5; 0 = off)
  --arvo-env K=V        extra environment for our server (repeatable), e.g. AWARENESS_BATCH_MS=30
  --profile             CPU-profile the server processes; summaries in bench/results/profiles/ (two-process mode: -p1, -p2)
  --profile-dir DIR     where --profile writes (default bench/results/profiles; emptied first)
  --quick               small sizes for a smoke test (~1 min)
  --out FILE            markdown output (default bench/results/latest.md)
  --pdf / --no-pdf      also run the PDF benchmark (bench/pdf.ts: a 500-note board exported by our pdfkit renderer and by
                        headless Chromium's page.pdf()); default on for a full run (no --only)
  --browser / --no-browser
                        also run the browser benchmark (bench/browser/frames.ts: frame times of a 2,000-note
                        board in headless Chromium with 20 remote draggers); default on for a full run (no --only)

A full run with the default servers and output also writes the goal summary into README.md.`

function list<T extends string>(raw: string, allowed: readonly T[], what: string): T[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean)
  for (const i of items) if (!(allowed as readonly string[]).includes(i)) throw new Error(`unknown ${what} "${i}" (one of ${allowed.join(', ')})`)
  return items as T[]
}

function num(raw: string | undefined, def: number, name: string, min = 0): number {
  if (raw === undefined) return def
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} ${raw}: expected a number ≥ ${min}`)
  return n
}

function parseOptions(argv: string[]): { o: BenchOptions; out: string; profile: boolean; profileDir: string; browser: boolean; pdf: boolean; readme: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      servers: { type: 'string' },
      only: { type: 'string' },
      clients: { type: 'string' },
      clients2p: { type: 'string' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      rooms: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'cursor-hz': { type: 'string' },
      'board-notes': { type: 'string' },
      boards: { type: 'string' },
      joins: { type: 'string' },
      idle: { type: 'string' },
      'idle-rooms': { type: 'string' },
      burst: { type: 'string' },
      'slow-active': { type: 'string' },
      'slow-stuck': { type: 'string' },
      'slow-rate': { type: 'string' },
      'slow-batch': { type: 'string' },
      'slow-duration': { type: 'string' },
      workers: { type: 'string' },
      full: { type: 'string' },
      drain: { type: 'string' },
      seed: { type: 'string' },
      'quiet-wait': { type: 'string' },
      'arvo-env': { type: 'string', multiple: true },
      quick: { type: 'boolean' },
      profile: { type: 'boolean' },
      'profile-dir': { type: 'string' },
      out: { type: 'string' },
      browser: { type: 'boolean' },
      'no-browser': { type: 'boolean' },
      pdf: { type: 'boolean' },
      'no-pdf': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    process.exit(0)
  }
  const q = values.quick === true
  const [c50, c200] = (values.clients ?? (q ? '10,30' : '50,200')).split(',').map((s) => num(s, 0, 'clients', 2))
  const arvoEnv: Record<string, string> = {}
  for (const kv of values['arvo-env'] ?? []) {
    const at = kv.indexOf('=')
    if (at < 1) throw new Error(`--arvo-env ${kv}: expected KEY=VALUE`)
    arvoEnv[kv.slice(0, at)] = kv.slice(at + 1)
  }
  const o: BenchOptions = {
    servers: list(values.servers ?? 'arvo,stock,hocuspocus', SERVER_NAMES, 'server'),
    only: list(values.only ?? SCENARIO_IDS.join(','), SCENARIO_IDS, 'scenario'),
    workers: num(values.workers, 1, 'workers', 1),
    full: num(values.full, 2, 'full'),
    rate: num(values.rate, 5, 'rate', 0.1),
    duration: num(values.duration, q ? 3 : 15, 'duration', 1),
    clients50: c50,
    clients200: c200 ?? c50,
    clients2p: num(values.clients2p, q ? 10 : 50, 'clients2p', 2),
    databaseUrl: values['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379',
    rooms: num(values.rooms, 1, 'rooms', 1),
    cursorHz: num(values['cursor-hz'], 10, 'cursor-hz'),
    boardNotes: num(values['board-notes'], q ? 500 : 5000, 'board-notes', 1),
    boards: num(values.boards, q ? 1 : 4, 'boards', 1),
    joins: num(values.joins, q ? 3 : 10, 'joins', 1),
    idle: num(values.idle, q ? 60 : 2000, 'idle', 2),
    idleRooms: num(values["idle-rooms"], q ? 3 : 20, 'idle-rooms', 1),
    burst: num(values.burst, q ? 30 : 200, 'burst', 1),
    slowActive: num(values['slow-active'], 4, 'slow-active', 2),
    slowStuck: num(values['slow-stuck'], q ? 2 : 5, 'slow-stuck', 1),
    slowRate: num(values['slow-rate'], 10, 'slow-rate', 0.1),
    slowBatch: num(values['slow-batch'], 40, 'slow-batch', 1),
    slowDuration: num(values['slow-duration'], q ? 4 : 30, 'slow-duration', 1),
    drain: num(values.drain, q ? 5 : 10, 'drain', 0),
    createShare: 0.2,
    seed: num(values.seed, 1, 'seed'),
    quietWait: num(values['quiet-wait'], 5, 'quiet-wait'),
    arvoEnv,
  }
  if (o.idleRooms >= o.idle) throw new Error('--idle must be larger than --idle-rooms')
  if (!/^postgres(ql)?:\/\/.+/.test(o.databaseUrl)) throw new Error(`--database-url ${o.databaseUrl}: expected postgres://…`)
  if (!/^rediss?:\/\/.+/.test(o.redisUrl)) throw new Error(`--redis-url ${o.redisUrl}: expected redis://…`)
  const defaultOut = join(here, 'results', 'latest.md')
  const fullRun = values.only === undefined && values.servers === undefined && values.quick !== true
  return {
    o,
    browser: values['no-browser'] === true ? false : values.browser === true || values.only === undefined,
    pdf: values['no-pdf'] === true ? false : values.pdf === true || values.only === undefined,
    readme: fullRun && (values.out === undefined || resolve(values.out) === defaultOut),
    out: resolve(values.out ?? defaultOut),
    profile: values.profile === true,
    profileDir: resolve(values['profile-dir'] ?? join(here, 'results', 'profiles')),
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} exceeded its ${Math.round(ms / 1000)} s limit`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`)
}

async function main(): Promise<void> {
  const started = performance.now()
  const { o, out, profile, profileDir, browser, pdf, readme } = parseOptions(process.argv.slice(2))
  const profileRoot = profileDir
  if (profile) {
    rmSync(profileRoot, { recursive: true, force: true })
    mkdirSync(profileRoot, { recursive: true })
  }
  const argsShown = process.argv.slice(2).join(' ')
  const header = [
    `## Arvo server benchmark — ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    '',
    `Machine: ${machineDescription()}. Command: \`npm run bench${argsShown ? ` -- ${argsShown}` : ''}\`. ` +
      `Everything on loopback on this one machine: the server under test (one process, fresh per scenario; two in the two-process scenario), ` +
      `${o.workers} load-worker process${o.workers === 1 ? '' : 'es'} and the orchestrator share its cores. ` +
      `Ratios are ours ÷ reference (below 1 = ours smaller/faster). ✓/✗ = ours against the goal of the issue.`,
  ]
  const tables: ScenarioTable[] = []
  const raw: Record<string, unknown> = {}

  for (const scenario of SCENARIOS.filter((s) => o.only.includes(s.id))) {
    const specs = scenario.tables(o)
    const cells = new Map<string, Record<string, Cell>>()
    const notes: string[] = []
    for (const name of o.servers) {
      const tag = `${scenario.id}/${name}`
      log(`${tag}: starting`)
      const t0 = performance.now()
      let server: ServerProcess | null = null
      let group: ServerGroup | null = null
      let servers: ServerProcess[] = []
      let pool: WorkerPool | null = null
      const ctx: Ctx = {
        server: null as unknown as ServerProcess,
        servers: [],
        group: null,
        pool: null as unknown as WorkerPool,
        o,
        log: (m) => log(`${tag}: ${m}`),
        notes: [],
      }
      try {
        const multi = (scenario.processes ?? 1) > 1
        const unsupported = multi ? groupUnsupported(name as ServerName) : null
        if (unsupported) throw new NotApplicable(unsupported)
        if (o.quietWait > 0) {
          const busy = await waitForQuietMachine(0.25, o.quietWait * 1000)
          if (busy >= 0.25) ctx.notes.push(`other processes kept ${Math.round(busy * 100)}% of a core busy when this run started`)
        }
        if (multi) {
          group = await startGroup(name as ServerName, o.arvoEnv, scenario.processes ?? 1, { databaseUrl: o.databaseUrl, redisUrl: o.redisUrl })
          servers = group.servers
          ctx.notes.push(`${group.servers.length} processes sharing ${group.shared}`)
        } else {
          servers = [await ServerProcess.start(name as ServerName, o.arvoEnv)]
        }
        server = servers[0]
        pool = await WorkerPool.start(o.workers)
        ctx.server = server
        ctx.servers = servers
        ctx.group = group
        ctx.pool = pool
        if (profile) await Promise.all(servers.map((s) => s.profileStart()))
        const figures = await withTimeout(scenario.run(ctx), scenario.budgetMs(o), tag)
        if (profile) {
          for (const [p, s] of servers.entries()) {
            const file = join(profileRoot, `${scenario.id}-${name}${servers.length > 1 ? `-p${p + 1}` : ''}.cpuprofile`)
            await s.profileStop(file)
            writeFileSync(file.replace(/\.cpuprofile$/, '.txt'), `${summariseProfile(file, resolve(here, '..'))}\n`)
            log(`${tag}: profile summary in ${file.replace(/\.cpuprofile$/, '.txt')}`)
          }
        }
        for (const spec of specs) cells.set(`${spec.id}/${name}`, figures[spec.id] ?? {})
        servers.forEach((s, p) => {
          if (!s.alive) ctx.notes.push(`the server process${servers.length > 1 ? ` ${p + 1}` : ''} exited during the scenario`)
        })
      } catch (e) {
        const reason = (e as Error).message
        const na = e instanceof NotApplicable
        log(`${tag}: ${na ? 'not applicable' : 'FAILED'}: ${reason}`)
        for (const spec of specs) {
          const failed: Record<string, Cell> = {}
          spec.rows.forEach((r, i) => (failed[r.key] = na ? (i === 0 ? `n/a: ${reason}` : 'n/a') : i === 0 ? `failed: ${reason}` : 'failed'))
          cells.set(`${spec.id}/${name}`, failed)
        }
        servers.forEach((s, p) => {
          if (!s.alive) ctx.notes.push(`server${servers.length > 1 ? ` process ${p + 1}` : ''} exited; its last stderr: ${s.stderrTail.slice(-3).join(' / ')}`)
        })
      } finally {
        servers.forEach((s, p) => {
          if (s.warnings > 0) {
            const which = servers.length > 1 ? ` of process ${p + 1}` : ''
            ctx.notes.push(`${s.warnings} warning lines on the server's stderr${which}, last: "${s.lastWarning}"`)
          }
        })
        await pool?.stop().catch(() => undefined)
        if (group) {
          await group.stop().catch((e: Error) => ctx.notes.push(`cleaning up after the run failed: ${e.message}`))
        } else await server?.stop().catch(() => undefined)
      }
      for (const n of ctx.notes) notes.push(`${name}: ${n}`)
      log(`${tag}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    }
    specs.forEach((spec, i) => {
      const t: ScenarioTable = {
        id: `${scenario.id}.${spec.id}`,
        title: spec.title,
        setup: spec.setup,
        rows: spec.rows,
        cells: Object.fromEntries(o.servers.map((s) => [s, cells.get(`${spec.id}/${s}`) ?? {}])),
        notes: i === specs.length - 1 ? notes : [],
      }
      // The two-process table also shows our one-process figures of this run, for reference.
      const single = tables.find((x) => x.id === 'fanout50.main')?.cells.arvo
      if (scenario.id === 'fanout2proc' && single) {
        t.extra = [{ label: 'ours, 1 process (fanout50)', ratioLabel: 'ours 2 proc / 1 proc', cells: single }]
      }
      tables.push(t)
      raw[t.id] = t.cells
      process.stderr.write(`\n${renderTable(t, o.servers)}\n\n`)
    })
  }

  const pdfTable = pdf ? runPdfBench() : null
  const browserTable = [browser ? runBrowserBench() : null, pdfTable].filter((x) => x !== null).join('\n\n') || null
  const wall = (performance.now() - started) / 1000
  header.push('', `Total wall time: ${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s.`)
  const summary = renderGoalSummary(tables, o.servers)
  header.push('', '### Goals at a glance', '', summary)
  const report = renderReport(header, tables, o.servers) + (browserTable ? `\n${browserTable}\n` : '')
  if (readme) {
    const when = `Latest full run: ${new Date().toISOString().slice(0, 10)}, ${machineDescription()} (full tables: \`bench/results/latest.md\`).`
    if (writeReadmeSummary(join(here, '..', 'README.md'), `${when}\n\n${summary}${browserTable ? `\n\n${browserTable.replace(/^### /m, '#### ')}` : ''}`)) log('README.md: goal summary updated')
    else log('README.md: bench summary markers not found; not updated')
  }
  process.stdout.write(`\n${report}\n`)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${report}\n`)
  writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify({ options: o, wallSeconds: wall, tables: raw }, null, 2)}\n`)
  log(`written ${out}`)
}

/**
 * The browser benchmark in a child process of its own (it starts a server and Chromium),
 * after making sure the client is built. Its markdown, or a line saying why it failed.
 */
function runBrowserBench(): string {
  log('browser: building the client if needed, then frame times in headless Chromium')
  const root = join(here, '..')
  const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, encoding: 'utf8', timeout: 180_000 })
  if (build.status !== 0) return `### Browser benchmark\n\nnot run: the client build failed (${(build.stderr || build.stdout || '').trim().split('\n').pop()})`
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/browser/frames.ts'], { cwd: root, encoding: 'utf8', timeout: 200_000 })
  if (r.status !== 0) return `### Browser benchmark\n\nfailed: ${(r.stderr || '').trim().split('\n').slice(-1)[0] ?? `exit ${r.status}`}`
  const table = r.stdout.trim()
  process.stderr.write(`\n${table}\n\n`)
  return table
}

/** The PDF benchmark (bench/pdf.ts) in a child process of its own (it starts Chromium). */
function runPdfBench(): string {
  log('pdf: a 500-note board exported by pdfkit and by headless Chromium')
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/pdf.ts'], { cwd: join(here, '..'), encoding: 'utf8', timeout: 90_000 })
  if (r.status !== 0) return `### PDF export\n\nfailed: ${(r.stderr || '').trim().split('\n').slice(-1)[0] ?? `exit ${r.status}`}`
  const table = r.stdout.trim()
  process.stderr.write(`\n${table}\n\n`)
  return table
}

/** Kills the children, then drops the two-process mode's schemas (at most ~15 s) and exits. */
function interrupted(code: number): void {
  killAllChildren()
  void dropPendingSchemas().finally(() => process.exit(code))
  setTimeout(() => process.exit(code), 20_000).unref()
}
process.on('SIGINT', () => {
  log('interrupted: stopping every child process')
  interrupted(130)
})
process.on('SIGTERM', () => interrupted(143))
process.on('exit', killAllChildren)

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench: ${e.message}\n`)
    interrupted(1)
  },
)
