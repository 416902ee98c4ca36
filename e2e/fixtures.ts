import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { extractZones, type TemplateKind } from '../shared/domain/index.ts'
import type { Language } from '../shared/i18n/index.ts'
import type { BoardLinks, CreateBoardResponse, LinkRole, LinksResponse } from '../shared/protocol.ts'

type Side = 'provider' | 'customer'

export const SCREENSHOT_DIR = 'e2e/screenshots'
mkdirSync(SCREENSHOT_DIR, { recursive: true })

/**
 * The invite links of the boards made in the current test, by plain board URL (`…/b/<id>`), so
 * that `Person.openBoard(plainUrl)` opens the link of the person's own role. Filled by
 * `ServerProcess.createBoard*` and `Person.shareLinks()`, emptied when the test's server stops.
 */
const knownLinks = new Map<string, BoardLinks>()

/** The plain board URL of an invite link (no fragment). */
export function plainUrl(link: string): string {
  return link.replace(/#.*$/, '')
}

/** The real Arvo server as a child process (built client, SQLite in a fresh data dir). */
export class ServerProcess {
  proc: ChildProcess | null = null
  port = 0
  log = ''
  constructor(readonly dataDir: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir, ROOM_UNLOAD_DELAY_MS: '1000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.proc = proc
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${this.log}`)), 20_000)
      const onData = (d: Buffer) => {
        this.log += d.toString()
        const m = /listening on http:\/\/[^:]+:(\d+)/.exec(this.log)
        if (m) {
          this.port = Number(m[1])
          clearTimeout(timer)
          resolve()
        }
      }
      proc.stdout!.on('data', onData)
      proc.stderr!.on('data', (d: Buffer) => (this.log += d.toString()))
      proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${this.log}`)))
    })
  }

  /** Stops the server: SIGTERM (graceful) or SIGKILL (crash). */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = this.proc
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill(signal)
    await exited
    this.proc = null
  }

  /**
   * Creates a board through the API and answers its four invite links; `url` is the plain board
   * address on this server (which opens nothing by itself).
   */
  async createBoardWithLinks(templates: TemplateKind[] = [], language: Language = 'en'): Promise<CreateBoardResponse> {
    const res = await fetch(`${this.url}/api/boards`, { method: 'POST', body: JSON.stringify({ templates, language }) })
    expect(res.status).toBe(201)
    const board = (await res.json()) as CreateBoardResponse
    const links = Object.fromEntries(Object.entries(board.links).map(([role, link]) => [role, this.onThisServer(link)])) as BoardLinks
    const url = `${this.url}/b/${board.id}`
    knownLinks.set(url, links)
    return { ...board, url, links }
  }

  /** Creates a board through the API, optionally with templates placed in `language`. */
  async createBoard(templates: TemplateKind[] = [], language: Language = 'en'): Promise<string> {
    return (await this.createBoardWithLinks(templates, language)).id
  }

  /** An invite link of a board made in this test (`role`: facilitator, provider, customer, viewer). */
  link(boardId: string, role: LinkRole): string {
    const links = knownLinks.get(`${this.url}/b/${boardId}`)
    if (!links) throw new Error(`no links known for board ${boardId}`)
    return links[role]
  }

  /** The same link on this server's address (the server may name another base URL). */
  onThisServer(link: string): string {
    const u = new URL(link)
    return `${this.url}${u.pathname}${u.hash}`
  }

  /** Forgets the links of this test's boards. */
  forgetLinks(): void {
    for (const url of knownLinks.keys()) if (url.startsWith(`${this.url}/`)) knownLinks.delete(url)
  }
}

