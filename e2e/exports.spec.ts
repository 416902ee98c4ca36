/**
 * E2E-EXP (issue 12): the board menu's exports (PDF, CSV, Markdown, JSON backup from the
 * server; PNG/SVG of the board and each template), their progress and failures, the outline
 * view (grouped list, editing, show on canvas, keyboard, roles), importing a backup on the home
 * page, and screenshots + text-box measurements of the outline and the menu in four languages,
 * light and dark.
 */
import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import type { Language } from '../shared/i18n/index.ts'
import { expect, Person, test } from './fixtures.ts'
import { boxes, contrast, midWordBreaks, overflowing, overlap } from './measure.ts'

const LOCALES: Record<Language, string> = { en: 'en-US', fi: 'fi-FI', et: 'et-EE', ru: 'ru-RU' }

/** Opens the main menu and its "Export and download" submenu. */
async function openExportMenu(page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  await page.getByTestId('main-menu.button').click()
  const trigger = page.getByTestId('main-menu-sub.arvo-export-button')
  await trigger.click()
  await expect(page.getByTestId('main-menu.arvo-export-pdf-a4')).toBeVisible()
}

async function setDark(page: Page, dark: boolean): Promise<void> {
  await page.evaluate((d) => window.__arvo!.editor.user.updateUserPreferences({ colorScheme: d ? 'dark' : 'light' }), dark)
  await expect(page.locator('html')).toHaveClass(dark ? /arvo-dark/ : /^(?!.*arvo-dark).*$/)
}

/** Downloads one item of the export menu and answers its file name and bytes. */
async function downloadFromMenu(page: Page, item: string): Promise<{ name: string; bytes: Buffer }> {
  await openExportMenu(page)
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId(`main-menu.${item}`).click()])
  const path = await download.path()
  return { name: download.suggestedFilename(), bytes: readFileSync(path!) }
}

