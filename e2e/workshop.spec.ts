/**
 * E2E-13 silent ideas and E2E-14 dot voting (issue 11) with three browser contexts: a
 * facilitator, a provider participant (Finnish UI) and a customer participant (English UI).
 * Every websocket frame and HTTP request the provider's browser sends is recorded: the private
 * note's text is in none of them before the reveal (and is, after it: the recorder works).
 */
import type { Page } from '@playwright/test'
import { expect, Person, test } from './fixtures.ts'

/** Records what a page sends: websocket frames (as text, binary decoded as UTF-8) and requests. */
function recordOutgoing(page: Page) {
  const sent: string[] = []
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => sent.push(typeof f.payload === 'string' ? f.payload : Buffer.from(f.payload).toString('utf8')))
  })
  page.on('request', (r) => sent.push(`${r.method()} ${r.url()}\n${JSON.stringify(r.headers())}\n${r.postData() ?? ''}`))
  return { sent, contains: (text: string) => sent.some((s) => s.includes(text)) }
}

async function noteInZone(p: Person, zone: string, fx: number, text: string): Promise<string> {
  await p.zoomTo('pyramid-1')
  const pt = await p.zonePoint('pyramid-1', zone, fx, 0)
  return p.createNote(pt.x, pt.y, text)
}

const privateKeys = (p: Person) => p.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('arvo.private.')))

