import { TEMPLATE_KINDS, type TemplateKind } from '../shared/domain/index.ts'
import type { Language } from '../shared/i18n/index.ts'
import { expect, Person, test } from './fixtures.ts'

/** Who takes part, and what they write, in each language (board content is never translated). */
const CAST: Record<Language, { provider: string; customer: string; providerNotes: string[]; customerNotes: string[]; owner: string }> = {
  en: {
    provider: 'Pia Provider',
    customer: 'Kalle Customer',
    providerNotes: ['Lower total cost', 'Fast support', 'Meets the spec'],
    customerNotes: ['Fair price', 'Peace of mind'],
    owner: 'Pia Provider',
  },
  fi: {
    provider: 'Pia Palveluntarjoaja',
    customer: 'Kalle Asiakas',
    providerNotes: ['Pienemmät kustannukset', 'Nopea tuki', 'Täyttää vaatimukset'],
    customerNotes: ['Reilu hinta', 'Mielenrauha'],
    owner: 'Pia Palveluntarjoaja',
  },
  et: {
    provider: 'Mari Pakkuja',
    customer: 'Jüri Klient',
    providerNotes: ['Väiksemad kulud', 'Kiire tugi', 'Vastab nõuetele'],
    customerNotes: ['Õiglane hind', 'Meelerahu'],
    owner: 'Mari Pakkuja',
  },
  ru: {
    provider: 'Ольга Поставщик',
    customer: 'Иван Клиент',
    providerNotes: ['Ниже затраты', 'Быстрая поддержка', 'Соответствие ТЗ'],
    customerNotes: ['Честная цена', 'Спокойствие'],
    owner: 'Ольга Поставщик',
  },
}

const LANGS: Language[] = ['en', 'fi', 'et', 'ru']
const instanceOf = (kind: TemplateKind) => `${kind}-1`

test.describe('screenshots of every template and panel in every language', () => {
  for (const lang of LANGS) {
    test(`E2E-6 templates, insights and home page in ${lang}`, async ({ browser, server }) => {
      const cast = CAST[lang]
      const provider = await Person.open(browser, cast.provider, 'provider', lang)
      const customer = await Person.open(browser, cast.customer, 'customer', lang)

      // Home page in the browser's language, with two templates chosen.
      await provider.page.goto(server.url)
      await provider.page.getByTestId('template-pyramid').check()
      await provider.page.getByTestId('template-staircase').check()
      await provider.screenshot(`home-${lang}`)

      // A board with all four templates, placed in this language.
      const boardUrl = `${server.url}/b/${await server.createBoard([...TEMPLATE_KINDS], lang)}`
      await provider.openBoard(boardUrl)
      await customer.openBoard(boardUrl)

      // A little workshop: notes in the pyramid, the role map and the action plan, ratings on the staircase.
      await provider.zoomTo('pyramid-1')
      await customer.zoomTo('pyramid-1')
      await provider.noteInFreeSpot('pyramid-1', 'functional', cast.providerNotes[0], -0.45, 0.45)
      await provider.noteInFreeSpot('pyramid-1', 'ease', cast.providerNotes[1], 0.3, 0.5)
      await provider.noteInFreeSpot('pyramid-1', 'tableStakes', cast.providerNotes[2], -0.3, 0.5)
      await customer.noteInFreeSpot('pyramid-1', 'tableStakes', cast.customerNotes[0], 0.3, 0.5)
      await customer.noteInFreeSpot('pyramid-1', 'individual', cast.customerNotes[1], 0.8, 0.5)
      await provider.zoomTo('staircase-1')
      await customer.zoomTo('staircase-1')
      const steps = ['information', 'understanding', 'relevance', 'differentiation', 'delivery']
      for (const [i, step] of steps.slice(0, 4).entries()) await provider.clickRating('staircase-1', step, 'provider', [4, 5, 3, 4][i])
      for (const [i, step] of steps.slice(0, 3).entries()) await customer.clickRating('staircase-1', step, 'customer', [3, 2, 3][i])
      await customer.zoomTo('roleMap-1')
      await customer.noteInFreeSpot('roleMap-1', 'delivery.customer', cast.customerNotes[1], 0, 0.4)
      await customer.zoomTo('actionPlan-1')
      const action = await customer.noteInFreeSpot('actionPlan-1', 'helpSucceed.action', cast.providerNotes[1], -0.3)
      const c = await customer.screenCenter(action)
      await customer.page.keyboard.press('v')
      await customer.page.mouse.click(c.x, c.y)
      await customer.page.getByTestId('action-owner-side-provider').click()
      await customer.page.getByTestId('action-owner').fill(cast.owner)
      await customer.page.getByTestId('action-owner').press('Enter')
      await customer.page.getByTestId('action-due').fill('2026-12-15')
      await expect(customer.page.getByTestId('action-owner-side-provider')).toHaveAttribute('aria-pressed', 'true')
      await customer.screenshot(`action-panel-${lang}`)
      await customer.page.keyboard.press('Escape')
      await expect.poll(async () => (await provider.gapRows()).filter((g) => g.gap !== null).length).toBe(3)

      // Each template filling the screen (insights panel folded away).
      await provider.page.getByTestId('insights-hide').click()
      await provider.page.mouse.move(5, 450)
      for (const kind of TEMPLATE_KINDS) {
        await provider.zoomTo(instanceOf(kind))
        await provider.page.waitForTimeout(150)
        await provider.screenshot(`template-${kind}-${lang}`)
      }

      // The insights panel with the whole board, at 1440×900 and at 1280×720; and the panel in full.
      await provider.page.getByTestId('insights-show').click()
      await provider.zoomTo()
      await provider.screenshot(`insights-${lang}`)
      await provider.page.setViewportSize({ width: 1280, height: 720 })
      await provider.page.waitForFunction(() => window.__arvo!.editor.getViewportScreenBounds().h === 720)
      await provider.zoomTo()
      await provider.screenshot(`board-1280-${lang}`)
      await provider.page.setViewportSize({ width: 1440, height: 2000 })
      await provider.page.getByTestId('insights-panel').locator('summary', { hasText: /./ }).first().waitFor()
      await provider.page.getByTestId('insights-panel').screenshot({ path: `e2e/screenshots/insights-panel-${lang}.png` })

      await provider.close()
      await customer.close()
    })
  }
})
