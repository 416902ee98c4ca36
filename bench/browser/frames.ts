/**
 * Browser benchmark (issue "Performance and scale-out", the browser side): frame times of a
 * 2,000-note board in headless Chromium while 20 simulated remote users drag notes, as a
 * ratio to the same board with no remote activity; plus the frame cost of one remote batch
 * of 1,000 record changes.
 *
 * Run: `node --import tsx bench/browser/frames.ts [--notes 2000] [--users 20] [--seconds 8] [--rate 20]`
 * Bounded in time; stops by itself; everything on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CHROMIUM_ARGS } from '../../playwright.config.ts'
import { startServer } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { buildNote } from '../../shared/domain/index.ts'
import { DocLayout, SYNC_PATH, type CreateBoardResponse } from '../../shared/protocol.ts'

interface FrameStats {
  frames: number
  p50: number
  p95: number
  p99: number
  max: number
  /** Frames longer than 50 ms (visible jank). */
  long: number
  fps: number
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}

const NOTES = arg('notes', 2000)
const USERS = arg('users', 20)
const SECONDS = arg('seconds', 8)
const RATE = arg('rate', 20) // drag steps per second per remote user

function note(i: number, x: number, y: number) {
  return buildNote({
    id: `n${i}`,
    x,
    y,
    index: `a1${i.toString(36)}V` as never,
    text: `Idea ${i}: shorter onboarding`,
    author: { authorId: `u${i % 9}`, authorName: `Person ${i % 9}`, side: i % 2 ? 'provider' : 'customer' },
  })
}