test.describe('E2E-EXP issue 12: exports from the board menu', () => {
  test('EXP-E1 the PDF report downloads from the menu, with progress, for a viewer too', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid', 'actionPlan'], 'en')
    const pia = await Person.facilitator(browser, 'Pia Provider', 'provider')
    await pia.openBoard(board.url)
    await pia.zoomTo('pyramid-1')
    await pia.noteInFreeSpot('pyramid-1', 'functional', 'Faster onboarding')

    // A slow answer shows the progress line (aria-live) while it runs.
    await pia.page.route('**/export.pdf?*', async (route) => {
      await new Promise((r) => setTimeout(r, 600))
      await route.continue()
    })
    await openExportMenu(pia.page)
    const downloading = pia.page.waitForEvent('download', { timeout: 30_000 })
    await pia.page.getByTestId('main-menu.arvo-export-pdf-a4').click()
    const toast = pia.page.getByTestId('export-toast').first()
    await expect(toast).toHaveAttribute('data-state', 'running')
    await expect(toast).toContainText('Preparing: PDF report…')
    await expect(pia.page.getByTestId('export-status')).toHaveAttribute('aria-live', 'polite')
    await pia.screenshot('export-progress-en')
    const download = await downloading
    const bytes = readFileSync((await download.path())!)
    expect(download.suggestedFilename()).toMatch(/\.pdf$/)
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF')
    expect(bytes.length).toBeGreaterThan(10_000)
    await expect(toast).toHaveAttribute('data-state', 'done')
    await expect(toast).toContainText(`Downloaded: ${download.suggestedFilename()}`)
    await pia.page.unroute('**/export.pdf?*')

    // US Letter is the other choice.
    const letter = await downloadFromMenu(pia.page, 'arvo-export-pdf-letter')
    expect(letter.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF')

    // A viewer reads the board, so a viewer gets the report too.
    const vera = await Person.viewer(browser, 'Vera Viewer')
    await vera.openBoard(board.url)
    const viewerPdf = await downloadFromMenu(vera.page, 'arvo-export-pdf-a4')
    expect(viewerPdf.name).toMatch(/\.pdf$/)
    expect(viewerPdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF')
    await pia.close()
    await vera.close()
  })

  test('EXP-E2 CSV (BOM, a Finnish note intact), Markdown and the JSON backup download in the viewer’s language', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid'], 'fi')
    const kalle = await Person.open(browser, 'Kalle Asiakas', 'customer', 'fi-FI')
    await kalle.openBoard(board.url)
    await kalle.zoomTo('pyramid-1')
    const finnish = 'Nopeampi käyttöönotto, vähemmän säätöä'
    await kalle.noteInFreeSpot('pyramid-1', 'functional', finnish)

    const csv = await downloadFromMenu(kalle.page, 'arvo-export-csv')
    expect(csv.name).toMatch(/\.csv$/)
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(csv.bytes.toString('utf8')).toContain(finnish)

    const md = await downloadFromMenu(kalle.page, 'arvo-export-md')
    expect(md.name).toMatch(/\.md$/)
    expect(md.bytes.toString('utf8')).toContain(finnish)

    const json = await downloadFromMenu(kalle.page, 'arvo-export-json')
    expect(json.name).toMatch(/\.json$/)
    expect(json.bytes.toString('utf8')).toContain(finnish)
    await kalle.close()
  })

  test('EXP-E3 a failed export says why: the server’s message, or that the server could not be reached', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid'], 'en')
    const pia = await Person.facilitator(browser, 'Pia Provider', 'provider')
    await pia.openBoard(board.url)

    await pia.page.route('**/export.csv?*', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'the board could not be read from storage' }) }),
    )
    await openExportMenu(pia.page)
    await pia.page.getByTestId('main-menu.arvo-export-csv').click()
    const failed = pia.page.locator('[data-testid=export-toast][data-state=error]')
    await expect(failed).toHaveText(/CSV file could not be downloaded: the board could not be read from storage/)
    await expect(failed).toHaveAttribute('role', 'alert')

    await pia.page.route('**/export.md?*', (route) => route.abort('connectionrefused'))
    await openExportMenu(pia.page)
    await pia.page.getByTestId('main-menu.arvo-export-md').click()
    await expect(pia.page.locator('[data-testid=export-toast][data-state=error]').last()).toContainText('the server could not be reached')
    await pia.screenshot('export-failed-en')

    // Failures stay until closed.
    await expect(pia.page.getByTestId('export-toast-close')).toHaveCount(2)
    await pia.page.getByTestId('export-toast-close').first().click()
    await pia.page.getByTestId('export-toast-close').first().click()
    await expect(pia.page.getByTestId('export-toast')).toHaveCount(0)

    // The token goes in the header, never in the URL.
    const requests: { url: string; auth: string | null }[] = []
    await pia.page.route('**/export.json', async (route) => {
      requests.push({ url: route.request().url(), auth: (await route.request().headerValue('authorization')) ?? null })
      await route.fulfill({ status: 200, body: '{"ok":true}', headers: { 'content-disposition': `attachment; filename*=UTF-8''Ty%C3%B6paja-2026-01-01.json` } })
    })
    const json = await downloadFromMenu(pia.page, 'arvo-export-json')
    expect(json.name).toBe('Työpaja-2026-01-01.json')
    expect(requests).toHaveLength(1)
    expect(requests[0]!.url).not.toContain('token')
    expect(requests[0]!.auth).toMatch(/^Bearer \S+/)
    await pia.close()
  })

  test('EXP-E4 the board and each template export as PNG and SVG from the same menu, named after board and template', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid', 'actionPlan'], 'en')
    const pia = await Person.facilitator(browser, 'Pia Provider', 'provider')
    await pia.openBoard(board.url)
    await pia.zoomTo('actionPlan-1')
    await pia.noteInFreeSpot('actionPlan-1', 'reassure.action', 'Kick-off meeting')

    await openExportMenu(pia.page)
    for (const id of ['arvo-export-board-png', 'arvo-export-board-svg', 'arvo-export-template-pyramid-1-png', 'arvo-export-template-actionPlan-1-svg']) {
      await expect(pia.page.getByTestId(`main-menu.${id}`)).toBeVisible()
    }
    await pia.screenshot('export-menu-images-en')
    const svg = await (async () => {
      const [d] = await Promise.all([pia.page.waitForEvent('download'), pia.page.getByTestId('main-menu.arvo-export-template-actionPlan-1-svg').click()])
      return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') }
    })()
    expect(svg.name).toBe(`Arvo ${board.id} – Action plan.svg`)
    expect(svg.text).toContain('Kick-off meeting')
    const png = await downloadFromMenu(pia.page, 'arvo-export-template-pyramid-1-png')
    expect(png.name).toBe(`Arvo ${board.id} – B2B value pyramid.png`)
    expect([...png.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    // The pyramid's picture does not carry the action plan's note.
    const whole = await downloadFromMenu(pia.page, 'arvo-export-board-svg')
    expect(whole.name).toBe(`Arvo ${board.id}.svg`)
    expect(whole.bytes.toString('utf8')).toContain('Kick-off meeting')
    await pia.close()
  })
})