/** One person in one browser context: a page object for the board. */
export class Person {
  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly name: string,
    readonly side: 'provider' | 'customer',
    /** Which invite link this person opens a plain board URL with: their side's participant link by default. */
    public link: LinkRole = side,
  ) {}

  /** A new browser context whose browser language is `language` (the UI defaults from it). */
  static async open(
    browser: Browser,
    name: string,
    side: 'provider' | 'customer',
    language = 'en',
    viewport = { width: 1440, height: 900 },
  ): Promise<Person> {
    const context = await browser.newContext({ locale: language, viewport })
    const page = await context.newPage()
    page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`))
    return new Person(context, page, name, side)
  }

  /** Like {@link open}, for someone who opens boards through the facilitator link (their notes take `side`). */
  static async facilitator(browser: Browser, name: string, side: 'provider' | 'customer', language = 'en', viewport = { width: 1440, height: 900 }): Promise<Person> {
    const p = await Person.open(browser, name, side, language, viewport)
    p.link = 'facilitator'
    return p
  }

  /** Like {@link open}, for someone who opens boards through the viewer link. */
  static async viewer(browser: Browser, name: string, language = 'en', viewport = { width: 1440, height: 900 }): Promise<Person> {
    const p = await Person.open(browser, name, 'provider', language, viewport)
    p.link = 'viewer'
    return p
  }

  /**
   * Opens a board and answers the identity dialog if it is shown (the side only when it is
   * asked: facilitators). A plain board URL of a board made in this test opens through this
   * person's invite link; a URL with `#token=` opens as it is.
   */
  async openBoard(url: string): Promise<void> {
    await this.goto(url)
    const dialog = this.page.getByTestId('identity-dialog')
    const board = this.page.getByTestId('board')
    await expect(dialog.or(board)).toBeVisible()
    if (await dialog.isVisible()) await this.answerIdentity()
    await this.waitReady()
  }

  /** Navigates to a board (through this person's link when `url` is plain and its links are known). */
  async goto(url: string): Promise<void> {
    const links = url.includes('#') ? undefined : knownLinks.get(url)
    await this.page.goto(links ? links[this.link] : url)
  }

  /** Fills the identity dialog: the name, and the side when it is asked. */
  async answerIdentity(): Promise<void> {
    await this.page.getByTestId('identity-name').fill(this.name)
    const side = this.page.getByTestId(`identity-side-${this.side}`)
    if (await side.isVisible()) await side.check()
    await this.page.getByTestId('identity-join').click()
  }

  /**
   * The board's four invite links as this facilitator's browser gets them (the links route with
   * its stored token); remembered so that others can open the plain board URL.
   */
  async shareLinks(): Promise<BoardLinks> {
    const res = await this.page.evaluate(async () => {
      const id = window.location.pathname.split('/').pop()!
      const token = localStorage.getItem(`arvo.token.${id}`)
      const r = await fetch(`/api/boards/${id}/links`, { headers: { authorization: `Bearer ${token}` } })
      return { status: r.status, body: (await r.json()) as LinksResponse }
    })
    expect(res.status).toBe(200)
    const origin = new URL(this.page.url()).origin
    const links = Object.fromEntries(
      Object.entries(res.body.links).map(([role, link]) => {
        const u = new URL(link)
        return [role, `${origin}${u.pathname}${u.hash}`]
      }),
    ) as BoardLinks
    knownLinks.set(plainUrl(links.facilitator), links)
    return links
  }

  async waitReady(): Promise<void> {
    await expect(this.page.getByTestId('board')).toBeVisible({ timeout: 30_000 })
    await this.page.waitForFunction(() => !!window.__arvo?.editor)
    await expect(this.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
  }

  /** Creates a note with the note tool at page-coordinates-free screen point (x, y) and types text. */
  async createNote(x: number, y: number, text: string): Promise<string> {
    const before = await this.noteIds()
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('n')
    await this.page.mouse.click(x, y)
    await this.typeIntoEditingShape(text)
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('Escape')
    const after = await this.noteIds()
    const created = after.filter((id) => !before.includes(id))
    expect(created).toHaveLength(1)
    return created[0]
  }

  /** Waits until a shape is in text-editing mode with its editor focused, then types. */
  async typeIntoEditingShape(text: string): Promise<void> {
    await this.page.waitForFunction(() => window.__arvo!.editor.getEditingShapeId() !== null)
    await this.page.locator('.tl-rich-text[contenteditable="true"], [contenteditable="true"]').first().waitFor()
    await this.page.waitForFunction(() => document.activeElement?.getAttribute('contenteditable') === 'true')
    await this.page.keyboard.type(text)
  }

  async noteIds(): Promise<string[]> {
    return this.page.evaluate(() =>
      window.__arvo!.editor.getCurrentPageShapes().filter((s) => s.type === 'note').map((s) => s.id as string),
    )
  }

  /** The notes this browser shows: id, text, position, colour, meta. */
  async notes(): Promise<{ id: string; text: string; x: number; y: number; color: string; meta: Record<string, unknown> }[]> {
    return this.page.evaluate(() => {
      const editor = window.__arvo!.editor
      return editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'note')
        .map((s) => {
          const props = s.props as { color: string }
          const util = editor.getShapeUtil(s)
          const text = (util.getText?.(s) ?? '') as string
          return { id: s.id as string, text, x: Math.round(s.x), y: Math.round(s.y), color: props.color, meta: s.meta as Record<string, unknown> }
        })
    })
  }

  async note(id: string) {
    return (await this.notes()).find((n) => n.id === id)
  }

  /** Screen point of a shape's centre. */
  async screenCenter(id: string): Promise<{ x: number; y: number }> {
    return this.page.evaluate((shapeId) => {
      const editor = window.__arvo!.editor
      const b = editor.getShapePageBounds(shapeId as never)!
      return editor.pageToViewport({ x: b.center.x, y: b.center.y })
    }, id)
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
  }

  // ---- templates, zones, ratings ----------------------------------------------------------

  /** Zooms so that one template instance (or the whole board) fills the free canvas, and waits for it. */
  async zoomTo(instance?: string): Promise<void> {
    await this.page.evaluate((i) => window.__arvo!.zoomTo(i), instance)
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  }

  /** Page-space bounds of a zone, from the board's records (`extractZones`, as the domain sees it). */
  async zoneBounds(instance: string, zone: string): Promise<{ x: number; y: number; w: number; h: number }> {
    const shapes = await this.page.evaluate(() => JSON.parse(JSON.stringify(window.__arvo!.editor.getCurrentPageShapes())) as unknown[])
    const z = extractZones(shapes).find((z) => z.instance === instance && z.zone === zone)
    if (!z) throw new Error(`no zone ${instance}/${zone}`)
    return z.bounds
  }

  /** Screen point of a page point. */
  async toScreen(p: { x: number; y: number }): Promise<{ x: number; y: number }> {
    return this.page.evaluate((pt) => {
      const s = window.__arvo!.editor.pageToScreen(pt)
      return { x: s.x, y: s.y }
    }, p)
  }

  /**
   * Screen point inside a zone: its centre, moved by (fx, fy) × half its size (fx = -0.5 is
   * halfway to the left edge).
   */
  async zonePoint(instance: string, zone: string, fx = 0, fy = 0): Promise<{ x: number; y: number }> {
    const b = await this.zoneBounds(instance, zone)
    return this.toScreen({ x: b.x + b.w / 2 + (fx * b.w) / 2, y: b.y + b.h / 2 + (fy * b.h) / 2 })
  }

  /** Creates a note with the note tool by clicking inside a zone; types `text` unless empty. */
  async noteInZone(instance: string, zone: string, text: string, fx = 0, fy = 0): Promise<string> {
    const p = await this.zonePoint(instance, zone, fx, fy)
    if (text) return this.createNote(p.x, p.y, text)
    const before = await this.noteIds()
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('n')
    await this.page.mouse.click(p.x, p.y)
    await this.page.waitForFunction(() => window.__arvo!.editor.getEditingShapeId() !== null)
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('Escape')
    const created = (await this.noteIds()).filter((id) => !before.includes(id))
    expect(created).toHaveLength(1)
    return created[0]
  }

  /**
   * Like {@link noteInZone}, but at the free spot of the zone nearest to (fx, fy): where a
   * 200 × 200 note lies wholly inside the zone and covers no template label, rating or other
   * note (so screenshots show the prompts). Falls back to (fx, fy) when the zone has no room.
   */
  async noteInFreeSpot(instance: string, zone: string, text: string, fx = 0, fy = 0): Promise<string> {
    const spot = await this.page.evaluate(
      ({ zoneId, fx, fy }) => {
        const editor = window.__arvo!.editor
        const zoneShape = editor.getShape(zoneId as never)
        const zb = zoneShape && editor.getShapePageBounds(zoneShape)
        if (!zoneShape || !zb) return null
        const HALF = 100
        const MARGIN = 6
        type R = { x: number; y: number; maxX: number; maxY: number }
        /** A label's obstacles are the lines of text it draws (its box is often far wider than its text). */
        const textRects = (id: string): R[] | null => {
          const el = document.querySelector(`.tl-shape[data-shape-id="${id}"] .tl-rich-text`)
          if (!el) return null
          // Text nodes only: a range over whole paragraphs would add their full-width boxes.
          const rects: DOMRect[] = []
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const range = document.createRange()
            range.selectNodeContents(n)
            rects.push(...[...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0))
          }
          return rects.map((r) => {
            const a = editor.screenToPage({ x: r.left, y: r.top })
            const b = editor.screenToPage({ x: r.right, y: r.bottom })
            return { x: a.x, y: a.y, maxX: b.x, maxY: b.y }
          })
        }
        const obstacles: R[] = []
        for (const s of editor.getCurrentPageShapes()) {
          const kind = (s.meta as { arvo?: { kind?: string } }).arvo?.kind
          if (s.type !== 'note' && kind !== 'label' && kind !== 'rating') continue
          const text = kind === 'label' ? textRects(s.id) : null
          if (text) obstacles.push(...text)
          else {
            const b = editor.getShapePageBounds(s)
            if (b) obstacles.push({ x: b.x, y: b.y, maxX: b.maxX, maxY: b.maxY })
          }
        }
        const target = { x: zb.x + zb.w / 2 + (fx * zb.w) / 2, y: zb.y + zb.h / 2 + (fy * zb.h) / 2 }
        let best: { x: number; y: number; d: number } | null = null
        for (let y = zb.y + HALF + MARGIN; y <= zb.maxY - HALF - MARGIN; y += 10) {
          for (let x = zb.x + HALF + MARGIN; x <= zb.maxX - HALF - MARGIN; x += 10) {
            const d = Math.hypot(x - target.x, y - target.y)
            if (best && d >= best.d) continue
            const corners = [
              { x: x - HALF - MARGIN, y: y - HALF - MARGIN },
              { x: x + HALF + MARGIN, y: y - HALF - MARGIN },
              { x: x - HALF - MARGIN, y: y + HALF + MARGIN },
              { x: x + HALF + MARGIN, y: y + HALF + MARGIN },
            ]
            if (!corners.every((c) => editor.isPointInShape(zoneShape, c, { hitInside: true }))) continue
            const hits = obstacles.some(
              (o) => x - HALF - MARGIN < o.maxX && x + HALF + MARGIN > o.x && y - HALF - MARGIN < o.maxY && y + HALF + MARGIN > o.y,
            )
            if (hits) continue
            // The click must reach the canvas, not a panel floating over it.
            const sp = editor.pageToViewport({ x, y })
            const root = editor.getContainer().getBoundingClientRect()
            const el = document.elementFromPoint(root.left + sp.x, root.top + sp.y)
            if (!el?.closest('.tl-canvas')) continue
            best = { x, y, d }
          }
        }
        if (!best) return null
        const s = editor.pageToScreen(best)
        return { x: s.x, y: s.y }
      },
      { zoneId: `shape:${instance}.zone.${zone}`, fx, fy },
    )
    if (!spot) return this.noteInZone(instance, zone, text, fx, fy)
    return this.createNote(spot.x, spot.y, text)
  }

  /**
   * Screen point of the centre of the n-th star glyph (★ / ☆, from the left) of a rating
   * shape's label, as this browser renders it (RATE-3), or null when the label is not drawn.
   */
  async starPoint(instance: string, step: string, side: Side, n: number): Promise<{ x: number; y: number } | null> {
    return this.page.evaluate(
      ({ id, n }) => {
        const label = document.querySelector(`.tl-shape[data-shape-id="${id}"] .tl-rich-text`)
        if (!label) return null
        const centres: { x: number; y: number }[] = []
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? ''
          for (let i = 0; i < text.length; i++) {
            if (text[i] !== '★' && text[i] !== '☆') continue
            const range = document.createRange()
            range.setStart(node, i)
            range.setEnd(node, i + 1)
            const r = range.getBoundingClientRect()
            centres.push({ x: r.left + r.width / 2, y: r.top + r.height / 2 })
          }
        }
        return centres[n - 1] ?? null
      },
      { id: `shape:${instance}.rating.${step}.${side}`, n },
    )
  }

  /** Clicks (select tool) the star of a staircase rating that means `value` (RATE-3): the value-th star. */
  async clickRating(instance: string, step: string, side: Side, value: number): Promise<void> {
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('v')
    const p = await this.starPoint(instance, step, side, value)
    if (!p) throw new Error(`rating ${instance}/${step}/${side} is not drawn`)
    await this.page.mouse.click(p.x, p.y)
  }

  /** The value stored on a rating shape (0 = not rated). */
  async ratingValue(instance: string, step: string, side: Side): Promise<number | null> {
    return this.page.evaluate((id) => {
      const s = window.__arvo!.editor.getShape(id as never)
      return ((s?.meta as { arvo?: { value?: number } } | undefined)?.arvo?.value ?? null) as number | null
    }, `shape:${instance}.rating.${step}.${side}`)
  }

  /**
   * A screen point inside shape `id` where nothing else is hit (no label on top), or null.
   * Scans the shape's lower part first (template prompts sit in the upper part of zones).
   */
  async freePointOn(id: string): Promise<{ x: number; y: number } | null> {
    return this.page.evaluate((shapeId) => {
      const editor = window.__arvo!.editor
      const b = editor.getShapePageBounds(shapeId as never)!
      for (const fy of [0.92, 0.85, 0.75, 0.6, 0.45, 0.3, 0.15]) {
        for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85]) {
          const pt = { x: b.x + fx * b.w, y: b.y + fy * b.h }
          const hit = editor.getShapeAtPoint(pt, { hitInside: true })
          if (hit?.id === shapeId) {
            const s = editor.pageToScreen(pt)
            return { x: s.x, y: s.y }
          }
        }
      }
      return null
    }, id)
  }

  /** Drags with the select tool from one screen point to another. */
  async dragFromTo(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('v')
    await this.page.mouse.move(from.x, from.y)
    await this.page.mouse.down()
    await this.page.mouse.move(to.x, to.y, { steps: 12 })
    await this.page.mouse.up()
  }

  /** A shape's page position and lock state as this browser has it. */
  async shapeState(id: string): Promise<{ x: number; y: number; isLocked: boolean } | null> {
    return this.page.evaluate((shapeId) => {
      const s = window.__arvo!.editor.getShape(shapeId as never)
      return s ? { x: Math.round(s.x), y: Math.round(s.y), isLocked: s.isLocked } : null
    }, id)
  }

  /** Drags a shape by its centre to a screen point, pausing before the drop (`beforeDrop`). */
  async dragShapeTo(id: string, to: { x: number; y: number }, beforeDrop?: () => Promise<void>): Promise<void> {
    const from = await this.screenCenter(id)
    await this.page.keyboard.press('Escape')
    await this.page.keyboard.press('v')
    await this.page.mouse.move(from.x, from.y)
    await this.page.mouse.down()
    await this.page.mouse.move(to.x, to.y, { steps: 12 })
    if (beforeDrop) await beforeDrop()
    await this.page.mouse.up()
  }

  // ---- insights panel -------------------------------------------------------------------------

  /** Notes of one zone by side, as this person's insights panel shows them. */
  async coverage(instance: string, zone: string): Promise<{ provider: number; customer: number; empty: boolean }> {
    const el = this.page.locator(`[data-testid=coverage-zone][data-instance="${instance}"][data-zone="${zone}"]`)
    const [p, c, e] = await Promise.all([el.getAttribute('data-provider'), el.getAttribute('data-customer'), el.getAttribute('data-empty')])
    return { provider: Number(p), customer: Number(c), empty: e === 'true' }
  }

  /** Notes and edits per side, as the panel shows them. */
  async balance(): Promise<Record<Side, { notes: number; edits: number }>> {
    const read = async (side: Side) => {
      const el = this.page.locator(`[data-testid=balance-side][data-side=${side}]`)
      return { notes: Number(await el.getAttribute('data-notes')), edits: Number(await el.getAttribute('data-edits')) }
    }
    return { provider: await read('provider'), customer: await read('customer') }
  }

  /** The perception-gap rows in the order the panel lists them. */
  async gapRows(): Promise<{ step: string; provider: number | null; customer: number | null; gap: number | null }[]> {
    return this.page.locator('[data-testid=gap-row]').evaluateAll((rows) =>
      rows.map((r) => {
        const num = (k: string) => (r.getAttribute(k) ? Number(r.getAttribute(k)) : null)
        return { step: r.getAttribute('data-step')!, provider: num('data-provider'), customer: num('data-customer'), gap: num('data-gap') }
      }),
    )
  }

  /**
   * Fetches a URL path from the page's own origin (as a browser extension or script would), with
   * the token this browser keeps for the board the path names (board routes need one).
   */
  async fetchJson<T>(path: string): Promise<T> {
    return this.page.evaluate(async (p) => {
      const id = /^\/api\/boards\/([^/]+)\//.exec(p)?.[1]
      const token = id ? localStorage.getItem(`arvo.token.${id}`) : null
      return (await fetch(p, token ? { headers: { authorization: `Bearer ${token}` } } : {})).json()
    }, path) as Promise<T>
  }

  async close(): Promise<void> {
    await this.context.close()
  }
}

export const test = base.extend<{ server: ServerProcess }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'arvo-e2e-'))
    const server = new ServerProcess(dataDir)
    await server.start()
    await use(server)
    server.forgetLinks()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  },
})
export { expect }
