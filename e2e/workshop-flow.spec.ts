/**
 * E2E-15 (issue 11): one complete value workshop run from the facilitator's panel through the
 * ready-made agenda, with three browser contexts — the facilitator (English), a provider
 * participant (Finnish) and a customer participant (English) whose computer clock is seven
 * minutes fast. Title, timer against the server's clock, silent ideas → reveal, dot vote →
 * results by side, bring everyone here, spotlight, lock; screenshots of each step in both
 * languages (e2e/screenshots/flow-*.png).
 */
import { expect, Person, test } from './fixtures.ts'

const SKEW_MS = 7 * 60_000

/** Seconds shown by a person's timer ("7:58" → 478). */
async function timerSeconds(p: Person): Promise<number> {
  const text = (await p.page.getByTestId('timer-clock').innerText()).trim()
  const m = /(\d+):(\d\d)/.exec(text)
  if (!m) throw new Error(`timer shows "${text}"`)
  return Number(m[1]) * 60 + Number(m[2])
}

async function noteIn(p: Person, instance: string, zone: string, fx: number, text: string): Promise<string> {
  await p.zoomTo(instance)
  const pt = await p.zonePoint(instance, zone, fx, 0)
  return p.createNote(pt.x, pt.y, text)
}

test('E2E-15 a whole value workshop through the agenda: timer on the server clock, silent ideas, vote by side, bring everyone, spotlight, lock', async ({ browser, server }) => {
  test.setTimeout(240_000)
  const board = await server.createBoardWithLinks(['pyramid', 'staircase', 'actionPlan'], 'en')
  const fac = await Person.facilitator(browser, 'Fiona Facilitator', 'provider')
  const pekka = await Person.open(browser, 'Pekka Provider', 'provider', 'fi-FI')
  const kaisa = await Person.open(browser, 'Kaisa Customer', 'customer')
  // Kaisa's computer clock is seven minutes fast.
  await kaisa.context.addInitScript((skew) => {
    const RealDate = Date
    const realNow = RealDate.now.bind(RealDate)
    class SkewedDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(realNow() + skew)
        else super(...(args as [number]))
      }
      static now() {
        return realNow() + skew
      }
    }
    ;(globalThis as { Date: DateConstructor }).Date = SkewedDate as DateConstructor
  }, SKEW_MS)
  await fac.openBoard(board.links.facilitator)
  await pekka.openBoard(board.links.provider)
  await kaisa.openBoard(board.links.customer)
  expect(await kaisa.page.evaluate(() => Date.now() - performance.timeOrigin - performance.now())).toBeGreaterThan(SKEW_MS - 5000)

  // Title: everyone sees it, in the top bar and the browser tab.
  await fac.page.getByTestId('title-rename').click()
  await fac.page.getByTestId('title-input').fill('Acme × Globex value workshop')
  await fac.page.getByTestId('title-save').click()
  for (const p of [pekka, kaisa]) {
    await expect(p.page.getByTestId('board-title')).toHaveText('Acme × Globex value workshop')
    await expect(p.page).toHaveTitle(/Acme × Globex value workshop/)
  }

  // The ready-made agenda; everyone sees where the workshop is.
  await fac.page.getByTestId('agenda-load-value').click()
  const confirm = fac.page.getByTestId('agenda-replace-confirm')
  if (await confirm.isVisible()) await confirm.click()
  await expect(fac.page.getByTestId('agenda-phase')).toHaveCount(5)
  await fac.page.getByTestId('agenda-next').click()

  // Phase 1, silent ideas on the pyramid: the timer runs for everyone, the same on Kaisa's fast clock.
  for (const p of [pekka, kaisa]) {
    await expect(p.page.getByTestId('agenda-strip')).toBeVisible()
    await expect(p.page.getByTestId('timer-clock')).toBeVisible()
    await expect(p.page.getByTestId('private-banner')).toBeVisible()
    await expect(p.page.getByTestId('spotlight-dim')).toBeVisible()
  }
  const [tp, tk, tf] = [await timerSeconds(pekka), await timerSeconds(kaisa), await timerSeconds(fac)]
  expect(Math.abs(tp - tk), `Pekka ${tp}s, Kaisa (clock +7 min) ${tk}s`).toBeLessThanOrEqual(2)
  expect(Math.abs(tf - tk)).toBeLessThanOrEqual(2)
  expect(tk).toBeGreaterThan(7 * 60)
  expect(tk).toBeLessThanOrEqual(8 * 60)
  const pekkaIdea = await noteIn(pekka, 'pyramid-1', 'functional', -0.5, 'Nopeampi käyttöönotto')
  const kaisaIdea = await noteIn(kaisa, 'pyramid-1', 'ease', 0.4, 'One contact person for everything')
  const kaisaIdea2 = await noteIn(kaisa, 'pyramid-1', 'tableStakes', 0.3, 'Clear monthly pricing')
  await expect(fac.page.getByTestId('private-counts').locator('li')).toHaveCount(2)
  expect(await fac.noteIds()).not.toContain(pekkaIdea)
  await fac.screenshot('flow-1-silent-facilitator-en')
  await pekka.screenshot('flow-1-silent-fi')

  // Phase 2, discuss: the round is revealed, the spotlight released.
  await fac.page.getByTestId('agenda-next').click()
  await expect.poll(() => fac.noteIds()).toEqual(expect.arrayContaining([pekkaIdea, kaisaIdea, kaisaIdea2]))
  await expect.poll(() => pekka.noteIds()).toEqual(expect.arrayContaining([kaisaIdea, kaisaIdea2]))
  for (const p of [pekka, kaisa]) await expect(p.page.getByTestId('spotlight-dim')).toHaveCount(0)
  await kaisa.screenshot('flow-2-revealed-en')

  // Phase 3, the vote (3 dots, one per note, the pyramid): dots by both sides.
  await fac.page.getByTestId('agenda-next').click()
  const add = (p: Person, id: string) => p.page.locator(`[data-testid="dot-control"][data-note="${id}"] [data-testid="dot-add"]`)
  await pekka.zoomTo('pyramid-1')
  await kaisa.zoomTo('pyramid-1')
  await expect(pekka.page.getByTestId('vote-left')).toBeVisible()
  await add(pekka, pekkaIdea).click()
  await add(pekka, kaisaIdea).click()
  await add(kaisa, kaisaIdea2).click()
  await add(kaisa, kaisaIdea).click()
  await expect(fac.page.getByTestId('vote-voters')).toHaveText('2 people have voted')
  await pekka.screenshot('flow-3-vote-fi')

  // Phase 4, rate the staircase: the vote closes, results by side for everyone; the spotlight moves.
  await fac.page.getByTestId('agenda-next').click()
  for (const p of [fac, pekka, kaisa]) await expect(p.page.getByTestId('results-panel')).toBeVisible()
  const dotsOn = (p: Person, id: string) => p.page.locator(`[data-testid="result-dots"][data-note="${id}"]`)
  await expect(dotsOn(fac, kaisaIdea)).toHaveAttribute('data-provider', '1')
  await expect(dotsOn(fac, kaisaIdea)).toHaveAttribute('data-customer', '1')
  await expect(dotsOn(fac, pekkaIdea)).toHaveAttribute('data-customer', '0')
  for (const p of [pekka, kaisa]) await expect(p.page.getByTestId('spotlight-dim')).toBeVisible()
  await fac.screenshot('flow-4-results-facilitator-en')
  await pekka.screenshot('flow-4-results-fi')
  const summary = await fac.fetchJson<{ title: string; vote: { ranked: { noteId: string; provider: number; customer: number }[] } }>(
    `/api/boards/${board.id}/summary.json`,
  )
  expect(summary.title).toBe('Acme × Globex value workshop')
  expect(summary.vote.ranked[0]).toMatchObject({ noteId: kaisaIdea, provider: 1, customer: 1 })

  // Bring everyone to my view: the participants' cameras follow the facilitator's.
  await fac.page.getByTestId('spotlight-off').click().catch(() => {})
  await fac.zoomTo('actionPlan-1')
  await fac.page.getByTestId('bring-everyone').click()
  await fac.page.evaluate(() => window.__arvo!.editor.setCamera({ x: -1234, y: -321, z: 0.6 }))
  const camera = (p: Person) => p.page.evaluate(() => window.__arvo!.editor.getCamera())
  const facCam = await camera(fac)
  for (const p of [pekka, kaisa]) {
    await expect.poll(async () => Math.abs((await camera(p)).z - facCam.z), { timeout: 10_000 }).toBeLessThan(0.05)
  }
  await kaisa.screenshot('flow-5-following-en')
  await fac.page.getByTestId('release-everyone').click()

  // Lock: participants see it and cannot write.
  await fac.page.getByTestId('board-lock-toggle').click()
  for (const p of [pekka, kaisa]) await expect(p.page.getByTestId('board-locked-banner')).toBeVisible()
  expect(await pekka.page.evaluate(() => window.__arvo!.editor.getInstanceState().isReadonly)).toBe(true)
  await pekka.screenshot('flow-6-locked-fi')
  await fac.page.getByTestId('board-lock-toggle').click()
  for (const p of [pekka, kaisa]) await expect(p.page.getByTestId('board-locked-banner')).toHaveCount(0)
})