test.describe('E2E-OUT issue 12: the outline view', () => {
  test('OUT-E1 lists every note grouped, edits a note (the canvas and another browser show it), shows it on the canvas, works by keyboard', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid', 'roleMap'], 'en')
    const pia = await Person.facilitator(browser, 'Pia Provider', 'provider')
    const kalle = await Person.open(browser, 'Kalle Customer', 'customer')
    await pia.openBoard(board.url)
    await kalle.openBoard(board.url)
    await pia.zoomTo('pyramid-1')
    const a = await pia.noteInFreeSpot('pyramid-1', 'functional', 'Faster onboarding')
    await kalle.zoomTo('pyramid-1')
    const b = await kalle.noteInFreeSpot('pyramid-1', 'functional', 'Named contact person', 0.5)
    await kalle.zoomTo('roleMap-1')
    const c = await kalle.noteInFreeSpot('roleMap-1', 'design.customer', 'Ответственный за внедрение')

    await pia.page.getByTestId('outline-show').click()
    const panel = pia.page.getByTestId('outline-panel')
    await expect(panel).toBeVisible()
    await expect(panel.getByTestId('outline-note')).toHaveCount(3)
    // template → zone → side, provider first
    const pyramid = panel.locator('[data-testid=outline-template][data-instance="pyramid-1"]')
    await expect(pyramid.locator('h3')).toContainText('B2B value pyramid')
    const functional = pyramid.locator('[data-testid=outline-zone][data-zone=functional]')
    await expect(functional.getByTestId('outline-side')).toHaveCount(2)
    await expect(functional.locator('[data-testid=outline-side]').nth(0)).toHaveAttribute('data-side', 'provider')
    await expect(functional.locator(`[data-note-id="${a}"]`)).toHaveAttribute('aria-label', 'Provider note, Written by Pia Provider: Faster onboarding')
    await expect(functional.locator(`[data-note-id="${b}"]`)).toHaveAttribute('aria-label', 'Customer note, Written by Kalle Customer: Named contact person')
    await expect(panel.locator('[data-testid=outline-template][data-instance="roleMap-1"]').locator(`[data-note-id="${c}"]`)).toBeVisible()

    // Live: a note Kalle changes on the canvas changes in Pia's outline.
    await kalle.page.evaluate((id) => {
      const e = window.__arvo!.editor
      e.updateShape({ id: id as never, type: 'note', props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Named contact person, always reachable' }] }] } } })
    }, b)
    await expect(panel.locator(`[data-note-id="${b}"] [data-testid=outline-note-text]`)).toHaveText('Named contact person, always reachable')

    // Keyboard: focus the first entry, arrows move, Enter edits, Enter saves.
    await panel.locator(`[data-note-id="${a}"]`).focus()
    await pia.page.keyboard.press('ArrowDown')
    await expect.poll(() => pia.page.evaluate(() => document.activeElement?.getAttribute('data-note-id'))).toBe(b)
    await pia.page.keyboard.press('ArrowDown')
    await expect.poll(() => pia.page.evaluate(() => document.activeElement?.getAttribute('data-note-id'))).toBe(c)
    await pia.page.keyboard.press('Home')
    await expect.poll(() => pia.page.evaluate(() => document.activeElement?.getAttribute('data-note-id'))).toBe(a)
    // Tab reaches the entry's buttons.
    await pia.page.keyboard.press('Tab')
    await expect.poll(() => pia.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('outline-show-on-canvas')
    await pia.page.keyboard.press('Shift+Tab')
    const notesBefore = (await pia.noteIds()).length
    await pia.page.keyboard.press('Enter')
    const area = panel.getByTestId('outline-edit-text')
    await expect(area).toBeFocused()
    await expect(area).toHaveValue('Faster onboarding')
    await pia.screenshot('outline-editing-en')
    await pia.page.keyboard.press('ControlOrMeta+a')
    await pia.page.keyboard.type('Faster onboarding in two weeks')
    await pia.page.keyboard.press('Enter')
    await expect(area).toHaveCount(0)
    await expect.poll(() => pia.page.evaluate(() => document.activeElement?.getAttribute('data-note-id'))).toBe(a)
    // The canvas shows the new text, here and in Kalle's browser; no key went to tldraw (no new note).
    await expect.poll(async () => (await pia.note(a))?.text).toBe('Faster onboarding in two weeks')
    await expect.poll(async () => (await kalle.note(a))?.text).toBe('Faster onboarding in two weeks')
    await expect(pia.page.locator(`.tl-shape[data-shape-id="${a}"] .tl-rich-text`)).toHaveText('Faster onboarding in two weeks')
    await expect(kalle.page.locator(`.tl-shape[data-shape-id="${a}"] .tl-rich-text`)).toHaveText('Faster onboarding in two weeks')
    expect((await pia.noteIds()).length).toBe(notesBefore)
    // Its author stays Pia, whoever edits it (META-4).
    expect((await kalle.note(a))!.meta.arvo).toMatchObject({ authorName: 'Pia Provider', side: 'provider' })

    // Escape cancels an edit.
    await panel.locator(`[data-note-id="${b}"] [data-testid=outline-edit]`).click()
    await pia.page.keyboard.type(' — never mind')
    await pia.page.keyboard.press('Escape')
    await expect(panel.getByTestId('outline-edit-text')).toHaveCount(0)
    expect((await kalle.note(b))!.text).toBe('Named contact person, always reachable')

    // Show on canvas: the note gets selected, and the camera moves to it (animated), clear of the panels.
    await pia.zoomTo('pyramid-1')
    const camBefore = await pia.page.evaluate(() => window.__arvo!.editor.getCamera())
    await panel.locator(`[data-note-id="${c}"] [data-testid=outline-show-on-canvas]`).click()
    await expect.poll(() => pia.page.evaluate(() => window.__arvo!.editor.getSelectedShapeIds() as string[])).toEqual([c])
    // mid-animation the camera is somewhere between
    await pia.page.waitForTimeout(700)
    const camAfter = await pia.page.evaluate(() => window.__arvo!.editor.getCamera())
    expect(Math.abs(camAfter.x - camBefore.x) + Math.abs(camAfter.y - camBefore.y)).toBeGreaterThan(100)
    const centre = await pia.screenCenter(c)
    const outlineBox = (await panel.boundingBox())!
    const vp = pia.page.viewportSize()!
    expect(centre.x).toBeGreaterThan(outlineBox.x + outlineBox.width)
    expect(centre.x).toBeLessThan(vp.width)
    expect(centre.y).toBeGreaterThan(0)
    expect(centre.y).toBeLessThan(vp.height)
    expect(await pia.page.evaluate(() => window.__arvo!.editor.getZoomLevel())).toBeGreaterThanOrEqual(0.5)
    await pia.screenshot('outline-show-on-canvas-en')

    await pia.close()
    await kalle.close()
  })

  test('OUT-E2 read-only for a viewer and for participants while the board is locked; private notes only for their author', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid'], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    const kalle = await Person.open(browser, 'Kalle Customer', 'customer')
    const vera = await Person.viewer(browser, 'Vera Viewer')
    await fac.openBoard(board.url)
    await kalle.openBoard(board.url)
    await vera.openBoard(board.url)
    await fac.zoomTo('pyramid-1')
    const n = await fac.noteInFreeSpot('pyramid-1', 'ease', 'Single sign-on')

    for (const p of [vera, kalle]) {
      await p.page.getByTestId('outline-show').click()
      await expect(p.page.locator(`[data-testid=outline-note][data-note-id="${n}"]`)).toBeVisible()
    }
    // The viewer reads, and may show on canvas, but not edit.
    await expect(vera.page.getByTestId('outline-readonly')).toBeVisible()
    await expect(vera.page.getByTestId('outline-edit')).toHaveCount(0)
    await vera.page.locator(`[data-note-id="${n}"]`).focus()
    await vera.page.keyboard.press('Enter')
    await expect(vera.page.getByTestId('outline-edit-text')).toHaveCount(0)
    await expect.poll(() => vera.page.evaluate(() => window.__arvo!.editor.getSelectedShapeIds() as string[])).toEqual([n])

    // Kalle may edit until the facilitator locks the board.
    await expect(kalle.page.locator(`[data-note-id="${n}"] [data-testid=outline-edit]`)).toBeVisible()
    const lock = fac.page.getByTestId('board-lock-toggle')
    if (!(await lock.isVisible())) await fac.page.getByTestId('facilitator-show').click()
    await lock.click()
    await expect(kalle.page.getByTestId('board-locked-banner')).toBeVisible()
    await expect(kalle.page.getByTestId('outline-edit')).toHaveCount(0)
    await expect(kalle.page.getByTestId('outline-readonly')).toBeVisible()
    await lock.click()
    await expect(kalle.page.locator(`[data-note-id="${n}"] [data-testid=outline-edit]`)).toBeVisible()

    // A private note (silent ideas) is in its author's outline only, marked "only you see this".
    await fac.page.getByTestId('silent-start').click()
    await expect(kalle.page.getByTestId('private-banner')).toBeVisible()
    await kalle.zoomTo('pyramid-1')
    const secret = await kalle.noteInFreeSpot('pyramid-1', 'functional', 'KALLE-SECRET-IDEA')
    const entry = kalle.page.locator(`[data-testid=outline-note][data-note-id="${secret}"]`)
    await expect(entry).toHaveAttribute('data-private', 'true')
    await expect(entry.getByTestId('outline-private')).toHaveText('Only you see this')
    await expect(entry).toHaveAttribute('aria-label', /Only you see this/)
    await kalle.screenshot('outline-private-en')
    await fac.page.getByTestId('outline-show').click()
    await expect(fac.page.locator(`[data-testid=outline-note][data-note-id="${n}"]`)).toBeVisible()
    await expect(fac.page.locator(`[data-note-id="${secret}"]`)).toHaveCount(0)
    await expect(fac.page.getByTestId('outline-tree')).not.toContainText('KALLE-SECRET-IDEA')
    await expect(vera.page.getByTestId('outline-tree')).not.toContainText('KALLE-SECRET-IDEA')
    await expect(fac.page.getByTestId('outline-private')).toHaveCount(0)
    await fac.close()
    await kalle.close()
    await vera.close()
  })
})

/** Long words of each language (notes are the people's own; these are what they type). */
const LONG_NOTES: Record<Language, string[]> = {
  en: ['Faster onboarding for new users', 'One named contact person', 'Quarterly business review'],
  fi: ['Asiakastyytyväisyyskyselyjärjestelmä käyttöön', 'Nimetty yhteyshenkilö', 'Käyttöönottoprojektin vastuuhenkilö'],
  et: ['Kliendirahulolu-uuringusüsteemi juurutamine', 'Nimeline kontaktisik', 'Õigusaktidest tulenevad nõuded'],
  ru: ['Высококвалифицированная техническая поддержка', 'Ответственный за внедрение', 'Ежеквартальный обзор'],
}

/** Places a note at a zone's centre (+dx) through the editor, as this person (the board's rules add author and side). */
async function placeNote(p: Person, instance: string, zone: string, text: string, dx = 0): Promise<string> {
  const b = await p.zoneBounds(instance, zone)
  return p.page.evaluate(
    ({ x, y, text }) => {
      const e = window.__arvo!.editor
      const before = new Set(e.getCurrentPageShapeIds())
      e.createShape({ type: 'note', x, y, props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] } } })
      return [...e.getCurrentPageShapeIds()].find((id) => !before.has(id)) as string
    },
    { x: b.x + b.w / 2 - 100 + dx, y: b.y + b.h / 2 - 100, text },
  )
}