export async function runBrowserBench(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'arvo-bench-browser-'))
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DURABILITY: 'normal' }),
  )
  const wsUrl = `${server.url.replace('http', 'ws')}${SYNC_PATH}`
  const res = await fetch(`${server.url}/api/boards`, { method: 'POST', body: '{}' })
  const { id, links } = (await res.json()) as CreateBoardResponse
  const token = new URLSearchParams(new URL(links.facilitator).hash.slice(1)).get('token') ?? ''
  const providers: WebsocketProvider[] = []
  const connect = async () => {
    const doc = new Y.Doc()
    const p = new WebsocketProvider(wsUrl, id, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token } })
    providers.push(p)
    await new Promise<void>((r) => p.once('sync', () => r()))
    return { doc, p, records: doc.getMap<unknown>(DocLayout.records) }
  }
  const seeder = await connect()
  const cols = Math.ceil(Math.sqrt(NOTES))
  for (let c = 0; c < NOTES; c += 500) {
    seeder.doc.transact(() => {
      for (let i = c; i < Math.min(NOTES, c + 500); i++) seeder.records.set(`shape:n${i}`, note(i, (i % cols) * 230, Math.floor(i / cols) * 230))
    })
  }

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  const lines: string[] = []
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    await page.addInitScript(() => {
      localStorage.setItem('arvo.identity', JSON.stringify({ id: 'bench-viewer', name: 'Viewer', side: 'provider' }))
      localStorage.setItem('arvo.language', 'en')
    })
    await page.goto(`${server.url}/b/${id}`)
    await page.waitForFunction(() => !!window.__arvo?.editor, null, { timeout: 60_000 })
    await page.waitForFunction((n) => window.__arvo!.editor.getCurrentPageShapeIds().size >= n, NOTES, { timeout: 60_000 })
    // Show a realistic working view: a few hundred notes on screen.
    await page.evaluate(() => {
      const e = window.__arvo!.editor
      e.setCamera({ x: 0, y: 0, z: 0.5 })
    })
    await page.waitForTimeout(1000)

    // Written as a string: tsx would wrap named functions with a helper the page lacks.
    const measure = (ms: number) =>
      page.evaluate(`new Promise((resolve) => {
        const deltas = []
        let last = performance.now()
        const end = last + ${ms}
        const tick = (now) => {
          deltas.push(now - last)
          last = now
          if (now < end) requestAnimationFrame(tick)
          else resolve(deltas)
        }
        requestAnimationFrame(tick)
      })`) as Promise<number[]>
    const stats = (d: number[]): FrameStats => {
      const s = [...d].sort((a, b) => a - b)
      const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
      const total = d.reduce((a, b) => a + b, 0)
      return { frames: d.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1], long: d.filter((x) => x > 50).length, fps: (d.length * 1000) / total }
    }

    // Baseline: no remote activity (the viewer's own cursor moves, as a person's would).
    const wiggle = async (ms: number) => {
      const end = Date.now() + ms
      let i = 0
      while (Date.now() < end) {
        await page.mouse.move(400 + (i % 50) * 8, 300 + (i % 30) * 6)
        i++
        await new Promise((r) => setTimeout(r, 30))
      }
    }
    const [baselineFrames] = await Promise.all([measure(SECONDS * 1000), wiggle(SECONDS * 1000)])
    const baseline = stats(baselineFrames)

    // 20 remote users, each dragging a note near the viewport at RATE steps/s (with a presence state).
    const users = await Promise.all(Array.from({ length: USERS }, () => connect()))
    let sent = 0
    const stopAt = Date.now() + SECONDS * 1000 + 500
    const dragging = users.map((u, k) => {
      const target = k * 7 + 3
      let step = 0
      u.p.awareness.setLocalStateField('user', { id: `remote${k}`, name: `Remote ${k}`, side: k % 2 ? 'provider' : 'customer', color: '#1d4ed8' })
      return new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (Date.now() > stopAt) {
            clearInterval(timer)
            resolve()
            return
          }
          step++
          const x = ((target % cols) * 230 + Math.sin(step / 5) * 120) | 0
          const y = (Math.floor(target / cols) * 230 + Math.cos(step / 5) * 120) | 0
          u.records.set(`shape:n${target}`, note(target, x, y))
          sent++
        }, 1000 / RATE)
      })
    })
    await page.waitForTimeout(300)
    const [remoteFrames] = await Promise.all([measure(SECONDS * 1000), wiggle(SECONDS * 1000)])
    const remote = stats(remoteFrames)
    await Promise.all(dragging)

    // One remote transaction changing 1,000 records: the frame it lands in.
    const batchFrames = measure(1500)
    await page.waitForTimeout(200)
    seeder.doc.transact(() => {
      for (let i = 0; i < Math.min(1000, NOTES); i++) seeder.records.set(`shape:n${i}`, note(i, (i % cols) * 230 + 15, Math.floor(i / cols) * 230))
    })
    const batch = stats(await batchFrames)

    const row = (name: string, s: FrameStats) =>
      `| ${name} | ${s.frames} | ${s.fps.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} | ${s.long} |`
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a')
    lines.push(
      `### Browser: ${NOTES}-note board in headless Chromium (${new Date().toISOString().slice(0, 10)})`,
      '',
      '| phase | frames | fps | p50 ms | p95 ms | p99 ms | max ms | frames > 50 ms |',
      '|---|---|---|---|---|---|---|---|',
      row('no remote activity', baseline),
      row(`${USERS} remote users dragging (${sent} updates)`, remote),
      row('one remote batch of 1,000 changes', batch),
      `| ratio remote / baseline | | ${ratio(remote.fps, baseline.fps)} | ${ratio(remote.p50, baseline.p50)} | ${ratio(remote.p95, baseline.p95)} | ${ratio(remote.p99, baseline.p99)} | ${ratio(remote.max, baseline.max)} | |`,
      '',
      'Headless Chromium renders without a GPU (software), so absolute frame times are pessimistic; the ratio is the figure.',
    )
  } finally {
    await browser.close()
    for (const p of providers) p.destroy()
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const timeout = setTimeout(() => {
    console.error('browser bench: time limit reached')
    process.exit(1)
  }, 180_000)
  runBrowserBench().then(
    (table) => {
      clearTimeout(timeout)
      console.log(table)
      process.exit(0)
    },
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}
