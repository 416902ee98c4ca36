import type { Page, TestInfo } from '@playwright/test'
import type { Language } from '../shared/i18n/index.ts'
import { MESSAGES } from '../shared/i18n/index.ts'
import { expect, Person, SCREENSHOT_DIR, test } from './fixtures.ts'
import { boxes, contrast, midWordBreaks, overflowing, overlap } from './measure.ts'

const LANGS: Language[] = ['en', 'fi', 'et', 'ru']
/** How far the customer's computer clock is off. */
const CLOCK_SHIFT_MS = 7 * 60_000 + 13_000

/** Makes this context's `Date` run `shift` ms ahead of the real clock (before any page script). */
async function shiftClock(p: Person, shift: number): Promise<void> {
  await p.context.addInitScript((ms: number) => {
    const RealDate = Date
    const realNow = RealDate.now.bind(RealDate)
    class ShiftedDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(realNow() + ms)
        else super(...(args as [number]))
      }
      static now() {
        return realNow() + ms
      }
    }
    globalThis.Date = ShiftedDate as DateConstructor
  }, shift)
}

/** Seconds left on the timer as this page shows it (null: no timer). */
async function remaining(p: Person): Promise<number | null> {
  const el = p.page.getByTestId('timer')
  if ((await el.count()) === 0) return null
  return Number(await el.getAttribute('data-remaining'))
}

/** The page's session map value of `key` (as the doc holds it). */
function sessionValue(p: Person, key: string): Promise<unknown> {
  return p.page.evaluate((k) => JSON.parse(JSON.stringify(window.__arvo!.connection.doc.getMap('session').get(k) ?? null)), key)
}

/** Centre of the page's viewport, in page units. */
function viewCenter(p: Person): Promise<{ x: number; y: number }> {
  return p.page.evaluate(() => {
    const b = window.__arvo!.editor.getViewportPageBounds()
    return { x: b.center.x, y: b.center.y }
  })
}

/** Page bounds of one template instance. */
function templateBounds(p: Person, instance: string): Promise<{ x: number; y: number; w: number; h: number } | null> {
  return p.page.evaluate((i) => {
    const ed = window.__arvo!.editor
    const ids = ed.getCurrentPageShapes().filter((s) => (s.meta as { arvo?: { instance?: string } }).arvo?.instance === i).map((s) => s.id)
    const boxes = ids.map((id) => ed.getShapePageBounds(id)!).filter(Boolean)
    if (boxes.length === 0) return null
    const x = Math.min(...boxes.map((b) => b.x))
    const y = Math.min(...boxes.map((b) => b.y))
    return { x, y, w: Math.max(...boxes.map((b) => b.maxX)) - x, h: Math.max(...boxes.map((b) => b.maxY)) - y }
  }, instance)
}

