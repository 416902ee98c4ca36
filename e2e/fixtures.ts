import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const SCREENSHOT_DIR = 'e2e/screenshots'
mkdirSync(SCREENSHOT_DIR, { recursive: true })

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

  async createBoard(): Promise<string> {
    const res = await fetch(`${this.url}/api/boards`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }
}

/** One person in one browser context: a page object for the board. */
export class Person {
  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly name: string,
    readonly side: 'provider' | 'customer',
  ) {}

  static async open(browser: Browser, name: string, side: 'provider' | 'customer', language = 'en'): Promise<Person> {
    const context = await browser.newContext({ locale: language })
    const page = await context.newPage()
    page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`))
    return new Person(context, page, name, side)
  }

  /** Opens a board URL and answers the identity dialog if it is shown. */
  async openBoard(url: string): Promise<void> {
    await this.page.goto(url)
    const dialog = this.page.getByTestId('identity-dialog')
    const board = this.page.getByTestId('board')
    await expect(dialog.or(board)).toBeVisible()
    if (await dialog.isVisible()) {
      await this.page.getByTestId('identity-name').fill(this.name)
      await this.page.getByTestId(`identity-side-${this.side}`).check()
      await this.page.getByTestId('identity-join').click()
    }
    await this.waitReady()
  }

  async waitReady(): Promise<void> {
    await expect(this.page.getByTestId('board')).toBeVisible()
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
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  },
})
export { expect }
