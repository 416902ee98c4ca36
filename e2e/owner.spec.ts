import { expect, Person, test } from './fixtures.ts'

test.describe('board owner', () => {
  test('E2E-7 LOCK-1 the owner unlocks and moves a template zone; a participant cannot; the owner link hands ownership on', async ({ browser, server }) => {
    const board = await server.createOwnedBoard(['staircase'], 'en')
    const zoneId = 'shape:staircase-1.zone.information'

    // The owner opens the owner link: the key is kept, and taken off the address bar.
    const owner = await Person.open(browser, 'Olli', 'provider')
    await owner.openBoard(board.ownerUrl)
    expect(owner.page.url()).toBe(board.url)
    expect(await owner.page.evaluate((id) => localStorage.getItem(`arvo.ownerKey.${id}`), board.id)).toBe(board.ownerKey)
    const toggle = owner.page.getByTestId('template-lock-toggle')
    await expect(toggle).toHaveAttribute('data-locked', 'true')
    await expect(owner.page.getByTestId('owner-note')).toBeVisible()

    // A participant has no switch and no owner link.
    const participant = await Person.open(browser, 'Kaisa', 'customer')
    await participant.openBoard(board.url)
    await expect(participant.page.getByTestId('template-lock-toggle')).toHaveCount(0)
    await expect(participant.page.getByTestId('copy-owner-link')).toHaveCount(0)
    await expect(participant.page.getByTestId('owner-note')).toHaveCount(0)

    // The owner unlocks: every template part is unlocked, for everyone.
    await toggle.click()
    await expect(toggle).toHaveAttribute('data-locked', 'false')
    await expect.poll(async () => (await participant.shapeState(zoneId))?.isLocked).toBe(false)
    await owner.screenshot('owner-unlocked-en')

    // The owner drags the zone; the participant sees it move.
    await owner.zoomTo('staircase-1')
    const before = (await owner.shapeState(zoneId))!
    const from = await owner.freePointOn(zoneId)
    expect(from).not.toBeNull()
    await owner.dragFromTo(from!, { x: from!.x + 120, y: from!.y + 60 })
    const moved = (await owner.shapeState(zoneId))!
    expect(moved.x).toBeGreaterThan(before.x + 20)
    expect(moved.y).toBeGreaterThan(before.y + 10)
    await expect.poll(() => participant.shapeState(zoneId)).toEqual(moved)

    // The participant tries the same on the unlocked zone: it stays, and it never gets selected.
    await participant.zoomTo('staircase-1')
    const pFrom = await participant.freePointOn(zoneId)
    expect(pFrom).not.toBeNull()
    await participant.dragFromTo(pFrom!, { x: pFrom!.x - 150, y: pFrom!.y + 80 })
    expect(await participant.shapeState(zoneId)).toEqual(moved)
    expect(await participant.page.evaluate(() => window.__arvo!.editor.getSelectedShapeIds())).not.toContain(zoneId)
    // Rating stays possible for them while the templates are unlocked (RATE-C1).
    await participant.clickRating('staircase-1', 'relevance', 'customer', 4)
    await expect.poll(() => participant.ratingValue('staircase-1', 'relevance', 'customer')).toBe(4)
    await expect.poll(() => owner.ratingValue('staircase-1', 'relevance', 'customer')).toBe(4)
    // Nor delete it, nor lock or unlock it through the editor.
    await participant.page.evaluate((id) => {
      const editor = window.__arvo!.editor
      editor.deleteShapes([id as never])
      editor.updateShape({ id: id as never, type: 'geo', isLocked: true, x: 0 })
    }, zoneId)
    expect(await participant.shapeState(zoneId)).toEqual(moved)
    await new Promise((r) => setTimeout(r, 300))
    expect(await owner.shapeState(zoneId)).toEqual(moved)

    // The owner locks again; a participant's "unlock all" is still reverted.
    await toggle.click()
    await expect(toggle).toHaveAttribute('data-locked', 'true')
    await expect.poll(async () => (await participant.shapeState(zoneId))?.isLocked).toBe(true)
    await participant.page.evaluate(() => {
      const editor = window.__arvo!.editor
      const locked = editor.getCurrentPageShapes().filter((s) => s.isLocked)
      editor.updateShapes(locked.map((s) => ({ id: s.id, type: s.type, isLocked: false })))
    })
    expect((await participant.shapeState(zoneId))?.isLocked).toBe(true)

    // The owner link hands ownership on to a co-facilitator's browser.
    await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await owner.page.getByTestId('copy-owner-link').click()
    const link = await owner.page.evaluate(() => navigator.clipboard.readText())
    expect(link).toBe(board.ownerUrl)
    const cofacilitator = await Person.open(browser, 'Mia', 'provider')
    await cofacilitator.openBoard(link)
    await expect(cofacilitator.page.getByTestId('template-lock-toggle')).toBeVisible()
    expect(cofacilitator.page.url()).toBe(board.url)
    // A forged key makes nobody an owner (and is forgotten).
    const forger = await Person.open(browser, 'Eve', 'customer')
    await forger.openBoard(`${board.url}#owner=${board.ownerKey.slice(0, -2)}xx`)
    await expect(forger.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online')
    await expect(forger.page.getByTestId('template-lock-toggle')).toHaveCount(0)
    expect(await forger.page.evaluate((id) => localStorage.getItem(`arvo.ownerKey.${id}`), board.id)).toBeNull()
    for (const p of [owner, participant, cofacilitator, forger]) await p.close()
  })

  test('E2E-7 LOCK-1 the browser that creates a board on the home page owns it', async ({ browser, server }) => {
    // In the longest language at 1280×720: the owner's switch still fits the top bar.
    const owner = await Person.open(browser, 'Olli', 'provider', 'ru-RU', { width: 1280, height: 720 })
    await owner.page.goto(server.url)
    await owner.page.getByTestId('template-pyramid').check()
    await owner.page.getByTestId('new-board').click()
    await owner.page.waitForURL(/\/b\//)
    await owner.openBoard(owner.page.url())
    await expect(owner.page.getByTestId('template-lock-toggle')).toHaveAttribute('data-locked', 'true')
    await expect(owner.page.getByTestId('copy-owner-link')).toBeVisible()
    await owner.screenshot('owner-panel-ru-1280')
    await owner.close()
  })
})