async function setLanguage(page: Page, lang: Language): Promise<void> {
  await page.getByTestId('language-picker').first().selectOption(lang)
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

async function shoot(p: Person, info: TestInfo, name: string): Promise<void> {
  await p.page.screenshot({ path: info.outputPath(`${name}.png`) })
  await p.screenshot(name)
}

async function shootElement(p: Person, info: TestInfo, testId: string, name: string): Promise<void> {
  const el = p.page.getByTestId(testId)
  await el.screenshot({ path: info.outputPath(`${name}.png`) })
  await el.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

test.describe('facilitation (issue 11)', () => {
  test('E2E-FAC1 FAC-C1 TIMER-C1 TITLE-C1 FOLLOW-C2 SPOT-C1 AGENDA-C1: one workshop from the facilitator panel, seen by a provider and a customer whose clock is 7 minutes off', async ({ browser, server }, info) => {
    test.setTimeout(180_000)
    const board = await server.createBoardWithLinks(['pyramid', 'staircase', 'actionPlan'], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    const prov = await Person.open(browser, 'Pekka Provider', 'provider')
    const cust = await Person.open(browser, 'Kaisa Customer', 'customer')
    await shiftClock(cust, CLOCK_SHIFT_MS)
    await fac.openBoard(board.url)
    await prov.openBoard(board.url)
    await cust.openBoard(board.url)
    const skew = await cust.page.evaluate(() => Date.now())
    expect(skew - Date.now()).toBeGreaterThan(CLOCK_SHIFT_MS - 5000)

    // Only the facilitator has the panel (and the lock is in it now, not in the top bar).
    await expect(fac.page.getByTestId('facilitator-panel')).toBeVisible()
    await expect(fac.page.locator('[data-testid=facilitator-panel] [data-testid=board-lock-toggle]')).toBeVisible()
    await expect(fac.page.locator('.arvo-picker [data-testid=board-lock-toggle]')).toHaveCount(0)
    for (const p of [prov, cust]) await expect(p.page.getByTestId('facilitator-panel')).toHaveCount(0)

    // Title: renamed inline; shown in everyone's top bar and browser tab.
    await fac.page.getByTestId('title-rename').click()
    await fac.page.getByTestId('title-input').fill('   ')
    await fac.page.getByTestId('title-input').press('Enter')
    await expect(fac.page.getByTestId('title-hint')).toHaveText(MESSAGES.en.facTitleEmpty)
    await fac.page.getByTestId('title-input').fill('Value workshop with Acme')
    await fac.page.getByTestId('title-input').press('Enter')
    for (const p of [fac, prov, cust]) {
      await expect(p.page.getByTestId('board-title')).toHaveText('Value workshop with Acme')
      await expect(p.page).toHaveTitle('Value workshop with Acme · Arvo')
    }

    // Timer: 5 minutes, started; the same time left everywhere (±2 s), the skewed clock included.
    await fac.page.getByTestId('timer-preset-5').click()
    for (const p of [fac, prov, cust]) await expect(p.page.getByTestId('timer')).toHaveAttribute('data-stage', 'stopped')
    await expect(prov.page.getByTestId('timer-clock')).toHaveText('5:00')
    await fac.page.getByTestId('timer-start').click()
    for (const p of [fac, prov, cust]) await expect(p.page.getByTestId('timer')).toHaveAttribute('data-stage', 'running')
    await fac.page.waitForTimeout(1500)
    const left = await Promise.all([fac, prov, cust].map(remaining))
    for (const s of left) {
      expect(s).toBeGreaterThan(290)
      expect(s).toBeLessThanOrEqual(300)
    }
    expect(Math.max(...(left as number[])) - Math.min(...(left as number[]))).toBeLessThanOrEqual(2)

    // Pause: it stands still everywhere at the same value; resume; +1 min.
    await fac.page.getByTestId('timer-pause').click()
    for (const p of [prov, cust]) await expect(p.page.getByTestId('timer')).toHaveAttribute('data-stage', 'paused')
    const paused = await remaining(prov)
    await fac.page.waitForTimeout(1500)
    expect(await remaining(prov)).toBe(paused)
    expect(Math.abs((await remaining(cust))! - paused!)).toBeLessThanOrEqual(1)
    await fac.page.getByTestId('timer-resume').click()
    await expect(cust.page.getByTestId('timer')).toHaveAttribute('data-stage', 'running')
    await fac.page.getByTestId('timer-add-minute').click()
    await expect.poll(() => remaining(cust)).toBeGreaterThan(paused! + 55)
    expect(Math.abs((await remaining(cust))! - (await remaining(prov))!)).toBeLessThanOrEqual(2)
    await fac.page.getByTestId('timer-stop').click()
    for (const p of [prov, cust]) await expect(p.page.getByTestId('timer')).toHaveCount(0)

    // Screen readers hear the last minute once (not every second)…
    await fac.page.getByTestId('timer-minutes').fill('1.05')
    await fac.page.getByTestId('timer-set').click()
    await fac.page.getByTestId('timer-start').click()
    await expect(prov.page.getByTestId('timer-announcement')).toHaveText('')
    await expect(prov.page.getByTestId('timer-announcement')).toHaveText(MESSAGES.en.facTimerOneMinute, { timeout: 10_000 })
    await expect(prov.page.getByTestId('timer')).toHaveAttribute('data-stage', 'lastMinute')
    await fac.page.getByTestId('timer-stop').click()
    // …and a short timer runs out: the gentle signal, and one announcement.
    await fac.page.getByTestId('timer-minutes').fill('0.05')
    await fac.page.getByTestId('timer-set').click()
    await fac.page.getByTestId('timer-start').click()
    await expect(cust.page.getByTestId('timer')).toHaveAttribute('data-stage', 'up', { timeout: 8000 })
    await expect(cust.page.getByTestId('timer-announcement')).toHaveText(MESSAGES.en.facTimerUp)
    await expect(cust.page.getByTestId('timer-clock')).toHaveText('0:00')
    await shoot(cust, info, 'facilitation-timer-up-en')
    await fac.page.getByTestId('timer-stop').click()

    // Bring everyone to my view: the participants' cameras follow the facilitator's.
    const facId = await fac.page.evaluate(() => window.__arvo!.identity.id)
    await fac.page.getByTestId('bring-everyone').click()
    for (const p of [prov, cust]) {
      await expect.poll(() => p.page.evaluate(() => window.__arvo!.editor.getInstanceState().followingUserId)).toBe(`user:${facId}`)
      await expect(p.page.getByTestId('following-banner')).toContainText(MESSAGES.en.facFollowingFacilitator)
    }
    await fac.page.evaluate(() => window.__arvo!.editor.setCamera({ x: -1800, y: -200, z: 0.6 }))
    const target = await viewCenter(fac)
    for (const p of [prov, cust]) {
      await expect.poll(async () => {
        const c = await viewCenter(p)
        return Math.hypot(c.x - target.x, c.y - target.y)
      }, { timeout: 10_000 }).toBeLessThan(40)
    }
    // A participant who moves away stops following; "Bring everyone again" brings them back.
    await prov.page.evaluate(() => window.__arvo!.editor.setCamera({ x: 500, y: 500, z: 1 }))
    await expect.poll(() => prov.page.evaluate(() => window.__arvo!.editor.getInstanceState().followingUserId)).toBeNull()
    await expect(prov.page.getByTestId('following-banner')).toHaveCount(0)
    await fac.page.getByTestId('bring-everyone').click()
    await expect.poll(() => prov.page.evaluate(() => window.__arvo!.editor.getInstanceState().followingUserId)).toBe(`user:${facId}`)
    await fac.page.getByTestId('release-everyone').click()
    for (const p of [prov, cust]) await expect.poll(() => p.page.evaluate(() => window.__arvo!.editor.getInstanceState().followingUserId)).toBeNull()

    // Anyone can follow anyone from the participants panel.
    await cust.page.locator(`[data-testid=follow-person][data-person="${facId}"]`).click()
    await expect.poll(() => cust.page.evaluate(() => window.__arvo!.editor.getInstanceState().followingUserId)).toBe(`user:${facId}`)
    await cust.page.getByTestId('stop-following').click()
    await expect.poll(() => cust.page.evaluate(() => window.__arvo!.editor.getInstanceState().followingUserId)).toBeNull()

    // Spotlight on the staircase: everyone is taken there, the rest dimmed; released, the dim goes.
    await fac.page.getByTestId('spotlight-template').selectOption('staircase-1')
    await fac.page.getByTestId('spotlight-on').click()
    const stairs = (await templateBounds(prov, 'staircase-1'))!
    for (const p of [fac, prov, cust]) {
      await expect(p.page.getByTestId('spotlight-dim')).toHaveCount(1)
      await expect.poll(async () => {
        const c = await viewCenter(p)
        return c.x > stairs.x && c.x < stairs.x + stairs.w && c.y > stairs.y && c.y < stairs.y + stairs.h
      }).toBe(true)
    }
    // The dim never takes the pointer.
    expect(await prov.page.getByTestId('spotlight-dim').evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none')
    await fac.page.waitForTimeout(500)
    await shoot(prov, info, 'facilitation-spotlight-en')
    // One zone of a template: the pyramid's top level.
    await fac.page.getByTestId('spotlight-template').selectOption('pyramid-1')
    await fac.page.getByTestId('spotlight-zone').selectOption('inspirational')
    await fac.page.getByTestId('spotlight-on').click()
    await expect(fac.page.getByTestId('spotlight-active')).toContainText('Inspirational value')
    const top = await cust.zoneBounds('pyramid-1', 'inspirational')
    // The zone is wholly in view, and large: the camera went to it, not just near it.
    await expect.poll(() =>
      cust.page.evaluate((z) => {
        const ed = window.__arvo!.editor
        const v = ed.getViewportPageBounds()
        const inside = z.x >= v.x && z.y >= v.y && z.x + z.w <= v.x + v.w && z.y + z.h <= v.y + v.h
        return inside && z.w * ed.getZoomLevel() > 0.4 * ed.getViewportScreenBounds().w
      }, top),
    ).toBe(true)
    await fac.page.getByTestId('spotlight-off').click()
    for (const p of [prov, cust]) await expect(p.page.getByTestId('spotlight-dim')).toHaveCount(0)

    // Lock from the panel.
    await fac.page.getByTestId('board-lock-toggle').click()
    await expect(prov.page.getByTestId('board-locked-banner')).toBeVisible()
    expect(await prov.page.evaluate(() => window.__arvo!.editor.getInstanceState().isReadonly)).toBe(true)
    await fac.page.getByTestId('board-lock-toggle').click()
    await expect(prov.page.getByTestId('board-locked-banner')).toHaveCount(0)

    // Agenda: the ready-made value workshop; everyone sees where the workshop is.
    await fac.page.getByTestId('agenda-load-value').click()
    await expect(fac.page.getByTestId('agenda-phase')).toHaveCount(5)
    await expect(cust.page.getByTestId('agenda-where')).toHaveText(MESSAGES.en.facAgendaNotStarted)
    await fac.page.getByTestId('agenda-next').click()
    for (const p of [prov, cust]) {
      await expect(p.page.getByTestId('agenda-strip')).toHaveAttribute('data-current', '0')
      await expect(p.page.getByTestId('agenda-where')).toHaveText('Phase 1 of 5')
      await expect(p.page.getByTestId('agenda-phase-name')).toHaveText('Silent ideas')
      await expect(p.page.getByTestId('spotlight-dim')).toHaveCount(1)
    }
    await expect.poll(() => remaining(cust)).toBeGreaterThan(8 * 60 - 5)
    expect(await sessionValue(prov, 'privateMode')).toMatchObject({ status: 'on' })
    expect(await sessionValue(prov, 'spotlight')).toMatchObject({ instance: 'pyramid-1' })
    await shoot(fac, info, 'facilitation-agenda-phase1-en')
    // Next (from the bar at the top of the panel): silent ideas end (revealed), the spotlight goes, discussion starts with 15 minutes.
    await expect(fac.page.getByTestId('agenda-runbar')).toContainText('Phase 1 of 5: Silent ideas')
    await fac.page.getByTestId('agenda-next-top').click()
    await expect(prov.page.getByTestId('agenda-where')).toHaveText('Phase 2 of 5')
    await expect.poll(() => sessionValue(prov, 'privateMode')).toMatchObject({ status: 'revealed' })
    expect(await sessionValue(prov, 'spotlight')).toBeNull()
    await expect.poll(() => remaining(prov)).toBeGreaterThan(15 * 60 - 5)
    // Next: a dot vote opens on the pyramid; next again: it is closed, the staircase is spotlit.
    await fac.page.getByTestId('agenda-next').click()
    await expect.poll(() => sessionValue(prov, 'vote')).toMatchObject({ status: 'open', dots: 3, onePerNote: true, templates: ['pyramid-1'] })
    const voteId = ((await sessionValue(prov, 'vote')) as { id: string }).id
    await fac.page.getByTestId('agenda-next').click()
    await expect.poll(() => sessionValue(prov, 'vote')).toMatchObject({ id: voteId, status: 'closed' })
    await expect.poll(() => sessionValue(cust, 'spotlight')).toMatchObject({ instance: 'staircase-1' })
    await expect(cust.page.getByTestId('agenda-phase-name')).toHaveText(MESSAGES.en.facPhaseRateStaircase)
    // The customer reads the phases in their own language (names are presets).
    await setLanguage(cust.page, 'fi')
    await expect(cust.page.getByTestId('agenda-phase-name')).toHaveText(MESSAGES.fi.facPhaseRateStaircase)
    await expect(cust.page.getByTestId('agenda-where')).toHaveText('Vaihe 4/5')
    await shoot(cust, info, 'facilitation-participant-fi')
    await fac.page.getByTestId('agenda-next').click()
    await fac.page.getByTestId('agenda-next').click()
    await expect(prov.page.getByTestId('agenda-where')).toHaveText(MESSAGES.en.facAgendaDone)
    await expect(prov.page.getByTestId('timer')).toHaveCount(0)
    await expect(fac.page.getByTestId('agenda-next')).toHaveCount(0)

    // A reload keeps it all (the session map is the board's).
    await prov.page.reload()
    await prov.waitReady()
    await expect(prov.page.getByTestId('board-title')).toHaveText('Value workshop with Acme')
    await expect(prov.page.getByTestId('agenda-where')).toHaveText(MESSAGES.en.facAgendaDone)
    for (const p of [fac, prov, cust]) await p.close()
  })

  test('E2E-FAC2 FAC-C2: the panel and the top bar in en/fi/et/ru — whole words, nothing spilling out, the top centre clear of the right-hand panels at 1280×720', async ({ browser, server }, info) => {
    test.setTimeout(150_000)
    const board = await server.createBoardWithLinks(['pyramid', 'staircase'], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider', 'en', { width: 1280, height: 720 })
    await fac.openBoard(board.url)
    // Panels start open at ≥ 1100 px; make sure both are.
    await expect(fac.page.getByTestId('facilitator-panel')).toBeVisible()
    await fac.page.getByTestId('title-rename').click()
    await fac.page.getByTestId('title-input').fill('Arvotyöpaja: Acme Oy ja Tarjoaja Oy yhdessä')
    await fac.page.getByTestId('title-save').click()
    await fac.page.getByTestId('timer-preset-10').click()
    await fac.page.getByTestId('timer-start').click()
    await fac.page.getByTestId('agenda-load-value').click()
    await fac.page.getByTestId('agenda-next').click()
    await fac.page.getByTestId('agenda-next').click()
    await fac.page.getByTestId('bring-everyone').click()
    // Open one phase's editor so its fields are measured too.
    await fac.page.locator('[data-testid=agenda-phase] summary').first().click()
    for (const lang of LANGS) {
      await setLanguage(fac.page, lang)
      await expect(fac.page.getByTestId('facilitator-panel')).toContainText(MESSAGES[lang].facTools)
      for (const sel of ['[data-testid=facilitator-panel]', '[data-testid=facilitation-top]']) {
        expect(await midWordBreaks(fac.page, sel), `${lang} ${sel}: words broken mid-word`).toEqual([])
        expect(await overflowing(fac.page, ['button', 'label', 'h3', 'p', 'span:not(.arvo-visually-hidden)'].map((x) => `${sel} ${x}`).join(', ')), `${lang} ${sel}: content wider than its box`).toEqual([])
      }
      // The top centre stays inside the window and clear of the share slot (participants, panel).
      const [top] = await boxes(fac.page, '[data-testid=facilitation-top]')
      expect(top!.x).toBeGreaterThanOrEqual(0)
      expect(top!.x + top!.w).toBeLessThanOrEqual(1280)
      for (const right of await boxes(fac.page, '.arvo-share-slot > *')) expect(overlap(top!, right), `${lang}: top bar over ${right.what}`).toBe(0)
      // The panel fits in the window (its body scrolls).
      const [panel] = await boxes(fac.page, '[data-testid=facilitator-panel]')
      expect(panel!.y + panel!.h).toBeLessThanOrEqual(720)
      await shoot(fac, info, `facilitation-board-${lang}`)
      await shootElement(fac, info, 'facilitator-panel', `facilitation-panel-${lang}`)
      await shootElement(fac, info, 'facilitation-top', `facilitation-top-${lang}`)
    }
    // Contrast of every facilitation text, light and dark (THEME-1).
    await setLanguage(fac.page, 'en')
    for (const dark of [false, true]) {
      await fac.page.evaluate((d) => window.__arvo!.editor.user.updateUserPreferences({ colorScheme: d ? 'dark' : 'light' }), dark)
      await expect(fac.page.locator('.tl-container')).toHaveClass(dark ? /tl-theme__dark/ : /tl-theme__light/)
      const r = await contrast(fac.page, '[data-testid=facilitator-panel], [data-testid=facilitation-top]')
      expect(r.checked).toBeGreaterThan(20)
      expect(r.failures, dark ? 'dark' : 'light').toEqual([])
      await shootElement(fac, info, 'facilitator-panel', `facilitation-panel-en-${dark ? 'dark' : 'light'}`)
    }
    await fac.page.evaluate(() => window.__arvo!.editor.user.updateUserPreferences({ colorScheme: 'light' }))
    // Keyboard: the panel's controls are reached with Tab and show a focus ring.
    await fac.page.getByTestId('title-rename').focus()
    await fac.page.keyboard.press('Tab')
    const focused = await fac.page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      return { id: el.dataset.testid, outline: getComputedStyle(el).outlineStyle }
    })
    expect(focused.id).toBe('timer-preset-1')
    expect(focused.outline).not.toBe('none')
    await fac.page.keyboard.press('Enter')
    await expect(fac.page.getByTestId('timer')).toHaveAttribute('data-stage', 'stopped')
    await expect(fac.page.getByTestId('timer-clock')).toHaveText('1:00')
    // Collapsed, it is a small labelled button; the choice is remembered.
    await fac.page.getByTestId('facilitator-hide').click()
    await expect(fac.page.getByTestId('facilitator-show')).toHaveAttribute('aria-expanded', 'false')
    await fac.page.reload()
    await fac.waitReady()
    await expect(fac.page.getByTestId('facilitator-show')).toBeVisible()
    await fac.page.getByTestId('facilitator-show').focus()
    await fac.page.keyboard.press('Enter')
    await expect(fac.page.getByTestId('facilitator-panel')).toBeVisible()
    await fac.close()
  })
})