/** Text boxes inside `root` that overlap one another (siblings in one row: buttons, meta parts, heading parts). */
async function overlappingParts(page: Page, selectors: string[]): Promise<string[]> {
  const out: string[] = []
  for (const sel of selectors) {
    const groups = await page.locator(sel).evaluateAll((els) =>
      els.map((el) =>
        [...el.children]
          .map((c) => {
            const r = c.getBoundingClientRect()
            return { x: r.left, y: r.top, w: r.width, h: r.height, what: (c.textContent ?? '').slice(0, 40) }
          })
          .filter((r) => r.w > 0 && r.h > 0),
      ),
    )
    for (const g of groups) {
      for (let i = 0; i < g.length; i++) for (let j = i + 1; j < g.length; j++) if (overlap(g[i]!, g[j]!) > 1) out.push(`${sel}: “${g[i]!.what}” × “${g[j]!.what}”`)
    }
  }
  return out
}

test.describe('E2E-EXP-UI the outline and the export menu in four languages, light and dark', () => {
  for (const lang of ['en', 'fi', 'et', 'ru'] as const) {
    test(`EXP-E5 OUT-E3 screenshots and measured labels in ${lang}: nothing overflows, overlaps or breaks mid-word`, async ({ browser, server }) => {
      const board = await server.createBoardWithLinks(['pyramid', 'roleMap', 'actionPlan'], lang)
      const fac = await Person.facilitator(browser, lang === 'fi' ? 'Päivi Äijälä-Körkkö' : lang === 'ru' ? 'Александра Константинопольская' : lang === 'et' ? 'Õie Väärtmäe' : 'Pia Provider', 'provider', LOCALES[lang])
      await fac.openBoard(board.url)
      const texts = LONG_NOTES[lang]
      await placeNote(fac, 'pyramid-1', 'functional', texts[0]!)
      await placeNote(fac, 'roleMap-1', 'design.customer', texts[1]!)
      await placeNote(fac, 'actionPlan-1', 'reassure.action', texts[2]!)
      await fac.page.getByTestId('outline-show').click()
      const panel = fac.page.getByTestId('outline-panel')
      await expect(panel.getByTestId('outline-note')).toHaveCount(3)
      // one entry in the editor, for the picture and the measurements
      await panel.getByTestId('outline-edit').last().click()
      await expect(panel.getByTestId('outline-edit-text')).toBeFocused()

      for (const dark of [false, true]) {
        const theme = dark ? 'dark' : 'light'
        await setDark(fac.page, dark)
        await fac.page.waitForTimeout(150)
        await fac.screenshot(`outline-${lang}-${theme}`)

        // Labels and headings of the outline: whole words, inside their boxes, apart from each other.
        const labels = ['.arvo-outline h2', '.arvo-outline h3', '.arvo-outline h4', '.arvo-outline h5', '.arvo-outline button', '.arvo-outline summary', '.arvo-outline .arvo-outline-meta', '.arvo-outline .arvo-muted', '.arvo-outline-private']
        expect(await midWordBreaks(fac.page, labels.join(', ')), `${lang} ${theme}: outline labels broken mid-word`).toEqual([])
        expect(await overflowing(fac.page, [...labels, '.arvo-outline-text', '.arvo-outline-note'].join(', ')), `${lang} ${theme}: outline content wider than its box`).toEqual([])
        expect(
          await overlappingParts(fac.page, ['.arvo-outline-h3', '.arvo-outline-h4', '.arvo-outline-meta', '.arvo-outline-buttons', '.arvo-outline .arvo-panel-row']),
          `${lang} ${theme}: parts of one outline row overlap`,
        ).toEqual([])
        // The panel stays in the left column, inside the window.
        const box = (await panel.boundingBox())!
        const vp = fac.page.viewportSize()!
        expect(box.x + box.width).toBeLessThanOrEqual(340)
        expect(box.y + box.height).toBeLessThanOrEqual(vp.height)
        const c = await contrast(fac.page, '.arvo-outline')
        expect(c.failures, `${lang} ${theme}: outline text contrast`).toEqual([])
      }
      await panel.getByTestId('outline-cancel').click()

      // The export menu.
      for (const dark of [false, true]) {
        const theme = dark ? 'dark' : 'light'
        await setDark(fac.page, dark)
        await openExportMenu(fac.page)
        await fac.page.waitForTimeout(200)
        await fac.screenshot(`export-menu-${lang}-${theme}`)
        const items = fac.page.locator('[data-testid^="main-menu.arvo-export-"]')
        expect(await items.count()).toBe(5 + 2 + 6)
        const labelSel = '[data-testid^="main-menu.arvo-export-"] .tlui-button__label'
        expect(await midWordBreaks(fac.page, labelSel), `${lang} ${theme}: menu labels broken mid-word`).toEqual([])
        expect(await overflowing(fac.page, `${labelSel}, [data-testid^="main-menu.arvo-export-"]`), `${lang} ${theme}: menu labels cut off`).toEqual([])
        // tldraw's menu buttons overlap a little by design (hit areas): their labels must not.
        const itemBoxes = await boxes(fac.page, labelSel)
        expect(itemBoxes).toHaveLength(13)
        for (let i = 0; i < itemBoxes.length; i++)
          for (let j = i + 1; j < itemBoxes.length; j++) expect(overlap(itemBoxes[i]!, itemBoxes[j]!), `${itemBoxes[i]!.what} × ${itemBoxes[j]!.what}`).toBe(0)
        // The submenu fits the window.
        for (const b of itemBoxes) {
          expect(b.x).toBeGreaterThanOrEqual(0)
          expect(b.x + b.w).toBeLessThanOrEqual(fac.page.viewportSize()!.width)
          expect(b.y + b.h).toBeLessThanOrEqual(fac.page.viewportSize()!.height)
        }
        await fac.page.keyboard.press('Escape')
        await fac.page.keyboard.press('Escape')
      }

      // The progress and failure lines, in this language.
      await fac.page.route('**/export.pdf?*', async (route) => {
        await new Promise((r) => setTimeout(r, 1500))
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'renderer busy' }) })
      })
      await fac.page.route('**/export.csv?*', (route) => route.abort('connectionrefused'))
      await setDark(fac.page, false)
      await openExportMenu(fac.page)
      await fac.page.getByTestId('main-menu.arvo-export-csv').click()
      await openExportMenu(fac.page)
      await fac.page.getByTestId('main-menu.arvo-export-pdf-a4').click()
      await expect(fac.page.locator('[data-testid=export-toast][data-state=running]')).toBeVisible()
      await expect(fac.page.locator('[data-testid=export-toast][data-state=error]')).toHaveCount(1)
      await fac.screenshot(`export-toast-${lang}`)
      const toastSel = '.arvo-export-toast, .arvo-export-text'
      expect(await midWordBreaks(fac.page, '.arvo-export-text'), `${lang}: toast broken mid-word`).toEqual([])
      expect(await overflowing(fac.page, toastSel), `${lang}: toast content wider than its box`).toEqual([])
      await expect(fac.page.locator('[data-testid=export-toast][data-state=error]')).toHaveCount(2, { timeout: 5000 })
      expect((await contrast(fac.page, '.arvo-export-status')).failures, `${lang}: toast contrast`).toEqual([])
      await fac.close()
    })
  }
})