test.describe('silent ideas and dot voting', () => {
  test('E2E-13 PRIV-1..3 WS-1/2: private notes stay on the device until the reveal, then publish with authors and sides', async ({ browser, server }) => {
    test.setTimeout(180_000) // three browser contexts: ~45 s on an idle machine, twice that under load
    const board = await server.createBoardWithLinks(['pyramid'], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    const pekka = await Person.open(browser, 'Pekka Provider', 'provider', 'fi-FI')
    const kaisa = await Person.open(browser, 'Kaisa Customer', 'customer')
    const wire = recordOutgoing(pekka.page)
    await fac.openBoard(board.links.facilitator)
    await pekka.openBoard(board.links.provider)
    await kaisa.openBoard(board.links.customer)

    await fac.page.getByTestId('silent-start').click()
    await expect(pekka.page.getByTestId('private-banner')).toBeVisible()
    await expect(kaisa.page.getByTestId('private-banner')).toBeVisible()

    const secret = 'PEKKA-SECRET-IDEA-4711'
    const pekkaNote = await noteInZone(pekka, 'functional', -0.5, secret)
    const kaisaNote = await noteInZone(kaisa, 'ease', 0.5, 'KAISA-SECRET-IDEA-0815')
    await expect(pekka.page.locator(`[data-testid="private-mark"][data-note="${pekkaNote}"]`)).toHaveText('Vain sinä näet tämän')
    await expect(pekka.page.getByTestId('private-mine')).toHaveText('Sinulla on 1 yksityinen lappu.')
    // Nobody else has the note; the facilitator sees a count per person, no content.
    await fac.page.waitForTimeout(500)
    for (const other of [fac, kaisa]) expect(await other.noteIds()).not.toContain(pekkaNote)
    expect(await pekka.noteIds()).not.toContain(kaisaNote)
    const counts = fac.page.getByTestId('private-counts')
    await expect(counts.locator('li')).toHaveCount(2)
    await expect(counts).toContainText('Pekka Provider')
    await expect(counts).toContainText('1 private note')
    expect(await fac.page.getByTestId('board').innerText()).not.toContain(secret)

    // A reload keeps the private note (from this browser's storage), still marked and still unsent.
    await pekka.page.reload()
    await pekka.waitReady()
    await expect(pekka.page.locator(`[data-testid="private-mark"][data-note="${pekkaNote}"]`)).toBeVisible()
    expect((await pekka.note(pekkaNote))?.text).toBe(secret)
    await pekka.zoomTo('pyramid-1')
    await pekka.screenshot('workshop-private-fi')
    await fac.screenshot('workshop-private-facilitator-en')
    expect(await privateKeys(pekka)).toHaveLength(1)

    // An edit and a move of the private note stay local too.
    await pekka.page.evaluate((id) => window.__arvo!.editor.updateShape({ id: id as never, type: 'note', x: 40 }), pekkaNote)
    await pekka.page.waitForTimeout(300)
    expect(wire.sent.length).toBeGreaterThan(5)
    expect(wire.contains(secret), 'the private note text went over the wire before the reveal').toBe(false)
    // Not even its id: tldraw's presence would carry it in the selection (PRS-2 filters it).
    expect(wire.contains(pekkaNote.replace('shape:', '')), 'the private note id went over the wire before the reveal').toBe(false)

    // Reveal: both notes appear for everyone, with their authors and sides.
    await fac.page.getByTestId('silent-reveal').click()
    await expect.poll(() => fac.noteIds()).toEqual(expect.arrayContaining([pekkaNote, kaisaNote]))
    await expect.poll(() => kaisa.noteIds()).toContain(pekkaNote)
    const published = await fac.note(pekkaNote)
    expect(published?.text).toBe(secret)
    expect(published?.meta.arvo).toMatchObject({ kind: 'note', authorName: 'Pekka Provider', side: 'provider' })
    expect((await fac.note(kaisaNote))?.meta.arvo).toMatchObject({ authorName: 'Kaisa Customer', side: 'customer' })
    await expect(pekka.page.getByTestId('private-mark')).toHaveCount(0)
    await expect.poll(() => privateKeys(pekka)).toEqual([])
    await expect(counts).toHaveCount(0)
    // Positive control: the recorder does see the note now that it was published.
    await expect.poll(() => wire.contains(secret)).toBe(true)
    // Published once: one copy on the board.
    expect((await fac.notes()).filter((n) => n.text === secret)).toHaveLength(1)
    await fac.screenshot('workshop-revealed-en')
  })

  test('E2E-14 VOTE-C1..3 WS-3/4: participants place dots (budget refused), the facilitator sees only the voter count, close shows results by side', async ({ browser, server }) => {
    test.setTimeout(180_000) // three browser contexts: ~45 s on an idle machine, twice that under load
    const board = await server.createBoardWithLinks(['pyramid'], 'en')
    const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
    const pekka = await Person.open(browser, 'Pekka Provider', 'provider', 'fi-FI')
    const kaisa = await Person.open(browser, 'Kaisa Customer', 'customer')
    await fac.openBoard(board.links.facilitator)
    await pekka.openBoard(board.links.provider)
    await kaisa.openBoard(board.links.customer)
    const a = await noteInZone(pekka, 'functional', -0.5, 'Faster onboarding')
    const b = await noteInZone(kaisa, 'ease', 0.5, 'One contact person')
    const c = await noteInZone(kaisa, 'tableStakes', 0, 'Clear pricing')
    await expect.poll(() => fac.noteIds()).toEqual(expect.arrayContaining([a, b, c]))

    await fac.page.getByTestId('vote-dots').fill('2')
    await fac.page.getByTestId('vote-start').click()
    await expect(pekka.page.getByTestId('vote-left')).toHaveText('2 pistettä jäljellä / 2')
    await expect(kaisa.page.getByTestId('vote-left')).toHaveText('2 dots left of 2')
    // The facilitator has no dot controls and sees nobody's dots.
    await expect(fac.page.getByTestId('dot-control')).toHaveCount(0)
    await expect(fac.page.getByTestId('vote-voters')).toHaveText('Nobody has voted yet')

    const add = (p: Person, id: string) => p.page.locator(`[data-testid="dot-control"][data-note="${id}"] [data-testid="dot-add"]`)
    await pekka.zoomTo('pyramid-1')
    const before = await pekka.note(a)
    await add(pekka, a).click()
    await expect(pekka.page.getByTestId('vote-left')).toHaveText('1 piste jäljellä / 2')
    // Keyboard: the + of the next note is reachable and works with Enter; the note did not move or get selected.
    await add(pekka, b).focus()
    await pekka.page.keyboard.press('Enter')
    await expect(pekka.page.getByTestId('vote-left')).toHaveText('Ei pisteitä jäljellä / 2')
    expect(await pekka.note(a)).toEqual(before)
    expect(await pekka.page.evaluate(() => window.__arvo!.editor.getSelectedShapeIds())).toEqual([])
    // Over budget: the server refuses (409) and the reason shows in Finnish.
    await add(pekka, c).click()
    await expect(pekka.page.getByTestId('notice')).toHaveText('Pisteesi ovat loppuneet. Ota ensin piste pois toiselta lapulta.')
    await pekka.screenshot('workshop-vote-fi')

    await kaisa.zoomTo('pyramid-1')
    await add(kaisa, c).click()
    await expect(kaisa.page.getByTestId('vote-left')).toHaveText('1 dot left of 2')
    // The customer's own view of the votes holds only her ballot.
    const mine = await kaisa.page.evaluate(async () => {
      const { boardId, access } = { boardId: location.pathname.split('/').pop()!, access: window.__arvo!.access }
      const r = await fetch(`/api/boards/${boardId}/votes`, { headers: { authorization: `Bearer ${access.token}`, 'x-arvo-person': access.person } })
      return r.json()
    })
    expect(mine.mine.dots).toEqual({ [c]: 1 })
    expect(JSON.stringify(mine)).not.toContain(a)
    await expect(fac.page.getByTestId('vote-voters')).toHaveText('2 people have voted')
    await fac.screenshot('workshop-vote-facilitator-en')

    await fac.page.getByTestId('vote-close').click()
    for (const p of [fac, pekka, kaisa]) await expect(p.page.getByTestId('results-panel')).toBeVisible()
    await expect(kaisa.page.getByTestId('dot-control')).toHaveCount(0)
    const dotsOn = (p: Person, id: string) => p.page.locator(`[data-testid="result-dots"][data-note="${id}"]`)
    await expect(dotsOn(kaisa, a)).toHaveAttribute('data-provider', '1')
    await expect(dotsOn(kaisa, c)).toHaveAttribute('data-customer', '1')
    await expect(dotsOn(kaisa, c)).toHaveAttribute('data-provider', '0')
    await expect(kaisa.page.getByTestId('result-ranked').locator('li')).toHaveCount(3)
    await expect(kaisa.page.getByTestId('result-disagreements')).toContainText('Clear pricing')
    await expect(pekka.page.getByTestId('results-panel')).toContainText('Äänestyksen tulos')
    await pekka.screenshot('workshop-results-fi')
    await kaisa.screenshot('workshop-results-en')
  })
})
