import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { Language } from '../shared/i18n/index.ts'
import { expect, Person, SCREENSHOT_DIR, test } from './fixtures.ts'
import { contrast, labelBoxes, midWordBreaks, overflowing, overlap } from './measure.ts'

/** Creates a board from the home page with `templates` ticked; answers the identity dialog; returns its id. */
async function createFromHome(p: Person, homeUrl: string, templates: string[]): Promise<string> {
  await p.page.goto(homeUrl)
  for (const kind of templates) await p.page.getByTestId(`template-${kind}`).check()
  await p.page.getByTestId('new-board').click()
  await p.page.waitForURL(/\/b\//)
  const dialog = p.page.getByTestId('identity-dialog')
  await expect(dialog.or(p.page.getByTestId('board'))).toBeVisible()
  if (await dialog.isVisible()) await p.answerIdentity()
  await p.waitReady()
  return new URL(p.page.url()).pathname.split('/').pop()!
}

const listedIds = (page: Page) => page.getByTestId('my-board').evaluateAll((els) => els.map((e) => e.getAttribute('data-board')))

test.describe('My boards on the home page', () => {
  test('E2E-HOME boards created here are listed newest first, open, copy their links, and leave the list on request', async ({ browser, server }) => {
    const p = await Person.facilitator(browser, 'Fia Facilitator', 'provider')
    await p.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await p.page.goto(server.url)
    await expect(p.page.getByTestId('my-boards')).toContainText('Boards you create or facilitate in this browser will be listed here.')
    await expect(p.page.getByTestId('my-board')).toHaveCount(0)

    const first = await createFromHome(p, server.url, ['pyramid'])
    const second = await createFromHome(p, server.url, ['staircase', 'actionPlan'])

    // Both listed at once, newest first, untitled, with their templates by name.
    await p.page.goto(server.url)
    await expect.poll(() => listedIds(p.page)).toEqual([second, first])
    await expect(p.page.getByTestId('my-boards-count')).toHaveText('2 boards')
    const items = p.page.getByTestId('my-board')
    await expect(items.nth(0).getByTestId('my-board-title')).toHaveText('Untitled board')
    await expect(items.nth(0).getByTestId('my-board-templates')).toHaveText('Templates: Customer value staircase, Action plan')
    await expect(items.nth(1).getByTestId('my-board-templates')).toHaveText('Templates: B2B value pyramid')
    await expect(items.nth(0).getByTestId('my-board-activity')).toHaveText('Last activity: now')

    // Opening the first board and changing nothing keeps the order (looking is not activity).
    await items.nth(1).getByTestId('my-board-open').click()
    await p.page.waitForURL(new RegExp(`/b/${first}$`))
    await p.waitReady()
    await p.page.waitForTimeout(1500)
    await p.page.goto(server.url)
    await expect.poll(() => listedIds(p.page)).toEqual([second, first])

    // A title set on the board, and a note written on it, move it to the top with its title.
    await p.page.getByTestId('my-board').nth(1).getByTestId('my-board-open').click()
    await p.waitReady()
    await p.page.evaluate(() => window.__arvo!.connection.doc.getMap('session').set('title', 'Kickoff with Acme'))
    await p.createNote(900, 450, 'Fast delivery')
    await p.page.waitForTimeout(1000) // the insights snapshot that the recorder follows is throttled
    await p.page.goto(server.url)
    await expect.poll(() => listedIds(p.page)).toEqual([first, second])
    await expect(p.page.getByTestId('my-board').nth(0).getByTestId('my-board-title')).toHaveText('Kickoff with Acme')

    // Copy links: the board's invite links, from the server's links route, on this origin.
    const token = await p.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), first)
    await p.page.getByTestId('my-board').nth(0).getByTestId('my-board-copy').click()
    await expect(p.page.getByTestId('my-board').nth(0).getByTestId('my-board-copy')).toHaveText('Links copied')
    const copied = (await p.page.evaluate(() => navigator.clipboard.readText())).split('\n')
    expect(copied[0]).toBe('Kickoff with Acme')
    expect(copied[1]).toBe(`Facilitator: ${server.url}/b/${first}#token=${token}`)
    expect(copied.slice(2).map((l) => l.split(':')[0])).toEqual(['Provider participant', 'Customer participant', 'Viewer'])
    for (const line of copied.slice(2)) expect(line).toMatch(new RegExp(`: ${server.url}/b/${first}#token=[A-Za-z0-9_.-]+$`))
    // The copied participant link really opens the board as a provider participant.
    const providerLink = copied[2]!.slice('Provider participant: '.length)
    const access = await p.page.evaluate(async ([id, link]) => {
      const tok = new URL(link).hash.replace('#token=', '')
      const r = await fetch(`/api/boards/${id}/access`, { method: 'POST', headers: { authorization: `Bearer ${tok}` } })
      return { status: r.status, body: (await r.json()) as { role: string; side: string | null } }
    }, [first, providerLink] as const)
    expect(access).toMatchObject({ status: 200, body: { role: 'participant', side: 'provider' } })

    // Remove from list: asks first; Cancel keeps it, Remove drops it (after a reload too), nothing else.
    const secondItem = p.page.locator(`[data-testid="my-board"][data-board="${second}"]`)
    await secondItem.getByTestId('my-board-remove').click()
    await expect(secondItem.getByTestId('my-board-confirm')).toContainText('Remove “Untitled board” from this browser’s list?')
    await expect(secondItem.getByTestId('my-board-confirm-remove')).toBeFocused()
    await p.page.keyboard.press('Escape')
    await expect(secondItem.getByTestId('my-board-confirm')).toHaveCount(0)
    await expect(secondItem.getByTestId('my-board-remove')).toBeFocused()
    await p.page.keyboard.press('Enter')
    await secondItem.getByTestId('my-board-confirm-remove').click()
    await expect(secondItem).toHaveCount(0)
    await p.page.reload()
    await expect.poll(() => listedIds(p.page)).toEqual([first])
    await expect(p.page.getByTestId('my-boards-count')).toHaveText('1 board')
    // Only the list: the browser still holds the removed board's token, and the board still opens.
    expect(await p.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), second)).toBeTruthy()
    await p.page.goto(`${server.url}/b/${second}`)
    await p.waitReady()
    // A board whose token this browser no longer holds: Copy links says it could not, copies nothing.
    await p.page.goto(server.url)
    await p.page.evaluate(() => navigator.clipboard.writeText('untouched'))
    await p.page.evaluate((id) => localStorage.removeItem(`arvo.token.${id}`), first)
    await p.page.locator(`[data-testid="my-board"][data-board="${first}"]`).getByTestId('my-board-copy').click()
    await expect(p.page.getByTestId('my-board-copy-failed')).toHaveText('The links could not be loaded. Open the board and use Share.')
    expect(await p.page.evaluate(() => navigator.clipboard.readText())).toBe('untouched')
    await p.close()
  })

  test('E2E-HOME a board opened through a facilitator link is listed; a participant\'s is not', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['roleMap'])
    const facilitator = await Person.facilitator(browser, 'Co Facilitator', 'customer')
    await facilitator.openBoard(server.link(board.id, 'facilitator'))
    const participant = await Person.open(browser, 'Pete Participant', 'provider')
    await participant.openBoard(server.link(board.id, 'provider'))
    for (const p of [facilitator, participant]) await p.page.goto(server.url)
    await expect.poll(() => listedIds(facilitator.page)).toEqual([board.id])
    await expect(facilitator.page.getByTestId('my-board-templates')).toHaveText('Templates: Role map')
    await expect(participant.page.getByTestId('my-board')).toHaveCount(0)
    await facilitator.close()
    await participant.close()
  })

  test('E2E-HOME garbage in the stored list does not break the home page', async ({ browser, server }) => {
    const p = await Person.open(browser, 'G', 'provider')
    await p.page.goto(server.url)
    await p.page.evaluate(() => localStorage.setItem('arvo.myBoards', '{not json'))
    await p.page.reload()
    await expect(p.page.getByTestId('new-board')).toBeVisible()
    await expect(p.page.getByTestId('my-board')).toHaveCount(0)
    await p.close()
  })

  const SEEDED = (now: number) => [
    { id: 'demoBoard01', title: 'Arvotyöpaja: Asiakaskokemuksen kehittäminen 2026', templates: ['pyramid', 'roleMap', 'staircase', 'actionPlan'], lastActivity: now - 3 * 60_000 },
    { id: 'demoBoard02', title: null, templates: ['staircase'], lastActivity: now - 26 * 3600_000 },
    { id: 'demoBoard03', title: 'Kickoff', templates: [], lastActivity: now - 9 * 24 * 3600_000 },
  ]

  for (const [lang, width] of [['en', 1280], ['fi', 1280], ['et', 1280], ['ru', 1280], ['fi', 360], ['ru', 360]] as [Language, number][]) {
    test(`E2E-HOME home page in ${lang} at ${width} px: no label breaks mid-word, overflows or overlaps`, async ({ browser, server }) => {
      const p = await Person.open(browser, 'S', 'provider', lang, { width, height: 900 })
      await p.page.goto(server.url)
      await p.page.evaluate((boards) => localStorage.setItem('arvo.myBoards', JSON.stringify(boards)), SEEDED(Date.now()))
      await p.page.reload()
      await expect(p.page.getByTestId('my-board')).toHaveCount(3)
      await p.page.getByTestId('my-board').nth(2).getByTestId('my-board-remove').click()
      await expect(p.page.getByTestId('my-board-confirm')).toBeVisible()
      await p.page.screenshot({ path: join(SCREENSHOT_DIR, `home-my-boards-${lang}-${width}.png`), fullPage: true })

      expect(await midWordBreaks(p.page, '.arvo-home')).toEqual([])
      expect(await overflowing(p.page, '.arvo-home button, .arvo-home a, .arvo-home h3, .arvo-home p, .arvo-home time')).toEqual([])
      // Within each board: the head, templates and buttons never overlap one another.
      const perItem = await p.page.getByTestId('my-board').evaluateAll((els) =>
        els.map((el) =>
          [...el.querySelectorAll('h3, time, .arvo-my-board-templates, .arvo-my-board-actions > *')].map((c) => {
            const r = c.getBoundingClientRect()
            return { x: r.left, y: r.top, w: r.width, h: r.height, what: c.textContent ?? '' }
          }),
        ),
      )
      for (const rects of perItem) {
        for (let i = 0; i < rects.length; i++) {
          for (let j = i + 1; j < rects.length; j++) expect(overlap(rects[i]!, rects[j]!), `${rects[i]!.what} × ${rects[j]!.what}`).toBe(0)
        }
      }
      // Every button's label fits inside it.
      for (const b of await labelBoxes(p.page, '.arvo-my-board-actions > *')) expect(b.overflow, b.text).toBe(false)
      // Nothing wider than the viewport.
      expect(await p.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      // Readable in the light theme and in the dark one (html.arvo-dark, as the stored tldraw preference sets it).
      const light = await contrast(p.page, '.arvo-home')
      expect(light.checked).toBeGreaterThan(20)
      expect(light.failures).toEqual([])
      await p.page.evaluate(() => document.documentElement.classList.add('arvo-dark'))
      if (width > 1000) await p.page.screenshot({ path: join(SCREENSHOT_DIR, `home-my-boards-${lang}-${width}-dark.png`), fullPage: true })
      const dark = await contrast(p.page, '.arvo-home')
      expect(dark.failures).toEqual([])
      await p.close()
    })
  }
})