test.describe('E2E-IMP issue 12: importing a board backup on the home page', () => {
  test('IMP-E1 a refused file shows the server’s message and opens nothing', async ({ browser, server }) => {
    const p = await Person.open(browser, 'Pia Provider', 'provider')
    await p.page.route('**/api/boards/import', (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'this is not an Arvo board backup (no "records")' }) }),
    )
    await p.page.goto(server.url)
    await expect(p.page.getByTestId('import-backup')).toContainText('Import a board backup (.json)')
    await p.page.getByTestId('import-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') })
    await expect(p.page.getByTestId('import-error')).toHaveText('The file was not imported: this is not an Arvo board backup (no "records")')
    expect(new URL(p.page.url()).pathname).toBe('/')
    await p.screenshot('home-import-refused-en')
    // The real route refuses a foreign file too (needs the formats helper's route).
    await p.page.unroute('**/api/boards/import')
    const answered = p.page.waitForResponse((r) => r.url().endsWith('/api/boards/import'))
    await p.page.getByTestId('import-file').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"type":"excalidraw","elements":[]}') })
    const res = await answered
    expect(res.status()).toBe(400)
    const reason = ((await res.json()) as { error: string }).error
    await expect(p.page.getByTestId('import-error')).toHaveText(`The file was not imported: ${reason}`)
    expect(new URL(p.page.url()).pathname).toBe('/')
    await p.close()
  })

  test('IMP-E2 a backup downloaded from the menu imports as a new board with the same notes, opened as its facilitator', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['pyramid'], 'fi')
    const pia = await Person.facilitator(browser, 'Päivi Äijälä', 'provider', 'fi-FI')
    await pia.openBoard(board.url)
    await pia.zoomTo('pyramid-1')
    const text = 'Käyttöönotto kahdessa viikossa'
    await pia.noteInFreeSpot('pyramid-1', 'functional', text)
    const backup = await downloadFromMenu(pia.page, 'arvo-export-json')

    await pia.page.goto(server.url)
    await pia.page.getByTestId('import-file').setInputFiles({ name: backup.name, mimeType: 'application/json', buffer: backup.bytes })
    await pia.page.waitForURL((u) => /\/b\/[A-Za-z0-9_-]+$/.test(u.pathname) && !u.pathname.endsWith(board.id))
    const dialog = pia.page.getByTestId('identity-dialog')
    await expect(dialog.or(pia.page.getByTestId('board'))).toBeVisible()
    if (await dialog.isVisible()) await pia.answerIdentity()
    await pia.waitReady()
    expect((await pia.notes()).map((n) => n.text)).toContain(text)
    expect(await pia.page.evaluate(() => window.__arvo!.access.role)).toBe('facilitator')
    await pia.close()
  })
})
