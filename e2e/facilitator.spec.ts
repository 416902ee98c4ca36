import { expect, Person, test } from './fixtures.ts'

test.describe('board facilitator', () => {
  test('E2E-7 LOCK-1 the facilitator unlocks and moves a template zone; a participant cannot while locked; the facilitator link hands the role on', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['staircase'], 'en')
    const facToken = new URL(board.links.facilitator).hash.slice('#token='.length)
    const zoneId = 'shape:staircase-1.zone.information'

    // The facilitator opens the facilitator link: the token is kept, and taken off the address bar.
    const owner = await Person.facilitator(browser, 'Olli', 'provider')
    await owner.openBoard(board.links.facilitator)
    expect(owner.page.url()).toBe(board.url)
    expect(await owner.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBe(facToken)
    const toggle = owner.page.getByTestId('template-lock-toggle')
    await expect(toggle).toHaveAttribute('data-locked', 'true')
    await expect(owner.page.getByTestId('facilitator-note')).toBeVisible()

    // A participant has no switches and no links to hand out.
    const participant = await Person.open(browser, 'Kaisa', 'customer')
    await participant.openBoard(board.url)
    await expect(participant.page.getByTestId('template-lock-toggle')).toHaveCount(0)
    await expect(participant.page.getByTestId('board-lock-toggle')).toHaveCount(0)
    await expect(participant.page.getByTestId('facilitator-note')).toHaveCount(0)

    // The facilitator unlocks: every template part is unlocked, for everyone.
    await toggle.click()
    await expect(toggle).toHaveAttribute('data-locked', 'false')
    await expect.poll(async () => (await participant.shapeState(zoneId))?.isLocked).toBe(false)
    // …and the board's session says so (participants may change template parts now, LOCK-1).
    const sessionFlag = (p: typeof owner) => p.page.evaluate(() => window.__arvo!.connection.doc.getMap('session').get('templatesUnlocked'))
    await expect.poll(() => sessionFlag(participant)).toBe(true)
    await owner.screenshot('facilitator-unlocked-en')

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

    // Rating stays possible for the participant while the templates are unlocked (RATE-C1).
    await participant.zoomTo('staircase-1')
    // (Where the participant will try to drag the zone once it is locked again.)
    const pFrom = await participant.freePointOn(zoneId)
    expect(pFrom).not.toBeNull()
    await participant.clickRating('staircase-1', 'relevance', 'customer', 4)
    await expect.poll(() => participant.ratingValue('staircase-1', 'relevance', 'customer')).toBe(4)
    await expect.poll(() => owner.ratingValue('staircase-1', 'relevance', 'customer')).toBe(4)

    // The owner locks again; a participant's "unlock all" is still reverted.
    await toggle.click()
    await expect(toggle).toHaveAttribute('data-locked', 'true')
    await expect.poll(async () => (await participant.shapeState(zoneId))?.isLocked).toBe(true)
    await expect.poll(() => sessionFlag(participant)).toBe(false)
    await participant.page.evaluate(() => {
      const editor = window.__arvo!.editor
      const locked = editor.getCurrentPageShapes().filter((s) => s.isLocked)
      editor.updateShapes(locked.map((s) => ({ id: s.id, type: s.type, isLocked: false })))
    })
    expect((await participant.shapeState(zoneId))?.isLocked).toBe(true)

    // Locked again, a participant's attempt to move the zone changes nothing, here or for the facilitator.
    const locked = (await owner.shapeState(zoneId))!
    await participant.dragFromTo(pFrom!, { x: pFrom!.x - 150, y: pFrom!.y + 80 })
    expect(await participant.shapeState(zoneId)).toEqual(locked)
    expect(await participant.page.evaluate(() => window.__arvo!.editor.getSelectedShapeIds())).not.toContain(zoneId)
    await participant.page.waitForTimeout(300)
    expect(await owner.shapeState(zoneId)).toEqual(locked)

    // The facilitator link (from the Share dialog) hands the role on to a co-facilitator's browser.
    await owner.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await owner.page.getByTestId('share-button').click()
    await owner.page.getByTestId('share-copy-facilitator').click()
    const link = await owner.page.evaluate(() => navigator.clipboard.readText())
    expect(new URL(link).hash).toBe(new URL(board.links.facilitator).hash)
    const cofacilitator = await Person.facilitator(browser, 'Mia', 'provider')
    await cofacilitator.openBoard(server.onThisServer(link))
    await expect(cofacilitator.page.getByTestId('template-lock-toggle')).toBeVisible()
    expect(cofacilitator.page.url()).toBe(board.url)
    // A forged token makes nobody a facilitator (and is not kept): the page says the link is not valid.
    const forger = await Person.open(browser, 'Eve', 'customer')
    await forger.page.goto(`${board.url}#token=${facToken.slice(0, -2)}xx`)
    await expect(forger.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'badToken')
    expect(await forger.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBeNull()
    // A legacy owner link (#owner=<key>) is not a token of this board either.
    await forger.page.goto(`${board.url}#owner=${'A'.repeat(43)}`)
    await expect(forger.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'badToken')
    for (const p of [owner, participant, cofacilitator, forger]) await p.close()
  })

  test('E2E-7 SHARE-3 the browser that creates a board on the home page is its facilitator', async ({ browser, server }) => {
    // In the longest language at 1280×720: the facilitator's switches still fit the top bar.
    const owner = await Person.open(browser, 'Olli', 'provider', 'ru-RU', { width: 1280, height: 720 })
    await owner.page.goto(server.url)
    await owner.page.getByTestId('template-pyramid').check()
    await owner.page.getByTestId('new-board').click()
    await owner.page.waitForURL(/\/b\//)
    await owner.openBoard(owner.page.url())
    await expect(owner.page.getByTestId('template-lock-toggle')).toHaveAttribute('data-locked', 'true')
    await expect(owner.page.getByTestId('board-lock-toggle')).toBeVisible()
    await expect(owner.page.getByTestId('facilitator-note')).toBeVisible()
    await owner.screenshot('facilitator-panel-ru-1280')
    await owner.close()
  })
})
