import type { Page } from '@playwright/test'
import { extractZones, TEMPLATE_KINDS, type TemplateKind } from '../shared/domain/index.ts'
import { MESSAGES, type Language, type MessageKey } from '../shared/i18n/index.ts'
import { expect, Person, SCREENSHOT_DIR, test } from './fixtures.ts'
import { ARVO_PANELS, boxes, contrast, coveredFraction, labelBoxes, noteTextScreenPx, overlap, TLDRAW_PANELS, type Rect } from './measure.ts'

const LANGS: Language[] = ['en', 'fi', 'et', 'ru']
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
]
/** Note text must render at least this big (CSS px) on the views Arvo chooses (FIT-2). */
const READABLE_PX = 10
const SHORT_NAME: Record<TemplateKind, MessageKey> = {
  pyramid: 'navPyramid',
  roleMap: 'navRoleMap',
  staircase: 'navStaircase',
  actionPlan: 'navActionPlan',
}

/** Template instances left to right, from the board's records (the leftmost zone of each). */
async function instancesLeftToRight(p: Person): Promise<{ instance: string; template: TemplateKind }[]> {
  const shapes = await p.page.evaluate(() => JSON.parse(JSON.stringify(window.__arvo!.editor.getCurrentPageShapes())) as unknown[])
  const left = new Map<string, { x: number; template: TemplateKind }>()
  for (const z of extractZones(shapes)) {
    const cur = left.get(z.instance)
    if (!cur || z.bounds.x < cur.x) left.set(z.instance, { x: z.bounds.x, template: z.template })
  }
  return [...left.entries()].sort((a, b) => a[1].x - b[1].x).map(([instance, v]) => ({ instance, template: v.template }))
}

/**
 * Waits until the camera has stopped moving (animations): tldraw says it is idle, and it reads
 * the same three times 80 ms apart (a starved machine can pause an animation for a frame).
 */
async function cameraSettled(page: Page): Promise<{ x: number; y: number; z: number }> {
  let last = ''
  let same = 0
  for (let i = 0; i < 100; i++) {
    await page.waitForTimeout(80)
    const now = await page.evaluate(() => {
      const editor = window.__arvo!.editor
      return editor.getCameraState() === 'idle' ? JSON.stringify(editor.getCamera()) : 'moving'
    })
    same = now !== 'moving' && now === last ? same + 1 : 0
    if (same >= 2) return JSON.parse(now) as { x: number; y: number; z: number }
    last = now
  }
  throw new Error('camera kept moving')
}

/** The screen box of a template's title, and whether its start is visible on the canvas (no panel over it). */
async function titleView(page: Page, instance: string): Promise<{ box: Rect; startOnCanvas: boolean }> {
  return page.evaluate((id) => {
    const el = document.querySelector(`.tl-shape[data-shape-id="shape:${id}.label.title"] .tl-rich-text`)
    if (!el) throw new Error(`no title for ${id}`)
    const range = document.createRange()
    range.selectNodeContents(el)
    const first = [...range.getClientRects()].find((r) => r.width > 0)!
    const r = el.getBoundingClientRect()
    const hit = document.elementFromPoint(first.left + 4, first.top + first.height / 2)
    const inView = first.left >= 0 && first.top >= 0 && first.left + 4 < innerWidth && first.bottom <= innerHeight
    return { box: { x: r.left, y: r.top, w: r.width, h: r.height, what: id }, startOnCanvas: inView && !!hit?.closest('.tl-canvas') }
  }, instance)
}

/** A screen point on the canvas (no panel over it) near the middle of the viewport. */
async function freeCanvasPoint(page: Page): Promise<{ x: number; y: number }> {
  const p = await page.evaluate(() => {
    for (const fy of [0.6, 0.7, 0.5, 0.8, 0.4]) {
      for (const fx of [0.55, 0.65, 0.45, 0.75, 0.35]) {
        const x = innerWidth * fx
        const y = innerHeight * fy
        // Room for a 200 px note at zoom ≤ 1 around the click.
        const ok = [-60, 0, 60].every((dx) => [-60, 0, 60].every((dy) => document.elementFromPoint(x + dx, y + dy)?.closest('.tl-canvas')))
        if (ok) return { x, y }
      }
    }
    return null
  })
  if (!p) throw new Error('no free canvas point')
  return p
}

