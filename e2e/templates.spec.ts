import type { BoardSummary } from '../shared/domain/index.ts'
import { expect, Person, test } from './fixtures.ts'

const P = 'pyramid-1'
const S = 'staircase-1'

test.describe('templates and live insights', () => {
  test('E2E-4 provider and customer fill the pyramid and the staircase; insights and summary.json agree', async ({ browser, server }) => {
    const provider = await Person.open(browser, 'Pia Provider', 'provider')
    const customer = await Person.open(browser, 'Kalle Customer', 'customer')

    // The provider creates the board from the home page with the pyramid and the staircase.
    await provider.page.goto(server.url)
    await provider.page.getByTestId('template-pyramid').check()
    await provider.page.getByTestId('template-staircase').check()
    await expect(provider.page.getByTestId('new-board')).toHaveText('Create board with the selected templates')
    await provider.page.getByTestId('new-board').click()
    await provider.page.waitForURL(/\/b\/[A-Za-z0-9_-]+$/)
    const boardUrl = provider.page.url()
    const boardId = boardUrl.split('/b/')[1]
    await provider.openBoard(boardUrl)
    await provider.shareLinks()
    await customer.openBoard(boardUrl)

    // FIT-2: the board opens on its first template (the pyramid, left of the staircase), clear
    // of the insights panel, at a zoom where note text (22 page px) reads at 10 px or more.
    for (const p of [provider, customer]) {
      expect(await p.page.evaluate(() => window.__arvo!.initialView)).toEqual({ kind: 'template', instance: P })
      const pyr = await p.zonePoint(P, 'tableStakes', -1, -1)
      expect(pyr.x).toBeGreaterThan(300)
      expect(pyr.y).toBeGreaterThan(40)
      expect(await p.page.evaluate(() => window.__arvo!.editor.getZoomLevel() * 22)).toBeGreaterThanOrEqual(10)
    }

    // Template backgrounds are locked: not selectable, not movable, and cannot be unlocked.
    const zoneId = `shape:${P}.zone.functional`
    await provider.page.keyboard.press('ControlOrMeta+a')
    expect(await provider.page.evaluate(() => window.__arvo!.editor.getSelectedShapeIds().length)).toBe(0)
    const zoneBefore = await provider.zoneBounds(P, 'functional')
    const from = await provider.zonePoint(P, 'functional', 0.6, 0)
    await provider.page.keyboard.press('v')
    await provider.page.mouse.move(from.x, from.y)
    await provider.page.mouse.down()
    await provider.page.mouse.move(from.x + 120, from.y + 80, { steps: 6 })
    await provider.page.mouse.up()
    expect(await provider.zoneBounds(P, 'functional')).toEqual(zoneBefore)
    // LOCK-1: the customer is a participant (the provider created the board: the owner, see
    // owner.spec.ts): unlocking is reverted for them.
    await customer.page.evaluate((id) => {
      const editor = window.__arvo!.editor
      editor.updateShape({ id: id as never, type: 'geo', isLocked: false })
      // What tldraw's "Unlock all" does: unlock every locked shape.
      const locked = editor.getCurrentPageShapes().filter((s) => s.isLocked)
      editor.updateShapes(locked.map((s) => ({ id: s.id, type: s.type, isLocked: false })))
    }, zoneId)
    for (const p of [customer, provider]) {
      expect(await p.page.evaluate(() => window.__arvo!.editor.getCurrentPageShapes().filter((s) => !s.isLocked).length)).toBe(0)
      expect(await p.page.evaluate((id) => window.__arvo!.editor.getShape(id as never)!.isLocked, zoneId)).toBe(true)
    }

    // Both write notes into pyramid levels by clicking with the note tool at zone centres.
    await provider.zoomTo(P)
    await customer.zoomTo(P)
    await provider.noteInZone(P, 'functional', 'Lower cost', -0.3)
    await provider.noteInZone(P, 'functional', 'Scales', 0.3)
    await provider.noteInZone(P, 'ease', 'Fast answers')
    const moving = await customer.noteInZone(P, 'functional', 'Quality', 0)
    await customer.noteInZone(P, 'tableStakes', 'Fair price', -0.2)

    for (const p of [provider, customer]) {
      await expect.poll(() => p.coverage(P, 'functional')).toEqual({ provider: 2, customer: 1, empty: false })
      expect(await p.coverage(P, 'ease')).toEqual({ provider: 1, customer: 0, empty: false })
      expect(await p.coverage(P, 'tableStakes')).toEqual({ provider: 0, customer: 1, empty: false })
      expect(await p.coverage(P, 'individual')).toEqual({ provider: 0, customer: 0, empty: true })
      expect(await p.coverage(P, 'inspirational')).toEqual({ provider: 0, customer: 0, empty: true })
      await expect(p.page.locator(`[data-testid=empty-zone-message][data-zone=inspirational]`)).toHaveText(
        'Nobody has named any inspirational value yet',
      )
      await expect(p.page.locator('[data-testid=coverage-zone][data-zone=inspirational]')).toHaveClass(/is-empty/)
      await expect.poll(async () => (await p.balance()).provider.notes).toBe(3)
      expect((await p.balance()).customer.notes).toBe(2)
      // Per person too.
      await expect(p.page.locator('[data-testid=balance-person][data-side=provider]')).toContainText('Pia Provider')
      await expect(p.page.locator('[data-testid=balance-person][data-side=customer]')).toContainText('Kalle Customer')
    }
    // The notes carry author and side (META-4) in the side's colour.
    const mine = (await customer.notes()).find((n) => n.id === moving)!
    expect(mine.meta.arvo).toEqual({ kind: 'note', authorId: expect.any(String), authorName: 'Kalle Customer', side: 'customer' })
    expect(mine.color).toBe('orange')

    // Each side rates the staircase steps by clicking its own rating shapes.
    await provider.zoomTo(S)
    await customer.zoomTo(S)
    const providerRatings = { information: 4, understanding: 2, relevance: 5, differentiation: 3 }
    const customerRatings = { information: 3, understanding: 4, relevance: 1, delivery: 2 }
    for (const [step, v] of Object.entries(providerRatings)) await provider.clickRating(S, step, 'provider', v)
    for (const [step, v] of Object.entries(customerRatings)) await customer.clickRating(S, step, 'customer', v)
    await expect.poll(() => provider.ratingValue(S, 'delivery', 'customer')).toBe(2)
    await expect.poll(() => customer.ratingValue(S, 'differentiation', 'provider')).toBe(3)

    // Hovering one's own rating shows a hand; the other side's does not.
    const cursorOver = async (p: Person, side: 'provider' | 'customer') => {
      // Over a star (RATE-3): the words around the stars are not clickable.
      const pt = (await p.starPoint(S, 'understanding', side, 3))!
      await p.page.mouse.move(pt.x, pt.y, { steps: 3 })
      return p.page.evaluate(() => window.__arvo!.editor.getInstanceState().cursor.type)
    }
    expect(await cursorOver(customer, 'customer')).toBe('pointer')
    expect(await cursorOver(customer, 'provider')).toBe('default')

    // A person may set only their own side's rating.
    await customer.clickRating(S, 'relevance', 'provider', 1)
    await expect(customer.page.getByTestId('notice')).toContainText('“Customer” side')
    expect(await customer.ratingValue(S, 'relevance', 'provider')).toBe(5)

    // Perception gap: both-rated steps with the largest gap first, then steps one side rated.
    const expectedGaps = [
      { step: 'relevance', provider: 5, customer: 1, gap: 4 },
      { step: 'understanding', provider: 2, customer: 4, gap: 2 },
      { step: 'information', provider: 4, customer: 3, gap: 1 },
      { step: 'differentiation', provider: 3, customer: null, gap: null },
      { step: 'delivery', provider: null, customer: 2, gap: null },
    ]
    for (const p of [provider, customer]) await expect.poll(() => p.gapRows()).toEqual(expectedGaps)
    await provider.screenshot('insights-live-en')

    // No warning yet; then the provider piles on notes: more than 70% of the contributions.
    await expect(provider.page.getByTestId('balance-warning')).toHaveCount(0)
    await provider.zoomTo(P)
    for (let i = 0; i < 12; i++) await provider.noteInZone(P, 'ease', '', -0.65 + (i % 6) * 0.26, i < 6 ? -0.55 : 0.55)
    for (const p of [provider, customer]) {
      const warning = p.page.getByTestId('balance-warning')
      await expect(warning).toHaveAttribute('data-side', 'provider')
      await expect.poll(async () => (await p.balance()).provider.notes).toBe(15)
      const b = await p.balance()
      const total = b.provider.notes + b.provider.edits + b.customer.notes + b.customer.edits
      const pct = Math.round(((b.provider.notes + b.provider.edits) / total) * 100)
      expect(pct).toBeGreaterThan(70)
      await expect(warning).toContainText(`The provider side carries`)
    }
    await provider.screenshot('insights-warning-en')
    // INS-C1: the ? beside the balance table says what is counted.
    await expect(provider.page.getByTestId('balance-explained')).toHaveCount(0)
    await provider.page.getByTestId('balance-help').click()
    await expect(provider.page.getByTestId('balance-explained')).toContainText('Notes written and notes edited, per side')
    await provider.page.getByTestId('balance-help').click()
    await expect(provider.page.getByTestId('balance-explained')).toHaveCount(0)

    // summary.json, fetched from the page's origin, tells the same story.
    await expect
      .poll(async () => (await provider.fetchJson<BoardSummary>(`/api/boards/${boardId}/summary.json`)).counts.notes)
      .toBe(17)
    const summary = await provider.fetchJson<BoardSummary>(`/api/boards/${boardId}/summary.json`)
    expect(summary.boardId).toBe(boardId)
    expect(summary.templates.map((x) => x.instance)).toEqual([P, S])
    expect(summary.balance.provider.notes).toBe(15)
    expect(summary.balance.customer.notes).toBe(2)
    expect(summary.balance.warning?.side).toBe('provider')
    expect(summary.counts.ratings).toBe(8)
    const zoneCount = (zone: string) => summary.coverage.zones.find((z) => z.instance === P && z.zone === zone)
    expect(zoneCount('functional')).toMatchObject({ provider: 2, customer: 1 })
    expect(zoneCount('ease')).toMatchObject({ provider: 13, customer: 0 })
    expect(summary.coverage.emptyZones.map((z) => z.zone)).toEqual(
      expect.arrayContaining(['individual', 'inspirational', 'understanding']),
    )
    expect(summary.perceptionGap.map((g) => ({ step: g.step, provider: g.provider, customer: g.customer, gap: g.gap }))).toEqual(
      expectedGaps,
    )
    expect(summary.notes.find((n) => n.id === moving)).toMatchObject({ zone: 'functional', side: 'customer', text: 'Quality' })

    // Dragging a note from one level to another moves it in everyone's insights, live.
    const target = await provider.zonePoint(P, 'inspirational', 0, 0.2)
    await provider.dragShapeTo(moving, target, async () => {
      // Still holding the mouse: both panels already count it in its new level.
      for (const p of [provider, customer]) {
        await expect.poll(() => p.coverage(P, 'inspirational')).toEqual({ provider: 0, customer: 1, empty: false })
      }
    })
    for (const p of [provider, customer]) {
      expect(await p.coverage(P, 'functional')).toEqual({ provider: 2, customer: 0, empty: false })
      await expect(p.page.locator(`[data-testid=empty-zone-message][data-zone=inspirational]`)).toHaveCount(0)
    }
    await expect
      .poll(async () => (await customer.fetchJson<BoardSummary>(`/api/boards/${boardId}/summary.json`)).notes.find((n) => n.id === moving)?.zone)
      .toBe('inspirational')
    // Moved by the provider, the note still belongs to the customer.
    expect((await provider.note(moving))!.meta.arvo).toMatchObject({ side: 'customer', authorName: 'Kalle Customer' })

    await provider.close()
    await customer.close()
  })

  test('E2E-5 role map and action plan in Finnish, a Russian-speaking customer, templates added from the board', async ({ browser, server }) => {
    const provider = await Person.open(browser, 'Pia Palveluntarjoaja', 'provider', 'fi-FI')
    const customer = await Person.open(browser, 'Катя Клиент', 'customer', 'ru-RU')

    // The provider's home page is in Finnish (from the browser); the board is created in Finnish.
    await provider.page.goto(server.url)
    await expect(provider.page.getByTestId('new-board')).toHaveText('Uusi taulu')
    await provider.page.getByTestId('template-roleMap').check()
    await provider.page.getByTestId('template-actionPlan').check()
    await provider.page.getByTestId('new-board').click()
    await provider.page.waitForURL(/\/b\/[A-Za-z0-9_-]+$/)
    const boardUrl = provider.page.url()
    await provider.openBoard(boardUrl)
    // The customer joins through the facilitator link (a co-facilitator on the customer side):
    // adding templates from the board is the facilitator's (participants may not, LOCK-1).
    const links = await provider.shareLinks()
    customer.link = 'facilitator'
    await customer.openBoard(links.facilitator)
    await expect(customer.page.getByTestId('insights-panel')).toContainText('Аналитика')
    await expect(provider.page.getByTestId('insights-panel')).toContainText('Havainnot')

    // I18N-C1: each person reads the template texts in their own language; the record stays Finnish.
    for (const [p, want] of [[provider, 'Roolikartta'], [customer, 'Карта ролей']] as const) {
      const title = await p.page.evaluate(() => {
        const editor = window.__arvo!.editor
        const s = editor.getShape('shape:roleMap-1.label.title' as never)
        return s ? { shown: editor.getShapeUtil(s).getText?.(s) ?? '', stored: JSON.stringify(s.props) } : null
      })
      expect(title?.shown).toContain(want)
      expect(title?.stored).toContain('Roolikartta')
    }

    // Role map: notes into lanes; the grid shows them per side.
    await provider.zoomTo('roleMap-1')
    await customer.zoomTo('roleMap-1')
    await provider.noteInZone('roleMap-1', 'design.provider', 'Työpaja')
    await customer.noteInZone('roleMap-1', 'delivery.customer', 'Данные')
    await customer.noteInZone('roleMap-1', 'delivery.shared', 'Обзор', -0.3)
    for (const p of [provider, customer]) {
      await expect.poll(() => p.coverage('roleMap-1', 'delivery.shared')).toEqual({ provider: 0, customer: 1, empty: false })
      expect(await p.coverage('roleMap-1', 'design.provider')).toEqual({ provider: 1, customer: 0, empty: false })
      expect(await p.coverage('roleMap-1', 'improvement.shared')).toEqual({ provider: 0, customer: 0, empty: true })
    }
    // The action panel is only for action-plan notes.
    const roleNote = (await customer.noteIds())[0]
    const rc = await customer.screenCenter(roleNote)
    await customer.page.mouse.click(rc.x, rc.y)
    await expect(customer.page.getByTestId('action-panel')).toHaveCount(0)

    // Action plan: the customer writes a next step and gives it an owner side, owner and due date.
    await customer.zoomTo('actionPlan-1')
    await provider.zoomTo('actionPlan-1')
    const step = await customer.noteInZone('actionPlan-1', 'anticipate.action', 'Квартальный обзор', -0.3)
    const sc = await customer.screenCenter(step)
    await customer.page.keyboard.press('v')
    await customer.page.mouse.click(sc.x, sc.y)
    const panel = customer.page.getByTestId('action-panel')
    await expect(panel).toBeVisible()
    await expect(panel).toContainText('Следующий шаг')
    await customer.page.getByTestId('action-owner-side-provider').click()
    // Typed key by key: tldraw's shortcuts (p, a, l…) must not fire while typing in the panel.
    await customer.page.getByTestId('action-owner').pressSequentially('Pia Palveluntarjoaja')
    await customer.page.getByTestId('action-owner').press('Enter')
    expect(await customer.page.evaluate(() => window.__arvo!.editor.getCurrentToolId())).toBe('select')
    await customer.page.getByTestId('action-due').fill('2026-12-01')
    await expect(customer.page.getByTestId('action-owner-side-provider')).toHaveAttribute('aria-pressed', 'true')
    await expect
      .poll(async () => (await provider.note(step))?.meta.arvo)
      .toEqual({
        kind: 'note',
        authorId: expect.any(String),
        authorName: 'Катя Клиент',
        side: 'customer',
        owner: 'Pia Palveluntarjoaja',
        ownerSide: 'provider',
        due: '2026-12-01',
      })
    // Everyone reads owner and due date from the board, each in their own language.
    const badge = (p: Person) => p.page.locator(`[data-testid=action-badge][data-note="${step}"]`)
    await expect(badge(provider)).toContainText('Pia Palveluntarjoaja')
    await expect(badge(provider)).toContainText('Palveluntarjoaja')
    await expect(badge(provider)).toContainText('1.12.2026')
    await expect(badge(customer)).toContainText('Поставщик')
    // ACT-1: the badges sit beside the note, inside its row of the action plan (not in the next one).
    const row = await customer.zoneBounds('actionPlan-1', 'anticipate.action')
    const rowTop = await customer.toScreen({ x: row.x, y: row.y })
    const rowBottom = await customer.toScreen({ x: row.x + row.w, y: row.y + row.h })
    const box = (await badge(customer).boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(rowTop.y)
    expect(box.y + box.height).toBeLessThanOrEqual(rowBottom.y)
    const way = provider.page.locator('[data-testid=coverage-way][data-instance="actionPlan-1"][data-way=anticipate]')
    await expect(way).toHaveAttribute('data-owner', '1')
    await expect(way).toHaveAttribute('data-due', '1')
    await customer.screenshot('action-panel-ru')

    // The customer carries the work: the warning flags the customer side, in each person's language.
    await customer.zoomTo('roleMap-1')
    for (let i = 0; i < 7; i++) await customer.noteInZone('roleMap-1', 'transition.customer', '', -0.6 + i * 0.2)
    await expect(customer.page.getByTestId('balance-warning')).toHaveAttribute('data-side', 'customer')
    await expect(customer.page.getByTestId('balance-warning')).toContainText('На сторону клиента приходится')
    await expect(provider.page.getByTestId('balance-warning')).toContainText('Asiakkaan puoli kantaa')

    // "Add template" on the board: placed right of everything, in the picker's language (Russian here).
    const rightEdge = await customer.page.evaluate(() => window.__arvo!.editor.getCurrentPageBounds()!.maxX)
    await customer.page.getByTestId('add-template').click()
    await expect(customer.page.getByTestId('template-language')).toHaveValue('ru')
    await customer.page.getByTestId('add-template-staircase').click()
    await expect(customer.page.getByTestId('template-menu')).toHaveCount(0)
    const added = await customer.page.evaluate(() => {
      const editor = window.__arvo!.editor
      const s = editor.getShape('shape:staircase-1.label.title' as never)!
      return { x: editor.getShapePageBounds(s)!.x, text: editor.getShapeUtil(s).getText?.(s) ?? '' }
    })
    expect(added.x).toBeGreaterThan(rightEdge)
    expect(added.text).toContain('Лестница ценности')
    // The provider sees it (its texts in Finnish for him, I18N-C1) and its steps in the gap table.
    await expect.poll(async () => (await provider.gapRows()).length).toBe(5)
    await expect(provider.page.getByTestId('insights-gap')).toContainText('Tieto')
    // The customer's view is zoomed to the new template.
    const stair = await customer.zonePoint('staircase-1', 'relevance')
    expect(stair.x).toBeGreaterThan(300)
    expect(stair.x).toBeLessThan(1300)

    await provider.close()
    await customer.close()
  })
})
