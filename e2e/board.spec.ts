import { expect, Person, test } from './fixtures.ts'

test.describe('live shared board', () => {
  test('E2E-1 provider and customer co-create, edit, move, recolour and delete notes, seeing each other', async ({ browser, server }) => {
    const provider = await Person.open(browser, 'Pia Provider', 'provider')
    const customer = await Person.open(browser, 'Kalle Customer', 'customer')

    // The provider starts from the home page and creates the board.
    await provider.page.goto(server.url)
    await provider.screenshot('home-en')
    await provider.page.getByTestId('new-board').click()
    await provider.page.waitForURL(/\/b\/[A-Za-z0-9_-]+$/)
    await provider.screenshot('identity-dialog-en')
    await provider.openBoard(provider.page.url())
    // The creator is the facilitator: the customer opens the customer link it hands out.
    await provider.shareLinks()
    await customer.openBoard(provider.page.url())

    // Each sees both participants, with their sides.
    for (const p of [provider, customer]) {
      await expect(p.page.getByTestId('participant')).toHaveCount(2)
      await expect(p.page.getByTestId('participants')).toContainText('Pia Provider')
      await expect(p.page.getByTestId('participants')).toContainText('Kalle Customer')
    }
    await expect(provider.page.locator('[data-testid=participant][data-side=customer]')).toContainText('Kalle Customer')

    // Provider creates a note; the customer sees it with the provider's side in meta.
    const t0 = Date.now()
    const noteId = await provider.createNote(520, 380, 'Faster onboarding')
    await expect.poll(async () => (await customer.note(noteId))?.text, { timeout: 5000 }).toBe('Faster onboarding')
    console.log(`note visible to the other browser after ${Date.now() - t0} ms (includes typing)`)
    const seen = (await customer.note(noteId))!
    expect(seen.meta.arvo).toMatchObject({ kind: 'note', side: 'provider', authorName: 'Pia Provider' })
    expect(seen.color).toBe('light-blue')

    // The customer adds one of their own: the customer colour family.
    const customerNote = await customer.createNote(900, 420, 'Named contact person')
    await expect.poll(async () => (await provider.note(customerNote))?.color).toBe('orange')

    // Cursors: the provider moves; the customer sees a cursor labelled with the provider's name.
    await provider.page.mouse.move(700, 600)
    await provider.page.mouse.move(720, 620, { steps: 5 })
    await expect(customer.page.locator('.tl-nametag', { hasText: 'Pia Provider' })).toBeVisible()
    await customer.page.mouse.move(300, 300)
    await customer.page.mouse.move(320, 320, { steps: 5 })
    await expect(provider.page.locator('.tl-nametag', { hasText: 'Kalle Customer' })).toBeVisible()

    // The customer edits the provider's note text.
    const c = await customer.screenCenter(noteId)
    await customer.page.mouse.dblclick(c.x, c.y)
    await customer.page.waitForFunction(() => window.__arvo!.editor.getEditingShapeId() !== null)
    await customer.page.waitForFunction(() => document.activeElement?.getAttribute('contenteditable') === 'true')
    await customer.page.keyboard.press('ControlOrMeta+a')
    await customer.page.keyboard.type('Faster onboarding for new users')
    await customer.page.keyboard.press('Escape')
    await expect.poll(async () => (await provider.note(noteId))?.text).toBe('Faster onboarding for new users')

    // The customer moves it by dragging.
    const before = (await provider.note(noteId))!
    const from = await customer.screenCenter(noteId)
    await customer.page.keyboard.press('Escape')
    await customer.page.mouse.move(from.x, from.y)
    await customer.page.mouse.down()
    await customer.page.mouse.move(from.x + 150, from.y + 120, { steps: 8 })
    await customer.page.mouse.up()
    // Where the customer dropped it is where the provider must see it (not some point mid-drag).
    const moved = (await customer.note(noteId))!
    expect(moved.x).toBeGreaterThan(before.x + 100)
    await expect
      .poll(async () => {
        const n = (await provider.note(noteId))!
        return [n.x, n.y]
      })
      .toEqual([moved.x, moved.y])

    // The provider recolours it with the style panel.
    await provider.page.keyboard.press('Escape')
    const pc = await provider.screenCenter(noteId)
    await provider.page.mouse.click(pc.x, pc.y)
    await provider.page.getByTestId('style.color.violet').click()
    await expect.poll(async () => (await customer.note(noteId))?.color).toBe('violet')

    // Undo undoes only the provider's own change (the colour), not the customer's move.
    await provider.page.keyboard.press('ControlOrMeta+z')
    await expect.poll(async () => (await customer.note(noteId))?.color).toBe('light-blue')
    const afterUndo = (await customer.note(noteId))!
    expect([afterUndo.x, afterUndo.y]).toEqual([moved.x, moved.y])
    expect(afterUndo.text).toBe('Faster onboarding for new users')
    await provider.page.keyboard.press('ControlOrMeta+Shift+z')
    await expect.poll(async () => (await customer.note(noteId))?.color).toBe('violet')

    await provider.page.mouse.move(760, 300)
    await provider.screenshot('board-provider-en')
    await customer.screenshot('board-customer-en')

    // The customer deletes their own note; it disappears for the provider.
    const cc = await customer.screenCenter(customerNote)
    await customer.page.keyboard.press('Escape')
    await customer.page.mouse.click(cc.x, cc.y)
    await customer.page.keyboard.press('Delete')
    await expect.poll(async () => (await provider.noteIds()).includes(customerNote)).toBe(false)

    await provider.close()
    await customer.close()
  })

  test('E2E-2 reload and server restart keep the board; edits made while disconnected sync on return', async ({ browser, server }) => {
    const boardUrl = `${server.url}/b/${await server.createBoard()}`
    const provider = await Person.open(browser, 'Pia Provider', 'provider')
    const customer = await Person.open(browser, 'Kalle Customer', 'customer')
    await provider.openBoard(boardUrl)
    await customer.openBoard(boardUrl)
    const a = await provider.createNote(450, 350, 'Shared roadmap')
    const b = await customer.createNote(850, 350, 'Monthly review')
    await expect.poll(async () => (await provider.noteIds()).length).toBe(2)

    // Reload keeps everything, and the identity is remembered (no dialog).
    await provider.page.reload()
    await provider.waitReady()
    expect((await provider.notes()).map((n) => n.text).sort()).toEqual(['Monthly review', 'Shared roadmap'])

    // The server crashes (SIGKILL): both show "reconnecting"; the provider keeps working.
    await server.stop('SIGKILL')
    for (const p of [provider, customer]) {
      await expect(p.page.getByTestId('connection-banner')).toHaveAttribute('data-status', 'reconnecting')
    }
    const offline = await provider.createNote(650, 600, 'Written while offline')
    await expect(provider.page.getByTestId('connection-banner')).toContainText('(1 change waiting to sync)')
    await provider.screenshot('reconnecting-en')

    // The server comes back on the same port: clients reconnect and the offline edit syncs.
    await server.start()
    for (const p of [provider, customer]) {
      await expect(p.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'online', { timeout: 15_000 })
    }
    await expect.poll(async () => (await customer.note(offline))?.text, { timeout: 10_000 }).toBe('Written while offline')

    // A graceful restart, then a fresh browser: the board is exactly as it was.
    await server.stop('SIGTERM')
    await server.start()
    const late = await Person.open(browser, 'Liis Late', 'customer')
    await late.openBoard(boardUrl)
    const texts = (await late.notes()).map((n) => `${n.id}:${n.text}`).sort()
    expect(texts).toEqual([`${a}:Shared roadmap`, `${b}:Monthly review`, `${offline}:Written while offline`].sort())
    await late.screenshot('after-restart-en')
    for (const p of [provider, customer, late]) await p.close()
  })

  test('E2E-3 ACC-4 a board address without a token says it opens through an invite link; an address that is no board is not found', async ({ browser, server }) => {
    const p = await Person.open(browser, 'Pia', 'provider')
    // Without a token nobody learns whether a board exists: the page asks for an invite link.
    await p.page.goto(`${server.url}/b/NoSuchBoard99`)
    await expect(p.page.getByTestId('access-refused')).toHaveAttribute('data-reason', 'noToken')
    await expect(p.page.getByTestId('access-refused-title')).toHaveText('This board opens through an invite link')
    await p.screenshot('invite-only-en')
    await p.page.goto(`${server.url}/b/bad`)
    await expect(p.page.getByTestId('not-found')).toBeVisible()
    await p.screenshot('not-found-en')
    await p.close()
  })
})
