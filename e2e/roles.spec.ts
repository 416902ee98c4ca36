import type { Page } from '@playwright/test'
import { MESSAGES, type Language } from '../shared/i18n/index.ts'
import { LINK_ROLES, type LinkRole } from '../shared/protocol.ts'
import { expect, Person, plainUrl, SCREENSHOT_DIR, test } from './fixtures.ts'
import { boxes, contrast, midWordBreaks, overflowing, overlap } from './measure.ts'

const LANGS: Language[] = ['en', 'fi', 'et', 'ru']

/** Opens the Share dialog and answers the four links it shows. */
async function openShare(p: Person): Promise<Record<LinkRole, string>> {
  await p.page.getByTestId('share-button').click()
  await expect(p.page.getByTestId('share-dialog')).toBeVisible()
  const out = {} as Record<LinkRole, string>
  for (const role of LINK_ROLES) {
    const input = p.page.getByTestId(`share-link-${role}`)
    await expect(input).toHaveValue(/#token=/)
    out[role] = await input.inputValue()
  }
  return out
}

/** The notes the page's editor holds. */
const noteCount = (p: Person) => p.page.evaluate(() => window.__arvo!.editor.getCurrentPageShapes().filter((s) => s.type === 'note').length)

/** A screen point on the bare canvas with room for a note around it (no panel, banner or hint on it). */
async function freePoint(p: Person, nth = 0): Promise<{ x: number; y: number }> {
  const found = await p.page.evaluate((skip) => {
    let seen = 0
    for (const fy of [0.6, 0.7, 0.5, 0.8, 0.4]) {
      for (const fx of [0.55, 0.65, 0.45, 0.75, 0.35]) {
        const x = innerWidth * fx
        const y = innerHeight * fy
        const ok = [-60, 0, 60].every((dx) => [-60, 0, 60].every((dy) => document.elementFromPoint(x + dx, y + dy)?.closest('.tl-canvas')))
        if (ok && seen++ >= skip) return { x, y }
      }
    }
    return null
  }, nth)
  if (!found) throw new Error('no free canvas point')
  return found
}

/** Tries to place a note the way a person would: the note tool, a click on the canvas, some typing. */
async function tryNote(p: Person, x: number, y: number): Promise<void> {
  await p.page.keyboard.press('Escape')
  await p.page.keyboard.press('n')
  await p.page.mouse.click(x, y)
  await p.page.keyboard.type('should not exist')
  await p.page.keyboard.press('Escape')
  await p.page.keyboard.press('Escape')
}

async function setDark(page: Page, dark: boolean): Promise<void> {
  await page.evaluate((d) => window.__arvo!.editor.user.updateUserPreferences({ colorScheme: d ? 'dark' : 'light' }), dark)
  await expect(page.locator('.tl-container')).toHaveClass(dark ? /tl-theme__dark/ : /tl-theme__light/)
}

/** No word broken across lines, nothing spilling out of its box, no two rows of the dialog on top of each other. */
async function expectTidy(page: Page, selector: string, what: string): Promise<void> {
  expect(await midWordBreaks(page, selector), `${what}: words broken mid-word`).toEqual([])
  expect(await overflowing(page, selector), `${what}: content wider than its box`).toEqual([])
}

test.describe('roles and invite links', () => {
  test('E2E-10 ROLE-C1..C4 SHARE-1 share links; a viewer cannot edit; a locked board blocks the participant and shows a banner', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['staircase'], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    await fac.openBoard(board.links.facilitator)
    // The token is off the address bar, kept for this board.
    expect(fac.page.url()).toBe(board.url)
    await expect.poll(() => fac.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBe(new URL(board.links.facilitator).hash.slice('#token='.length))
    await expect(fac.page.getByTestId('facilitator-note')).toBeVisible()

    // The Share dialog: four links, one line each on what it may do, copy buttons.
    await fac.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const links = await openShare(fac)
    for (const role of LINK_ROLES) {
      expect(new URL(links[role]).hash).toBe(new URL(board.links[role]).hash)
      await expect(fac.page.getByTestId(`share-row-${role}`)).toContainText(MESSAGES.en[`link${role[0]!.toUpperCase()}${role.slice(1)}Can` as 'linkViewerCan'])
    }
    await fac.page.getByTestId('share-copy-customer').click()
    await expect(fac.page.getByTestId('share-copy-customer')).toHaveText('Copied')
    expect(await fac.page.evaluate(() => navigator.clipboard.readText())).toBe(links.customer)
    await fac.screenshot('roles-share-dialog-en-light')
    await fac.page.getByTestId('share-close').click()
    await expect(fac.page.getByTestId('share-dialog')).toHaveCount(0)

    // A customer participant: asked only for the name, the side comes from the link.
    const kaisa = await Person.open(browser, 'Kaisa Customer', 'customer')
    await kaisa.page.goto(fac.page.url().replace(/\/b\/.*/, '') + new URL(links.customer).pathname + new URL(links.customer).hash)
    await expect(kaisa.page.getByTestId('identity-dialog')).toBeVisible()
    await expect(kaisa.page.getByTestId('identity-link-side')).toHaveAttribute('data-side', 'customer')
    await expect(kaisa.page.getByTestId('identity-side-provider')).toHaveCount(0)
    await kaisa.answerIdentity()
    await kaisa.waitReady()
    expect(kaisa.page.url()).toBe(board.url)
    // Participants see a hint instead of links.
    await kaisa.page.getByTestId('share-button').click()
    await expect(kaisa.page.getByTestId('share-ask-facilitator')).toBeVisible()
    await expect(kaisa.page.getByTestId('share-link-viewer')).toHaveCount(0)
    await kaisa.page.keyboard.press('Escape')
    await expect(kaisa.page.getByTestId('share-dialog')).toHaveCount(0)

    // A viewer: read-only editor, a visible indicator.
    const ville = await Person.viewer(browser, 'Ville Viewer')
    await ville.openBoard(links.viewer)
    await expect(ville.page.getByTestId('viewer-indicator')).toHaveText('You are viewing — you cannot change this board')
    expect(await ville.page.evaluate(() => window.__arvo!.editor.getInstanceState().isReadonly)).toBe(true)
    await expect(ville.page.getByTestId('add-template')).toHaveCount(0)

    // The participant list: a facilitator badge from the server's role; the viewer counted, not listed.
    for (const p of [fac, kaisa, ville]) {
      await expect(p.page.getByTestId('participant')).toHaveCount(2)
      await expect(p.page.getByTestId('viewers-count')).toHaveAttribute('data-count', '1')
      await expect(p.page.locator('[data-testid=participant][data-role=facilitator]')).toContainText('Fiona Facilitator')
      await expect(p.page.getByTestId('facilitator-badge')).toHaveCount(1)
    }

    // Positive control: the participant writes a customer note; everyone sees it.
    let at = await freePoint(kaisa)
    const kNote = await kaisa.createNote(at.x, at.y, 'Faster onboarding')
    expect((await kaisa.note(kNote))?.meta).toMatchObject({ arvo: { side: 'customer' } })
    await expect.poll(async () => (await fac.note(kNote))?.text).toBe('Faster onboarding')
    await expect.poll(async () => (await ville.note(kNote))?.text).toBe('Faster onboarding')

    // The viewer tries to write: through the UI and through the editor itself. Nothing changes
    // anywhere, and the viewer's own board goes back to what the server has.
    const before = await noteCount(fac)
    at = await freePoint(ville, 1)
    await tryNote(ville, at.x, at.y)
    await ville.page.evaluate(() => {
      const editor = window.__arvo!.editor
      editor.updateInstanceState({ isReadonly: false })
      editor.createShape({ type: 'note', x: 100, y: 100 })
      editor.updateInstanceState({ isReadonly: true })
    })
    await ville.page.waitForTimeout(800)
    expect(await noteCount(ville)).toBe(before)
    expect(await noteCount(fac)).toBe(before)
    expect(await noteCount(kaisa)).toBe(before)
    await expect(ville.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')

    // Lock board: a banner for everyone; the participant is read-only and cannot place a note.
    const lock = fac.page.getByTestId('board-lock-toggle')
    await lock.click()
    await expect(lock).toHaveAttribute('data-locked', 'true')
    await expect(kaisa.page.getByTestId('board-locked-banner')).toHaveText('The facilitator locked the board')
    await expect(ville.page.getByTestId('board-locked-banner')).toHaveText('The facilitator locked the board')
    await expect(fac.page.getByTestId('board-locked-banner')).toBeVisible()
    await expect.poll(() => kaisa.page.evaluate(() => window.__arvo!.editor.getInstanceState().isReadonly)).toBe(true)
    await kaisa.screenshot('roles-locked-participant-en')
    at = await freePoint(kaisa, 2)
    await tryNote(kaisa, at.x, at.y)
    await kaisa.page.waitForTimeout(800)
    expect(await noteCount(kaisa)).toBe(before)
    expect(await noteCount(fac)).toBe(before)
    // The facilitator still writes while the board is locked.
    at = await freePoint(fac, 3)
    const fNote = await fac.createNote(at.x, at.y, 'Agenda')
    await expect.poll(async () => (await kaisa.note(fNote))?.text).toBe('Agenda')

    // Unlocked: the banner goes, the participant writes again.
    await lock.click()
    await expect(kaisa.page.getByTestId('board-locked-banner')).toHaveCount(0)
    await expect.poll(() => kaisa.page.evaluate(() => window.__arvo!.editor.getInstanceState().isReadonly)).toBe(false)
    at = await freePoint(kaisa, 4)
    const again = await kaisa.createNote(at.x, at.y, 'After the lock')
    await expect.poll(async () => (await fac.note(again))?.text).toBe('After the lock')
    for (const p of [fac, kaisa, ville]) await p.close()
  })

  test('E2E-11 SHARE-2 CON-2 ACC-4 resetting a link tells its holder why; the new link works; the facilitator keeps their own board', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks([], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    await fac.openBoard(board.links.facilitator)
    const kaisa = await Person.open(browser, 'Kaisa Customer', 'customer')
    await kaisa.openBoard(board.links.customer)

    await openShare(fac)
    await fac.page.getByTestId('share-reset-customer').click()
    await expect(fac.page.getByTestId('share-confirm-customer')).toContainText('Reset the link “Customer participant”?')
    await fac.screenshot('roles-share-reset-confirm-en')
    await fac.page.getByTestId('share-reset-confirm-customer').click()
    await expect(fac.page.getByTestId('share-reset-done-customer')).toBeVisible()
    const fresh = await fac.page.getByTestId('share-link-customer').inputValue()
    expect(new URL(fresh).hash).not.toBe(new URL(board.links.customer).hash)

    // The holder of the old link: the connection ends, the page says why, the token is forgotten.
    await expect(kaisa.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'tokenReset')
    await expect(kaisa.page.getByTestId('access-refused-title')).toHaveText('This link was reset by the facilitator. Ask for a new one.')
    expect(await kaisa.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBeNull()
    await kaisa.screenshot('roles-refused-reset-live-en')
    // The old link opened again: refused the same way; the new one opens the board.
    await kaisa.page.goto(board.links.customer)
    await expect(kaisa.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'tokenReset')
    await kaisa.openBoard(server.onThisServer(fresh))
    await expect(kaisa.page.getByTestId('participant')).toHaveCount(2)

    // The facilitator resets their own link: they stay on the board with the new token.
    await fac.page.getByTestId('share-reset-facilitator').click()
    await fac.page.getByTestId('share-reset-confirm-facilitator').click()
    await expect(fac.page.getByTestId('board')).toBeVisible()
    await expect(fac.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
    await expect(fac.page.getByTestId('access-refused')).toHaveCount(0)
    const stored = await fac.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)
    expect(stored).not.toBe(new URL(board.links.facilitator).hash.slice('#token='.length))
    await expect(fac.page.getByTestId('board-lock-toggle')).toBeVisible()
    // Still the facilitator after a reload (the kept token is the new one).
    await fac.page.reload()
    await fac.waitReady()
    await expect(fac.page.getByTestId('facilitator-note')).toBeVisible()
    await fac.close()
    await kaisa.close()
  })

  test('E2E-11 CON-2 a write the server refuses (a locked participant writing past its UI) ends in a notice and a fresh board from the server', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks([], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    await fac.openBoard(board.links.facilitator)
    const kaisa = await Person.open(browser, 'Kaisa Customer', 'customer')
    await kaisa.openBoard(board.links.customer)
    await fac.page.getByTestId('board-lock-toggle').click()
    await expect(kaisa.page.getByTestId('board-locked-banner')).toBeVisible()
    const before = await noteCount(fac)
    // A client of its own would do this: write a note straight into the doc, past the UI and the bridge.
    const firstDoc = await kaisa.page.evaluate(() => {
      const { doc } = window.__arvo!.connection
      const editor = window.__arvo!.editor
      const page = editor.getCurrentPageId()
      doc.getMap('records').set('shape:forged', {
        id: 'shape:forged', typeName: 'shape', type: 'note', parentId: page, index: 'a9', x: 0, y: 0, rotation: 0, isLocked: false, opacity: 1, meta: {},
        props: { color: 'orange', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: { type: 'doc', content: [] }, scale: 1, textLastEditedBy: null },
      })
      return doc.guid
    })
    await expect(kaisa.page.getByTestId('notice')).toHaveText('This change was not allowed, so the board was reloaded from the server.')
    await kaisa.page.waitForFunction((guid) => !!window.__arvo && window.__arvo.connection.doc.guid !== guid, firstDoc)
    await expect(kaisa.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
    expect(await kaisa.page.evaluate(() => window.__arvo!.connection.doc.getMap('records').has('shape:forged'))).toBe(false)
    expect(await noteCount(kaisa)).toBe(before)
    expect(await noteCount(fac)).toBe(before)
    await expect(kaisa.page.getByTestId('board-locked-banner')).toBeVisible()
    await fac.close()
    await kaisa.close()
  })

  for (const lang of LANGS) {
    test(`E2E-12 ACC-4 SHARE-1 refusal pages and the Share dialog in ${lang}, light and dark: whole words, nothing overlapping`, async ({ browser, server }) => {
      const board = await server.createBoardWithLinks(['pyramid'], lang)
      const locale = { en: 'en-GB', fi: 'fi-FI', et: 'et-EE', ru: 'ru-RU' }[lang]
      const m = MESSAGES[lang]

      // No token at all; a token that is not this board's; a reset one.
      const stranger = await Person.open(browser, 'Anna', 'customer', locale)
      await stranger.page.goto(board.url)
      await expect(stranger.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'noToken')
      await expect(stranger.page.getByTestId('access-refused-title')).toHaveText(m.inviteOnlyTitle)
      await expectTidy(stranger.page, '.arvo-card h2, .arvo-card p, .arvo-card a', `no token ${lang}`)
      await stranger.page.screenshot({ path: `${SCREENSHOT_DIR}/roles-refused-noToken-${lang}.png` })
      await stranger.page.goto(`${board.url}#token=eyJ2IjoxLCJiIjoiWCJ9.bm90LWEtcmVhbC1zaWduYXR1cmU`)
      await expect(stranger.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'badToken')
      await expect(stranger.page.getByTestId('access-refused-title')).toHaveText(m.linkInvalidTitle)
      await expectTidy(stranger.page, '.arvo-card h2, .arvo-card p, .arvo-card a', `bad token ${lang}`)
      await stranger.page.screenshot({ path: `${SCREENSHOT_DIR}/roles-refused-badToken-${lang}.png` })

      const fac = await Person.facilitator(browser, 'Fiona', 'provider', locale)
      await fac.openBoard(board.links.facilitator)
      const token = new URL(board.links.facilitator).hash.slice('#token='.length)
      const res = await fetch(`${server.url}/api/boards/${board.id}/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ rotate: ['viewer'] }),
      })
      expect(res.status).toBe(200)
      await stranger.page.goto(board.links.viewer)
      await expect(stranger.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'tokenReset')
      await expect(stranger.page.getByTestId('access-refused-title')).toHaveText(m.linkResetTitle)
      await expectTidy(stranger.page, '.arvo-card h2, .arvo-card p, .arvo-card a', `reset ${lang}`)
      await stranger.page.screenshot({ path: `${SCREENSHOT_DIR}/roles-refused-tokenReset-${lang}.png` })

      // The Share dialog, light and dark, at a laptop and a tablet size.
      for (const vp of [{ width: 1440, height: 900 }, { width: 1024, height: 768 }]) {
        await fac.page.setViewportSize(vp)
        for (const dark of [false, true]) {
          await setDark(fac.page, dark)
          const theme = dark ? 'dark' : 'light'
          await openShare(fac)
          await fac.page.getByTestId('share-reset-provider').click()
          await expect(fac.page.getByTestId('share-confirm-provider')).toBeVisible()
          const where = `share ${lang} ${vp.width} ${theme}`
          await expectTidy(fac.page, '.arvo-share h2, .arvo-share p, .arvo-share-link-name, .arvo-share button', where)
          // Rows apart, every button and text inside the dialog, which fits the window.
          const rows = await boxes(fac.page, '.arvo-share-link')
          expect(rows).toHaveLength(4)
          for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) expect(overlap(rows[i]!, rows[j]!), where).toBe(0)
          const [dialog] = await boxes(fac.page, '[data-testid=share-dialog]')
          expect(dialog!.x).toBeGreaterThanOrEqual(0)
          expect(dialog!.x + dialog!.w).toBeLessThanOrEqual(vp.width)
          for (const b of await boxes(fac.page, '.arvo-share button, .arvo-share p, .arvo-share input')) {
            expect(b.x, `${where}: ${b.what}`).toBeGreaterThanOrEqual(dialog!.x)
            expect(b.x + b.w, `${where}: ${b.what}`).toBeLessThanOrEqual(dialog!.x + dialog!.w + 0.5)
          }
          const buttons = await boxes(fac.page, '.arvo-share-link-row button, .arvo-share-link-row input')
          for (let i = 0; i < buttons.length; i++) for (let j = i + 1; j < buttons.length; j++) expect(overlap(buttons[i]!, buttons[j]!), `${where}: ${buttons[i]!.what} / ${buttons[j]!.what}`).toBe(0)
          const c = await contrast(fac.page, '.arvo-share')
          expect(c.failures, `${where}: ${JSON.stringify(c.failures)}`).toEqual([])
          await fac.screenshot(`roles-share-dialog-${lang}-${vp.width}-${theme}`)
          await fac.page.getByTestId('share-reset-cancel-provider').click()
          await fac.page.getByTestId('share-close').click()
        }
        await setDark(fac.page, false)
      }
      // The facilitator's controls and the lock banner fit the top bar in this language.
      await fac.page.setViewportSize({ width: 1280, height: 720 })
      await fac.page.getByTestId('board-lock-toggle').click()
      await expect(fac.page.getByTestId('board-locked-banner')).toBeVisible()
      await expectTidy(fac.page, '.arvo-toolbar-group button, .arvo-banner, .arvo-role-banner', `top bar ${lang}`)
      const bar = await boxes(fac.page, '.arvo-toolbar-group > button, [data-testid=board-locked-banner], [data-testid=share-button]')
      for (let i = 0; i < bar.length; i++) for (let j = i + 1; j < bar.length; j++) expect(overlap(bar[i]!, bar[j]!), `${bar[i]!.what} / ${bar[j]!.what}`).toBe(0)
      await fac.screenshot(`roles-locked-facilitator-${lang}-1280`)
      const viewer = await Person.viewer(browser, 'Ville', locale)
      await viewer.openBoard(server.onThisServer(await fac.shareLinks().then((l) => l.viewer)))
      await expect(viewer.page.getByTestId('viewer-indicator')).toHaveText(m.viewerIndicator)
      await expect(viewer.page.getByTestId('board-locked-banner')).toHaveText(m.boardLockedBanner)
      await expectTidy(viewer.page, '.arvo-role-banner, .arvo-banner', `viewer banners ${lang}`)
      await viewer.screenshot(`roles-viewer-locked-${lang}`)
      expect(plainUrl(viewer.page.url())).toBe(board.url)
      for (const p of [stranger, fac, viewer]) await p.close()
    })
  }
})

test.describe('creating boards on a server with a create token', () => {
  test('SHARE-3 the home page asks for the create token once, says when it is wrong, and remembers it', async ({ browser, server }) => {
    await server.stop()
    await server.start({ ARVO_CREATE_TOKEN: 'let-me-create-boards-2026' })
    const fac = await Person.facilitator(browser, 'Fiona', 'provider')
    await fac.page.goto(server.url)
    await expect(fac.page.getByTestId('create-token-field')).toHaveCount(0)
    await fac.page.getByTestId('new-board').click()
    // 401: the field appears; the button waits for a token.
    await expect(fac.page.getByTestId('create-token-field')).toBeVisible()
    await expect(fac.page.getByTestId('new-board')).toBeDisabled()
    await expect(fac.page.getByTestId('create-token-refused')).toHaveCount(0)
    await fac.page.getByTestId('create-token').fill('a wrong one')
    await fac.page.getByTestId('new-board').click()
    await expect(fac.page.getByTestId('create-token-refused')).toHaveText('This create token was not accepted.')
    await fac.screenshot('roles-create-token-en')
    await fac.page.getByTestId('create-token').fill('let-me-create-boards-2026')
    await fac.page.getByTestId('new-board').click()
    await fac.page.waitForURL(/\/b\/[A-Za-z0-9_-]+$/)
    await fac.openBoard(fac.page.url())
    await expect(fac.page.getByTestId('board-lock-toggle')).toBeVisible()
    const first = fac.page.url()
    // Remembered: the next board is created without asking.
    await fac.page.goto(server.url)
    await fac.page.getByTestId('new-board').click()
    await fac.page.waitForURL((u) => /\/b\/[A-Za-z0-9_-]+$/.test(u.pathname) && u.toString() !== first)
    await expect(fac.page.getByTestId('create-token-field')).toHaveCount(0)
    await fac.close()
  })
})
