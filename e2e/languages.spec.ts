import { buildTemplate, ratingText, richTextToPlain } from '../shared/domain/index.ts'
import type { Language } from '../shared/i18n/index.ts'
import { expect, Person, test } from './fixtures.ts'

/** The plain text of one template part as the template is built in `lang`. */
function partText(kind: 'roleMap' | 'staircase', part: string, lang: Language): string {
  const shape = buildTemplate(kind, { instance: 'x', origin: { x: 0, y: 0 }, language: lang }).find((s) => s.id === `shape:x.${part}`)
  if (!shape) throw new Error(`no part ${part}`)
  return richTextToPlain((shape.props as { richText: unknown }).richText)
}

test.describe('languages per person', () => {
  test('E2E-8 I18N-C1 a Finnish-placed role map and staircase read in each person’s own language; notes are not translated', async ({ browser, server }) => {
    const boardUrl = `${server.url}/b/${await server.createBoard(['roleMap', 'staircase'], 'fi')}`
    const provider = await Person.open(browser, 'Pia', 'provider', 'fi-FI')
    const customer = await Person.open(browser, 'Иван', 'customer', 'ru-RU')
    await provider.openBoard(boardUrl)
    await customer.openBoard(boardUrl)

    // The provider writes a note in Finnish; the customer rates a step.
    await provider.zoomTo('roleMap-1')
    await provider.noteInZone('roleMap-1', 'design.shared', 'Yhteinen tavoite', 0, 0.5)
    await customer.zoomTo('staircase-1')
    await customer.clickRating('staircase-1', 'relevance', 'customer', 4)
    await expect.poll(() => customer.ratingValue('staircase-1', 'relevance', 'customer')).toBe(4)

    const title = 'label.title'
    const cell = 'label.design.shared.prompt'
    const step = 'label.relevance.title'

    // Each person sees the texts in their language (the DOM of the canvas), the stored records stay Finnish.
    const canvasText = (p: Person) => p.page.locator('.tl-canvas').innerText()
    await customer.zoomTo()
    await provider.zoomTo()
    await expect.poll(() => canvasText(customer)).toContain(partText('roleMap', title, 'ru'))
    expect(await canvasText(customer)).toContain(partText('roleMap', cell, 'ru'))
    expect(await canvasText(customer)).not.toContain(partText('roleMap', title, 'fi'))
    expect(await canvasText(customer)).toContain(ratingText('customer', 4, 'ru'))
    expect(await canvasText(provider)).toContain(partText('roleMap', title, 'fi'))
    expect(await canvasText(provider)).toContain(ratingText('customer', 4, 'fi'))
    expect(await canvasText(customer)).toContain(partText('staircase', step, 'ru'))
    // Board content is never translated.
    await expect.poll(() => canvasText(customer)).toContain('Yhteinen tavoite')
    const stored = await customer.page.evaluate(() => {
      const s = window.__arvo!.editor.getShape('shape:roleMap-1.label.title' as never)!
      return window.__arvo!.editor.getShapeUtil(s).getText?.(s)
    })
    expect(stored).toBe(partText('roleMap', title, 'ru'))
    const record = await customer.page.evaluate(() => JSON.stringify(window.__arvo!.editor.getShape('shape:roleMap-1.label.title' as never)!.props))
    expect(record).toContain(JSON.stringify(partText('roleMap', title, 'fi')).slice(1, -1).split('\n')[0])
    // tldraw's own UI follows: Russian tool names, the page name in Russian.
    await expect(customer.page.getByTestId('tools.select')).toHaveAttribute('aria-label', /Перемещение/)
    await expect(customer.page.getByTestId('page-name')).toHaveText('Доска')
    await customer.screenshot('languages-ru-viewer-of-fi-board')
    for (const instance of ['roleMap-1', 'staircase-1']) {
      await customer.zoomTo(instance)
      await customer.screenshot(`languages-ru-viewer-of-fi-${instance}`)
    }

    // The customer switches to Estonian: template texts follow at once; tldraw (no Estonian) falls back to English.
    await customer.page.getByTestId('language-picker').first().selectOption('et')
    await expect.poll(() => canvasText(customer)).toContain(partText('roleMap', title, 'et'))
    expect(await canvasText(customer)).toContain(ratingText('customer', 4, 'et'))
    await expect(customer.page.getByTestId('tools.select')).toHaveAttribute('aria-label', /Select/)
    await expect(customer.page.getByTestId('page-name')).toHaveText('Tahvel')
    // The provider's view did not change.
    expect(await canvasText(provider)).toContain(partText('roleMap', title, 'fi'))
    await customer.screenshot('languages-et-viewer-of-fi-board')
    await provider.screenshot('languages-fi-viewer-of-fi-board')
    await provider.close()
    await customer.close()
  })
})
