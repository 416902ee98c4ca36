import { readFileSync } from 'node:fs'
import { expect, Person, test } from './fixtures.ts'

const S = 'staircase-1'
const A = 'actionPlan-1'
const LANGS = ['fi', 'et', 'ru', 'en'] as const
const SIDE_WORD = {
  en: { provider: 'Provider', customer: 'Customer' },
  fi: { provider: 'Palveluntarjoaja', customer: 'Asiakas' },
  et: { provider: 'Teenusepakkuja', customer: 'Klient' },
  ru: { provider: 'Поставщик', customer: 'Клиент' },
} as const

/** WCAG contrast ratio of two CSS rgb() colours, written out (not taken from the code under test). */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((v) => {
      const c = v / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }) as [number, number, number]
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

test.describe('E2E-10 issue 9: rating, undo, authors, owner link, exports', () => {
  test('RATE-C1 RATE-3 clicking the n-th star sets n in every language; hover previews it; the other side sees no preview', async ({ browser, server }) => {
    const boardId = await server.createBoard(['staircase'], 'en')
    const url = `${server.url}/b/${boardId}`
    for (const [li, lang] of LANGS.entries()) {
      const p = await Person.open(browser, `Pia ${lang}`, 'provider', lang)
      await p.openBoard(url)
      await p.zoomTo(S)
      for (const step of ['information', 'delivery']) {
        // Every star, in an order where each click changes the value.
        for (const n of [1, 5, 2, 4, 3]) {
          await p.clickRating(S, step, 'provider', n)
          await expect.poll(() => p.ratingValue(S, step, 'provider'), { message: `${lang} ${step} star ${n}` }).toBe(n)
        }
      }
      // The label reads in this language, and beside the stars (its left edge) a click sets nothing.
      const label = p.page.locator(`.tl-shape[data-shape-id="shape:${S}.rating.information.provider"] .tl-rich-text`)
      await expect(label).toContainText(SIDE_WORD[lang].provider)
      const edge = await p.page.evaluate((id) => {
        const editor = window.__arvo!.editor
        const b = editor.getShapePageBounds(id as never)!
        return editor.pageToScreen({ x: b.x + 3, y: b.center.y })
      }, `shape:${S}.rating.information.provider`)
      await p.page.mouse.click(edge.x, edge.y)
      await p.page.waitForTimeout(200)
      expect(await p.ratingValue(S, 'information', 'provider')).toBe(3)

      // Hovering star h shows "set h/5" over stars 1–h, and a click then sets h (at 100% zoom now; h differs per language).
      const h = [4, 2, 5, 3][li]!
      await p.page.evaluate((id) => {
        const editor = window.__arvo!.editor
        editor.zoomToBounds(editor.getShapePageBounds(id as never)!.clone().expandBy(250), { targetZoom: 1 })
      }, `shape:${S}.rating.relevance.provider`)
      await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      const starH = (await p.starPoint(S, 'relevance', 'provider', h))!
      await p.page.mouse.move(starH.x, starH.y, { steps: 4 })
      const preview = p.page.getByTestId('rating-preview')
      await expect(preview).toHaveAttribute('data-value', String(h))
      await expect(preview).toContainText(`${h}/5`)
      const box = (await preview.boundingBox())!
      const star1 = (await p.starPoint(S, 'relevance', 'provider', 1))!
      const star5 = (await p.starPoint(S, 'relevance', 'provider', 5))!
      expect(box.x).toBeLessThan(star1.x)
      expect(box.x + box.width).toBeGreaterThan(starH.x)
      if (h < 5) expect(box.x + box.width).toBeLessThan(star5.x)
      await p.screenshot(`rating-hover-${lang}`)
      await p.page.mouse.click(starH.x, starH.y)
      await expect.poll(() => p.ratingValue(S, 'relevance', 'provider')).toBe(h)
      // On the customer's rating the provider sees no preview.
      const other = (await p.starPoint(S, 'relevance', 'customer', 2))!
      await p.page.mouse.move(other.x, other.y, { steps: 4 })
      await expect(preview).toHaveCount(0)
      await p.close()
    }
  })

  test('RATE-C1 keyboard (1–5, arrows) and touch (tap) set the own side’s rating', async ({ browser, server }) => {
    const boardId = await server.createBoard(['staircase'], 'fi')
    const url = `${server.url}/b/${boardId}`
    const p = await Person.open(browser, 'Kalle', 'customer', 'fi')
    await p.openBoard(url)
    await p.zoomTo(S)
    // Only the own side's ratings are sliders (5 steps).
    const sliders = p.page.getByTestId('rating-slider')
    await expect(sliders).toHaveCount(5)
    const slider = p.page.locator(`[data-testid=rating-slider][data-shape="shape:${S}.rating.understanding.customer"]`)
    await expect(slider).toHaveAttribute('aria-label', /Asiakas.*Ymmärrys/)
    await slider.focus()
    // Focus does not scroll tldraw's container (that would shift the canvas).
    const scrolled = await p.page.evaluate(() => {
      const out: number[] = []
      for (let n: HTMLElement | null = document.activeElement as HTMLElement; n; n = n.parentElement) out.push(n.scrollTop, n.scrollLeft)
      return out.some((v) => v !== 0)
    })
    expect(scrolled).toBe(false)
    await p.page.keyboard.press('3')
    await expect.poll(() => p.ratingValue(S, 'understanding', 'customer')).toBe(3)
    await p.page.keyboard.press('ArrowRight')
    await expect.poll(() => p.ratingValue(S, 'understanding', 'customer')).toBe(4)
    await p.page.keyboard.press('ArrowLeft')
    await p.page.keyboard.press('ArrowLeft')
    await expect.poll(() => p.ratingValue(S, 'understanding', 'customer')).toBe(2)
    await expect(slider).toHaveAttribute('aria-valuenow', '2')
    // Tab reaches the sliders from the canvas.
    await p.page.mouse.click(700, 800)
    let tabs = 0
    while (tabs < 60 && !(await p.page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'rating-slider'))) {
      await p.page.keyboard.press('Tab')
      tabs++
    }
    expect(await p.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('rating-slider')
    await p.page.keyboard.press('5')
    const focused = await p.page.evaluate(() => document.activeElement!.getAttribute('data-shape')!)
    await expect.poll(() => p.page.evaluate((id) => (window.__arvo!.editor.getShape(id as never)!.meta as { arvo: { value: number } }).arvo.value, focused)).toBe(5)
    await p.screenshot('rating-keyboard-fi')
    // The keys went to the rating, not to tldraw's tools.
    expect(await p.page.evaluate(() => window.__arvo!.editor.getCurrentToolId())).toBe('select')
    await p.close()

    const touchContext = await browser.newContext({ locale: 'ru', viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: false })
    const t = new Person(touchContext, await touchContext.newPage(), 'Юлия', 'customer')
    await t.openBoard(url)
    await t.zoomTo(S)
    // Quick taps one after another (no pause: not taken for tldraw's double tap).
    for (const n of [2, 5, 3]) {
      const pt = (await t.starPoint(S, 'information', 'customer', n))!
      await t.page.touchscreen.tap(pt.x, pt.y)
      await expect.poll(() => t.ratingValue(S, 'information', 'customer')).toBe(n)
    }
    // A quick double click on a star sets it and puts no text shape on the rating.
    await t.close()
    const m = await Person.open(browser, 'Kaisa', 'customer', 'et')
    await m.openBoard(url)
    await m.zoomTo(S)
    const star4 = (await m.starPoint(S, 'delivery', 'customer', 4))!
    await m.page.mouse.dblclick(star4.x, star4.y)
    await expect.poll(() => m.ratingValue(S, 'delivery', 'customer')).toBe(4)
    await m.page.waitForTimeout(300)
    expect(await m.page.evaluate(() => window.__arvo!.editor.getCurrentPageShapes().filter((s) => s.type === 'text' && !(s.meta as { arvo?: unknown }).arvo).length)).toBe(0)
    expect(await m.page.evaluate(() => window.__arvo!.editor.getEditingShapeId())).toBeNull()
    // Nor does a double click on the other side's rating, or on the words of one's own.
    const theirs = (await m.starPoint(S, 'delivery', 'provider', 2))!
    const star1 = (await m.starPoint(S, 'delivery', 'customer', 1))!
    // inside the own rating box, between its left edge and the first star ("Klient:")
    const ownLeft = await m.page.evaluate((id) => {
      const editor = window.__arvo!.editor
      const b = editor.getShapePageBounds(id as never)!
      return editor.pageToScreen({ x: b.x, y: b.y }).x
    }, `shape:${S}.rating.delivery.customer`)
    const words = { x: (ownLeft + star1.x) / 2 - 10, y: star1.y }
    for (const [what, pt] of [['their rating', theirs], ['the words of my rating', words]] as const) {
      expect(await m.page.evaluate(() => window.__arvo!.editor.getCurrentToolId())).toBe('select')
      await m.page.mouse.dblclick(pt.x, pt.y)
      await m.page.waitForTimeout(300)
      expect(await m.page.evaluate(() => window.__arvo!.editor.getEditingShapeId()), what).toBeNull()
      expect(await m.page.evaluate(() => window.__arvo!.editor.getCurrentPageShapes().filter((s) => s.type === 'text' && !(s.meta as { arvo?: unknown }).arvo).length), what).toBe(0)
    }
    expect(await m.ratingValue(S, 'delivery', 'customer')).toBe(4)
    expect(await m.ratingValue(S, 'delivery', 'provider')).toBe(0) // not rated: the refused clicks set nothing
    await m.close()
  })

  test('TPL-C1 undo after "Add template" removes only the template; the note written before stays', async ({ browser, server }) => {
    const boardId = await server.createBoard([], 'en')
    const p = await Person.facilitator(browser, 'Olli', 'provider')
    await p.openBoard(`${server.url}/b/${boardId}`)
    const note = await p.createNote(500, 400, 'Written before')
    expect((await p.note(note))?.text).toBe('Written before')
    await p.page.getByTestId('add-template').click()
    await p.page.getByTestId('add-template-pyramid').click()
    const templateShapes = () =>
      p.page.evaluate(() => window.__arvo!.editor.getCurrentPageShapes().filter((s) => (s.meta as { arvo?: { instance?: string } }).arvo?.instance === 'pyramid-1').length)
    await expect.poll(templateShapes).toBeGreaterThan(5)
    // Focus back on the canvas, as a person clicking an empty spot would.
    await p.page.mouse.click(200, 700)
    await p.page.keyboard.press('ControlOrMeta+z')
    await expect.poll(templateShapes).toBe(0)
    expect((await p.note(note))?.text).toBe('Written before')
    // Further undos go on into the note's own steps (tldraw's: clearing the selection, creating it).
    let undos = 0
    while ((await p.note(note)) && undos < 3) {
      await p.page.keyboard.press('ControlOrMeta+z')
      undos++
      await p.page.waitForTimeout(100)
    }
    expect(await p.note(note)).toBeUndefined()
    expect(await templateShapes()).toBe(0)
    // Redo brings the note back, then the template.
    for (let i = 0; i < undos + 1; i++) await p.page.keyboard.press('ControlOrMeta+Shift+z')
    await expect.poll(templateShapes).toBeGreaterThan(5)
    expect((await p.note(note))?.text).toBe('Written before')
  })

  test('ACC-2 a facilitator link opened in a tab that already shows the board makes it the facilitator without reload; a forged token changes nothing', async ({ browser, server }) => {
    const board = await server.createBoardWithLinks(['staircase'], 'en')
    const facToken = new URL(board.links.facilitator).hash.slice('#token='.length)
    const p = await Person.open(browser, 'Mia', 'provider')
    await p.openBoard(board.url)
    await expect(p.page.getByTestId('template-lock-toggle')).toHaveCount(0)
    const marker = await p.page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()))
    await p.page.evaluate((hash) => (window.location.hash = hash), new URL(board.links.facilitator).hash)
    // As a facilitator, Mia picks the side of her own notes once (ROLE-C1).
    await expect(p.page.getByTestId('identity-dialog')).toHaveAttribute('data-role', 'facilitator')
    await p.answerIdentity()
    await expect(p.page.getByTestId('template-lock-toggle')).toBeVisible()
    await expect(p.page.getByTestId('facilitator-note')).toBeVisible()
    // No reload happened, and the token is off the address bar.
    expect(await p.page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(marker)
    expect(p.page.url()).toBe(board.url)
    expect(await p.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBe(facToken)
    // A forged token in the fragment changes nothing for a participant tab.
    const q = await Person.open(browser, 'Kaisa', 'customer')
    await q.openBoard(board.url)
    const customerToken = await q.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)
    const forged = `${facToken.slice(0, -4)}AAAA`
    const asked = q.page.waitForResponse((r) => r.url().endsWith(`/api/boards/${board.id}/access`) && r.request().headers().authorization === `Bearer ${forged}`)
    await q.page.evaluate((t) => (window.location.hash = `token=${t}`), forged)
    await asked // the server was asked about the forged token
    await expect.poll(() => q.page.url()).toBe(board.url) // and the fragment taken off
    await expect(q.page.getByTestId('template-lock-toggle')).toHaveCount(0)
    await expect(q.page.getByTestId('board')).toBeVisible()
    expect(await q.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBe(customerToken)
    // …and a forged link sent to the facilitator does not cost them the token they hold.
    const facAsked = p.page.waitForResponse((r) => r.url().endsWith(`/api/boards/${board.id}/access`) && r.request().headers().authorization === `Bearer ${forged}`)
    await p.page.evaluate((t) => (window.location.hash = `token=${t}`), forged)
    await facAsked
    await expect.poll(() => p.page.url()).toBe(board.url)
    await expect(p.page.getByTestId('template-lock-toggle')).toBeVisible()
    expect(await p.page.evaluate((id) => localStorage.getItem(`arvo.token.${id}`), board.id)).toBe(facToken)
    await p.page.reload()
    await expect(p.page.getByTestId('template-lock-toggle')).toBeVisible()
  })

  test('NOTE-2 notes show their author legibly in the side colour; full names on hover and in the participant list', async ({ browser, server }) => {
    const boardId = await server.createBoard(['pyramid'], 'en')
    const url = `${server.url}/b/${boardId}`
    const provider = await Person.open(browser, 'Paula Consultant-Virtanen', 'provider')
    const customer = await Person.open(browser, 'Kristiina Asiakaskokemuspäällikkö', 'customer')
    await provider.openBoard(url)
    await customer.openBoard(url)
    await provider.zoomTo('pyramid-1')
    await customer.zoomTo('pyramid-1')
    const pNote = await provider.noteInFreeSpot('pyramid-1', 'functional', 'Faster invoicing', -0.5)
    const cNote = await customer.noteInFreeSpot('pyramid-1', 'functional', 'Fewer surprises', 0.5)
    for (const [note, initials, name, side] of [
      [pNote, 'PC', 'Paula Consultant-Virtanen', 'Provider'],
      [cNote, 'KA', 'Kristiina Asiakaskokemuspäällikkö', 'Customer'],
    ] as const) {
      const badge = provider.page.locator(`[data-testid=author-badge][data-note="${note}"]`)
      await expect(badge).toHaveText(initials)
      await expect(badge).toHaveAttribute('title', `Written by ${name} (${side})`)
      // White on the side colour: AA contrast (4.5:1).
      const colours = await badge.evaluate((el) => {
        const cs = getComputedStyle(el)
        return { fg: cs.color, bg: cs.backgroundColor }
      })
      expect(contrast(colours.fg, colours.bg)).toBeGreaterThanOrEqual(4.5)
      // Hovering it reaches the badge (the browser shows the title).
      const bb = (await badge.boundingBox())!
      const hit = await provider.page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute('data-testid'), { x: bb.x + bb.width / 2, y: bb.y + bb.height / 2 })
      expect(hit).toBe('author-badge')
    }
    // Legible at 50% and 100% zoom: at least 11 px text on screen, and clear of the note's text.
    for (const zoom of [0.5, 1]) {
      await provider.page.evaluate(({ id, zoom }) => {
        const editor = window.__arvo!.editor
        const b = editor.getShapePageBounds(id as never)!
        editor.setCamera({ x: -b.x + 700 / zoom, y: -b.y + 400 / zoom, z: zoom })
      }, { id: pNote, zoom })
      await provider.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      const m = await provider.page.evaluate((id) => {
        const badge = document.querySelector(`[data-testid=author-badge][data-note="${id}"]`)!
        const text = document.querySelector(`.tl-shape[data-shape-id="${id}"] .tl-rich-text`)!
        const range = document.createRange()
        range.selectNodeContents(text)
        const t = [...range.getClientRects()].filter((r) => r.width > 0)
        const b = badge.getBoundingClientRect()
        // Rendered glyph height: the badge's font size times the canvas scale.
        const fontPx = parseFloat(getComputedStyle(badge).fontSize) * (b.height / (badge as HTMLElement).offsetHeight)
        const overlaps = t.some((r) => r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top)
        return { fontPx, overlaps }
      }, pNote)
      expect(m.fontPx, `zoom ${zoom}`).toBeGreaterThanOrEqual(11)
      expect(m.overlaps, `zoom ${zoom}`).toBe(false)
    }
    // The badge does not get in the way: dragging from its part over the note moves the note.
    const before = (await provider.note(pNote))!
    const bb = (await provider.page.locator(`[data-testid=author-badge][data-note="${pNote}"]`).boundingBox())!
    const from = { x: bb.x + bb.width * 0.8, y: bb.y + bb.height * 0.8 }
    await provider.dragFromTo(from, { x: from.x + 60, y: from.y + 40 })
    await expect.poll(async () => (await provider.note(pNote))!.x).toBeGreaterThan(before.x + 20)
    await provider.page.keyboard.press('ControlOrMeta+z')
    await expect.poll(async () => (await provider.note(pNote))!.x).toBe(before.x)
    await provider.zoomTo('pyramid-1')
    await provider.screenshot('author-badges-en')

    // The participant list shows whole names (no ellipsis), with the full name and side on hover, in every language.
    for (const lang of LANGS) {
      await provider.page.getByTestId('language-picker').selectOption(lang)
      const row = provider.page.locator('[data-testid=participant][data-side=customer]')
      await expect(row).toHaveAttribute('title', `Kristiina Asiakaskokemuspäällikkö – ${SIDE_WORD[lang].customer}`)
      const nameEl = row.locator('.arvo-participant-name')
      await expect(nameEl).toContainText('Kristiina Asiakaskokemuspäällikkö')
      const clipped = await nameEl.evaluate((el) => el.scrollWidth > el.clientWidth + 1)
      expect(clipped, lang).toBe(false)
      await provider.page.getByTestId('participants-panel').screenshot({ path: `e2e/screenshots/participants-${lang}.png` })
      // …and so does the insights panel's list by person (INS-C1).
      const person = provider.page.locator('[data-testid=balance-person][data-side=customer] .arvo-person-name')
      await expect(person).toHaveText('Kristiina Asiakaskokemuspäällikkö')
      await expect(person).toHaveAttribute('title', `Kristiina Asiakaskokemuspäällikkö (${SIDE_WORD[lang].customer})`)
      expect(await person.evaluate((el) => el.scrollWidth > el.clientWidth + 1), `insights name ${lang}`).toBe(false)
      await provider.screenshot(`author-badges-${lang}`)
    }
  })

  test('ACT-2 PNG/SVG exports are named after the board and template and include owner, owner side and due', async ({ browser, server }) => {
    const boardId = await server.createBoard(['actionPlan'], 'en')
    const p = await Person.open(browser, 'Pia', 'provider')
    await p.openBoard(`${server.url}/b/${boardId}`)
    await p.zoomTo(A)
    const note = await p.noteInZone(A, 'anticipate.action', 'Quarterly review', -0.3)
    await p.page.evaluate((id) => {
      const editor = window.__arvo!.editor
      const s = editor.getShape(id as never)!
      const arvo = (s.meta as { arvo: object }).arvo
      editor.updateShape({ id: s.id, type: s.type, meta: { ...s.meta, arvo: { ...arvo, owner: 'Olli Omistaja', ownerSide: 'customer', due: '2027-01-15' } } })
    }, note)
    await expect(p.page.locator(`[data-testid=action-badge][data-note="${note}"]`)).toContainText('Olli Omistaja')

    // The note's SVG (tldraw's own export path) carries the action fields.
    const svg = await p.page.evaluate(async (id) => (await window.__arvo!.editor.getSvgString([id as never]))!.svg, note)
    expect(svg).toContain('Olli Omistaja')
    expect(svg).toContain('15 Jan 2027')
    expect(svg).toContain('Customer')

    // Export from the context menu: a file named after board and template, whose area includes the fields.
    const sc = await p.screenCenter(note)
    await p.page.keyboard.press('v')
    await p.page.mouse.click(sc.x, sc.y)
    await p.page.mouse.click(sc.x, sc.y, { button: 'right' })
    await p.page.getByTestId('context-menu-sub.export-as-button').click()
    const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.getByTestId('context-menu.export-as-svg').click()])
    expect(download.suggestedFilename()).toBe(`Arvo ${boardId} – Action plan.svg`)
    const file = readFileSync((await download.path())!, 'utf8')
    expect(file).toContain('Olli Omistaja')
    expect(file).toContain('15 Jan 2027')
    const [, , vbW] = file.match(/viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/)!.slice(1).map(Number) as [number, number, number, number]
    const noteW = await p.page.evaluate((id) => window.__arvo!.editor.getShapePageBounds(id as never)!.w, note)
    expect(vbW).toBeGreaterThan(noteW * 1.5)

    const [png] = await Promise.all([
      p.page.waitForEvent('download'),
      (async () => {
        await p.page.mouse.click(sc.x, sc.y, { button: 'right' })
        await p.page.getByTestId('context-menu-sub.export-as-button').click()
        await p.page.getByTestId('context-menu.export-as-png').click()
      })(),
    ])
    expect(png.suggestedFilename()).toBe(`Arvo ${boardId} – Action plan.png`)
    await png.saveAs('e2e/screenshots/export-action-note-en.png')
  })
})