async function setDark(page: Page, dark: boolean): Promise<void> {
  await page.evaluate((d) => window.__arvo!.editor.user.updateUserPreferences({ colorScheme: d ? 'dark' : 'light' }), dark)
  await expect(page.locator('.tl-container')).toHaveClass(dark ? /tl-theme__dark/ : /tl-theme__light/)
  await expect(page.locator('html')).toHaveClass(dark ? /arvo-dark/ : /^(?!.*arvo-dark).*$/)
}

function expectApart(rects: readonly Rect[], others: readonly Rect[], label: string): void {
  for (const r of rects) for (const o of others) expect(overlap(r, o), `${label}: ${r.what} overlaps ${o.what}`).toBe(0)
}

test.describe('E2E-9 readable views, template navigator, panels, hint and theme', () => {
  test('FIT-2 NAV-1 the board opens on its first template, readable; the navigator brings each template into view; reload keeps the view', async ({ browser, server }) => {
    const boardUrl = `${server.url}/b/${await server.createBoard([...TEMPLATE_KINDS], 'en')}`
    const pia = await Person.open(browser, 'Pia Provider', 'provider')
    await pia.openBoard(boardUrl)
    const order = await instancesLeftToRight(pia)
    expect(order.map((o) => o.template).sort()).toEqual([...TEMPLATE_KINDS].sort())

    // First visit: the first template from the left, its title's start visible, clear of the panels.
    expect(await pia.page.evaluate(() => window.__arvo!.initialView)).toEqual({ kind: 'template', instance: order[0]!.instance })
    expect((await titleView(pia.page, order[0]!.instance)).startOnCanvas).toBe(true)
    await pia.screenshot('fit2-initial-view-en')

    // Readable: a note's text renders at ≥ 10 CSS px (measured in the DOM).
    const p0 = await freeCanvasPoint(pia.page)
    const note = await pia.createNote(p0.x, p0.y, 'Can I read this?')
    const px = await noteTextScreenPx(pia.page, note)
    const zoom0 = await pia.page.evaluate(() => window.__arvo!.editor.getZoomLevel())
    console.log(`initial zoom ${zoom0.toFixed(3)}: note text at ${px.toFixed(1)} px`)
    expect(px).toBeGreaterThanOrEqual(READABLE_PX)
    const notePagePx = px / zoom0

    // The navigator: one button per template, left to right, short names in the UI language; current marked.
    const nav = pia.page.getByTestId('nav-template')
    await expect(nav).toHaveCount(order.length)
    expect(await nav.evaluateAll((els) => els.map((e) => e.getAttribute('data-instance')))).toEqual(order.map((o) => o.instance))
    expect(await nav.allTextContents()).toEqual(order.map((o) => MESSAGES.en[SHORT_NAME[o.template]]))
    await expect(nav.first()).toHaveAttribute('aria-current', 'true')
    await expect(pia.page.getByTestId('template-navigator')).toHaveAttribute('aria-label', MESSAGES.en.templateNavigator)

    for (const [i, o] of [...order.entries()].reverse()) {
      await nav.nth(i).click()
      const cam = await cameraSettled(pia.page)
      expect(notePagePx * cam.z, `${o.instance} at a readable zoom`).toBeGreaterThanOrEqual(READABLE_PX)
      expect((await titleView(pia.page, o.instance)).startOnCanvas, `${o.instance} title visible`).toBe(true)
      await expect(nav.nth(i)).toHaveAttribute('aria-current', 'true')
      await expect(pia.page.locator('[data-testid=nav-template][aria-current=true]')).toHaveCount(1)
    }
    await pia.screenshot('nav1-first-template-en')

    // "Show the whole board" is still there; here it is not readable, so it was not the default.
    await pia.page.getByTestId('fit-board').click()
    const whole = await cameraSettled(pia.page)
    console.log(`whole board zoom ${whole.z.toFixed(3)}: note text at ${(notePagePx * whole.z).toFixed(1)} px`)
    expect(whole.z).toBeLessThan(zoom0)

    // Live: another person adds a second role map; the navigator numbers both, in board order.
    // (A co-facilitator on the customer side: adding templates is the facilitator's.)
    const kalle = await Person.facilitator(browser, 'Kalle Customer', 'customer')
    await kalle.openBoard(boardUrl)
    // A fresh browser opens on the first template too, not on Pia's view.
    expect(await kalle.page.evaluate(() => window.__arvo!.initialView)).toEqual({ kind: 'template', instance: order[0]!.instance })
    await kalle.page.getByTestId('add-template').click()
    await kalle.page.getByTestId('add-template-roleMap').click()
    await expect(nav).toHaveCount(order.length + 1)
    const names = await nav.allTextContents()
    expect(names.filter((n) => n.startsWith(MESSAGES.en.navRoleMap))).toEqual([`${MESSAGES.en.navRoleMap} 1`, `${MESSAGES.en.navRoleMap} 2`])
    expect(names.at(-1)).toBe(`${MESSAGES.en.navRoleMap} 2`)

    // Reload keeps the view (stored per board in this browser, debounced).
    const stairs = order.findIndex((o) => o.template === 'staircase')
    await nav.nth(stairs).click()
    const before = await cameraSettled(pia.page)
    await pia.page.waitForTimeout(700)
    await pia.page.reload()
    await pia.waitReady()
    const view = await pia.page.evaluate(() => window.__arvo!.initialView)
    expect(view.kind).toBe('saved')
    const after = await pia.page.evaluate(() => window.__arvo!.editor.getCamera())
    expect(after.x).toBeCloseTo(before.x, 3)
    expect(after.y).toBeCloseTo(before.y, 3)
    expect(after.z).toBeCloseTo(before.z, 6)
    await expect(pia.page.locator('[data-testid=nav-template][aria-current=true]')).toHaveAttribute('data-instance', order[stairs]!.instance)
    await pia.close()
    await kalle.close()
  })

  test('PNL-1 panels collapse with labelled controls, are remembered per browser, start collapsed on a small screen, and then cover little of the canvas', async ({ browser, server }) => {
    const boardUrl = `${server.url}/b/${await server.createBoard([...TEMPLATE_KINDS], 'en')}`
    const covered = async (p: Person, vw: number, vh: number) => coveredFraction(await boxes(p.page, ARVO_PANELS), vw, vh)

    // 1440×900: open at first; each panel has a labelled collapse control.
    const wide = await Person.open(browser, 'Pia Provider', 'provider')
    await wide.openBoard(boardUrl)
    await wide.page.getByTestId('hint-dismiss').click()
    await expect(wide.page.getByTestId('insights-panel')).toBeVisible()
    await expect(wide.page.getByTestId('participants-slot')).toBeVisible()
    const open1440 = await covered(wide, 1440, 900)
    await wide.screenshot('panels-expanded-1440-en')
    for (const [id, label] of [
      ['insights-hide', MESSAGES.en.hideInsights],
      ['participants-hide', MESSAGES.en.hideParticipants],
    ] as const) {
      await expect(wide.page.getByTestId(id)).toHaveAttribute('aria-label', label)
      await expect(wide.page.getByTestId(id)).toHaveAttribute('aria-expanded', 'true')
      await wide.page.getByTestId(id).click()
    }
    await expect(wide.page.getByTestId('insights-show')).toHaveAttribute('aria-expanded', 'false')
    await expect(wide.page.getByTestId('participants-show')).toHaveAttribute('aria-expanded', 'false')
    // Collapsed, the connection status and the head count stay in view.
    await expect(wide.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
    await expect(wide.page.getByTestId('participants-show')).toContainText('1')
    const closed1440 = await covered(wide, 1440, 900)
    await wide.screenshot('panels-collapsed-1440-en')
    console.log(`1440×900: Arvo panels cover ${(open1440 * 100).toFixed(1)} % open, ${(closed1440 * 100).toFixed(1)} % collapsed`)
    expect(closed1440).toBeLessThan(0.1)
    await wide.page.reload()
    await wide.waitReady()
    await expect(wide.page.getByTestId('insights-show')).toBeVisible()
    await expect(wide.page.getByTestId('participants-show')).toBeVisible()
    await expect(wide.page.getByTestId('insights-panel')).toHaveCount(0)

    // 1024×768, a browser that never opened them: collapsed from the start.
    const tablet = await Person.open(browser, 'Kalle Customer', 'customer', 'en', { width: 1024, height: 768 })
    await tablet.openBoard(boardUrl)
    await tablet.page.getByTestId('hint-dismiss').click()
    await expect(tablet.page.getByTestId('insights-show')).toBeVisible()
    await expect(tablet.page.getByTestId('participants-show')).toBeVisible()
    const closed1024 = await covered(tablet, 1024, 768)
    await tablet.screenshot('panels-collapsed-1024-en')
    // An action-plan note selected: the action panel starts collapsed too.
    const plan = (await instancesLeftToRight(tablet)).find((o) => o.template === 'actionPlan')!.instance
    await tablet.zoomTo(plan)
    const action = await tablet.noteInFreeSpot(plan, 'helpSucceed.action', 'Weekly check-in')
    const c = await tablet.screenCenter(action)
    await tablet.page.keyboard.press('v')
    await tablet.page.mouse.click(c.x, c.y)
    await expect(tablet.page.getByTestId('action-panel-show')).toBeVisible()
    const withAction1024 = await covered(tablet, 1024, 768)
    console.log(`1024×768: Arvo panels cover ${(closed1024 * 100).toFixed(1)} % collapsed, ${(withAction1024 * 100).toFixed(1)} % with the action panel's button`)
    expect(closed1024).toBeLessThan(0.1)
    expect(withAction1024).toBeLessThan(0.1)
    // Opened once, it stays open after a reload, the other stays collapsed.
    await tablet.page.getByTestId('participants-show').click()
    await expect(tablet.page.getByTestId('participants-slot')).toBeVisible()
    const open1024 = await covered(tablet, 1024, 768)
    await tablet.screenshot('panels-participants-open-1024-en')
    console.log(`1024×768 with the participants panel open: ${(open1024 * 100).toFixed(1)} %`)
    await tablet.page.reload()
    await tablet.waitReady()
    await expect(tablet.page.getByTestId('participants-slot')).toBeVisible()
    await expect(tablet.page.getByTestId('insights-show')).toBeVisible()
    await wide.close()
    await tablet.close()
  })

  test('HINT-1 a first-time hint names only what is on the board, is dismissed for good, and goes once you placed a note', async ({ browser, server }) => {
    const blank = `${server.url}/b/${await server.createBoard([], 'en')}`
    const pyramidOnly = `${server.url}/b/${await server.createBoard(['pyramid'], 'en')}`
    const withStairs = `${server.url}/b/${await server.createBoard(['pyramid', 'staircase'], 'en')}`
    const pia = await Person.open(browser, 'Pia Provider', 'provider')
    const hint = pia.page.getByTestId('first-hint')

    await pia.openBoard(blank)
    await expect(hint).toContainText(MESSAGES.en.hintPlaceNote)
    await expect(hint).toContainText(MESSAGES.en.hintAddTemplate)
    await expect(hint).not.toContainText(MESSAGES.en.hintDragNote)
    await expect(pia.page.getByTestId('hint-rate')).toHaveCount(0)
    await pia.screenshot('hint-blank-en')
    await pia.openBoard(pyramidOnly)
    await expect(hint).toContainText(MESSAGES.en.hintDragNote)
    await expect(pia.page.getByTestId('hint-rate')).toHaveCount(0)
    await pia.openBoard(withStairs)
    await expect(pia.page.getByTestId('hint-rate')).toHaveText(MESSAGES.en.hintRateStaircase)
    await expect(hint).not.toContainText(MESSAGES.en.hintAddTemplate)

    // Dismissed: gone here, after a reload and on other boards of this browser.
    await pia.page.getByTestId('hint-dismiss').click()
    await expect(hint).toHaveCount(0)
    await pia.page.reload()
    await pia.waitReady()
    await expect(hint).toHaveCount(0)
    await pia.openBoard(blank)
    await expect(hint).toHaveCount(0)

    // Another browser: the hint goes once this person placed a note, and stays away.
    const kalle = await Person.open(browser, 'Kalle Customer', 'customer')
    await kalle.openBoard(withStairs)
    await expect(kalle.page.getByTestId('first-hint')).toBeVisible()
    const p = await freeCanvasPoint(kalle.page)
    await kalle.createNote(p.x, p.y, 'First one')
    await expect(kalle.page.getByTestId('first-hint')).toHaveCount(0)
    await kalle.openBoard(blank)
    await expect(kalle.page.getByTestId('first-hint')).toHaveCount(0)
    await pia.close()
    await kalle.close()
  })

  test('HINT-1 PNL-1 a browser whose storage refuses writes keeps a working board: the hint goes, panels collapse, nothing crashes', async ({ browser, server }) => {
    const url = `${server.url}/b/${await server.createBoard(['staircase'], 'en')}`
    const mia = await Person.open(browser, 'Mia Provider', 'provider')
    await mia.openBoard(url)
    await expect(mia.page.getByTestId('first-hint')).toBeVisible()
    // Full storage (or storage blocked by policy) from now on.
    await mia.page.evaluate(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('storage is full', 'QuotaExceededError')
      }
    })
    const p = await freeCanvasPoint(mia.page)
    const note = await mia.createNote(p.x, p.y, 'Still works')
    await expect(mia.page.getByTestId('first-hint')).toHaveCount(0)
    await expect(mia.page.locator('.tl-canvas')).toBeVisible()
    expect((await mia.note(note))?.text).toBe('Still works')
    const panel = mia.page.getByTestId('insights-panel')
    await expect(panel).toBeVisible()
    await mia.page.getByTestId('insights-hide').click()
    await expect(panel).toHaveCount(0)
    await expect(mia.page.getByTestId('insights-show')).toBeVisible()
    await mia.close()
  })

  for (const lang of LANGS) {
    test(`NAV-1 HINT-1 PNL-1 navigator labels whole and apart, the hint clear of every panel, in ${lang} at 1440×900 and 1024×768, light and dark`, async ({ browser, server }) => {
      const boardUrl = `${server.url}/b/${await server.createBoard([...TEMPLATE_KINDS], lang)}`
      for (const vp of VIEWPORTS) {
        const p = await Person.open(browser, 'Mari', 'provider', lang, vp)
        await p.openBoard(boardUrl)
        const tag = `${lang}-${vp.width}`
        for (const dark of [false, true]) {
          await setDark(p.page, dark)
          const theme = dark ? 'dark' : 'light'
          // The navigator: every label on one line, inside its button, apart from its neighbours.
          const labels = await labelBoxes(p.page, '[data-testid=nav-template]')
          expect(labels).toHaveLength(TEMPLATE_KINDS.length)
          for (const l of labels) {
            expect(l.lines, `"${l.text}" on one line`).toBe(1)
            expect(l.overflow, `"${l.text}" fits its button`).toBe(false)
            expect(l.textBox.x).toBeGreaterThanOrEqual(l.box.x)
            expect(l.textBox.x + l.textBox.w).toBeLessThanOrEqual(l.box.x + l.box.w + 0.5)
          }
          for (let i = 0; i < labels.length; i++) {
            for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i]!.box, labels[j]!.box), `${labels[i]!.text} / ${labels[j]!.text}`).toBe(0)
          }
          const navBox = await boxes(p.page, '[data-testid=template-navigator]')
          const hintBox = await boxes(p.page, '[data-testid=first-hint]')
          expect(hintBox).toHaveLength(1)
          const others = (await boxes(p.page, `${ARVO_PANELS}, ${TLDRAW_PANELS}`)).filter(
            (b) => !/template-navigator|first-hint/.test(b.what),
          )
          // The neighbours measured include tldraw's menu, toolbar and style panel, and Arvo's picker.
          for (const must of ['tlui-menu-zone', 'tlui-main-toolbar', 'tlui-style-panel__wrapper', 'arvo-toolbar-group']) {
            expect(others.some((b) => b.what.includes(must)), must).toBe(true)
          }
          expectApart(navBox, others, `navigator ${tag}`)
          expectApart(hintBox, others, `hint ${tag}`)
          expectApart(hintBox, navBox, `hint ${tag}`)
          await p.screenshot(`navigator-hint-${tag}-${theme}`)
          // Collapsed (or, on the tablet where they start collapsed, opened) panels.
          const toggles = vp.width >= 1100 ? ['insights-hide', 'participants-hide'] : ['insights-show', 'participants-show']
          for (const id of toggles) await p.page.getByTestId(id).click()
          // The hint and the navigator stay clear of the panels in the other state too.
          const others2 = (await boxes(p.page, `${ARVO_PANELS}, ${TLDRAW_PANELS}`)).filter((b) => !/template-navigator|first-hint/.test(b.what))
          expectApart(await boxes(p.page, '[data-testid=first-hint]'), others2, `hint ${tag} toggled`)
          expectApart(await boxes(p.page, '[data-testid=template-navigator]'), others2, `navigator ${tag} toggled`)
          await p.screenshot(`panels-${vp.width >= 1100 ? 'collapsed' : 'expanded'}-${tag}-${theme}`)
          const back = vp.width >= 1100 ? ['insights-show', 'participants-show'] : ['insights-hide', 'participants-hide']
          for (const id of back) await p.page.getByTestId(id).click()
        }
        await setDark(p.page, false)
        await p.close()
      }
    })
  }

  test('THEME-1 every Arvo panel, badge and dialog reads with WCAG AA contrast in tldraw’s light and dark themes', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks([...TEMPLATE_KINDS], 'en')
    const owner = await Person.facilitator(browser, 'Pia Provider', 'provider')
    const kalle = await Person.open(browser, 'Kalle Customer', 'customer')
    await owner.openBoard(board.links.facilitator)
    await kalle.openBoard(board.url)
    await expect(owner.page.getByTestId('participant')).toHaveCount(2)
    const order = await instancesLeftToRight(owner)
    const plan = order.find((o) => o.template === 'actionPlan')!.instance
    const stairs = order.find((o) => o.template === 'staircase')!.instance

    // Some content: notes in the pyramid, ratings, an action with owner and due date.
    await owner.zoomTo(order[0]!.instance)
    await owner.noteInFreeSpot(order[0]!.instance, 'functional', 'Lower cost', -0.4, 0.4)
    await kalle.zoomTo(stairs)
    await kalle.clickRating(stairs, 'information', 'customer', 3)
    await owner.zoomTo(stairs)
    await owner.clickRating(stairs, 'information', 'provider', 5)
    await owner.zoomTo(plan)
    const action = await owner.noteInFreeSpot(plan, 'helpSucceed.action', 'Weekly check-in', -0.3)
    const at = await owner.screenCenter(action)
    await owner.page.keyboard.press('v')
    await owner.page.mouse.click(at.x, at.y)
    await owner.page.getByTestId('action-owner-side-customer').click()
    await owner.page.getByTestId('action-owner').fill('Kalle Customer')
    await owner.page.getByTestId('action-owner').press('Enter')
    await owner.page.getByTestId('action-due').fill('2026-12-15')
    await expect(owner.page.getByTestId('action-badge')).toBeVisible()

    const check = async (p: Person, state: string, min = 5) => {
      const r = await contrast(p.page)
      console.log(`${state}: ${r.checked} texts checked, ${r.failures.length} below AA`)
      expect(r.failures, `${state}: ${JSON.stringify(r.failures, null, 1)}`).toEqual([])
      expect(r.checked).toBeGreaterThanOrEqual(min)
    }

    for (const dark of [false, true]) {
      const theme = dark ? 'dark' : 'light'
      if (dark) {
        // tldraw's own shortcut (Ctrl+/) switches the theme; Arvo follows it.
        await owner.page.keyboard.press('Escape')
        await owner.page.keyboard.press('Control+/')
        await expect(owner.page.locator('.tl-container')).toHaveClass(/tl-theme__dark/)
        await expect(owner.page.locator('html')).toHaveClass(/arvo-dark/)
      } else await setDark(owner.page, false)
      const ac = await owner.screenCenter(action)
      // Action panel, badges, insights, participants (with the owner's controls), navigator, hint.
      await owner.page.mouse.click(ac.x, ac.y)
      await expect(owner.page.getByTestId('action-panel')).toBeVisible()
      await check(owner, `${theme}: board with action panel`, 40)
      await owner.screenshot(`theme-board-${theme}-en`)
      // The template menu.
      await owner.page.getByTestId('add-template').click()
      await expect(owner.page.getByTestId('template-menu')).toBeVisible()
      await check(owner, `${theme}: template menu`)
      await owner.screenshot(`theme-template-menu-${theme}-en`)
      await owner.page.keyboard.press('Escape')
      // A notice (the other side's rating clicked).
      await owner.zoomTo(stairs)
      await owner.clickRating(stairs, 'understanding', 'customer', 2)
      await expect(owner.page.getByTestId('notice')).toBeVisible()
      await check(owner, `${theme}: notice`)
      await owner.screenshot(`theme-notice-${theme}-en`)
      // Collapsed panels.
      await owner.page.getByTestId('insights-hide').click()
      await owner.page.getByTestId('participants-hide').click()
      await check(owner, `${theme}: collapsed panels`, 3)
      await owner.page.getByTestId('insights-show').click()
      await owner.page.getByTestId('participants-show').click()
      // The connection banner (server down).
      await server.stop('SIGKILL')
      await expect(owner.page.getByTestId('connection-banner')).toHaveAttribute('data-status', 'reconnecting')
      await check(owner, `${theme}: connection banner`)
      await owner.screenshot(`theme-reconnecting-${theme}-en`)
      await server.start()
      await expect(owner.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online', { timeout: 15_000 })
      await owner.zoomTo(plan)
    }

    // Pages outside the editor follow the stored theme: the identity dialog and the home page.
    for (const dark of [true, false]) {
      const theme = dark ? 'dark' : 'light'
      await setDark(owner.page, dark)
      await owner.page.evaluate(() => localStorage.removeItem('arvo.identity'))
      await owner.page.reload()
      await expect(owner.page.getByTestId('identity-dialog')).toBeVisible()
      await expect(owner.page.locator('html')).toHaveClass(dark ? /arvo-dark/ : /^(?!.*arvo-dark).*$/)
      await owner.page.getByTestId('identity-name').fill('Pia Provider')
      await owner.page.getByTestId('identity-side-provider').check()
      await check(owner, `${theme}: identity dialog`)
      await owner.page.screenshot({ path: `${SCREENSHOT_DIR}/theme-identity-${theme}-en.png` })
      await owner.page.goto(server.url)
      await owner.page.getByTestId('template-pyramid').check()
      await check(owner, `${theme}: home page`)
      await owner.page.screenshot({ path: `${SCREENSHOT_DIR}/theme-home-${theme}-en.png` })
      await owner.openBoard(board.url)
    }
    await owner.close()
    await kalle.close()
  })
})
