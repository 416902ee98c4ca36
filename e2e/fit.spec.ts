import { TEMPLATE_KINDS, templatePlacements, type TemplateKind } from '../shared/domain/index.ts'
import type { Language } from '../shared/i18n/index.ts'
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { expect, Person, SCREENSHOT_DIR, test } from './fixtures.ts'

/**
 * TPL-9: every template part's text, as tldraw renders it in the browser, fits in every viewer
 * language whatever language the template was placed in. Measured on the rendered text (Range
 * client rects of each word and line), converted to page space.
 */

const LANGS: Language[] = ['en', 'fi', 'et', 'ru']

interface Box {
  x: number
  y: number
  maxX: number
  maxY: number
}

interface Measured {
  id: string
  part: string
  kind: string
  zone: string | null
  /** One rect per rendered line of text, page space. */
  lines: Box[]
  /** Words whose rects lie on more than one line. */
  brokenWords: string[]
  /** The part's own box (text shape: its wrapping width; geo shape: its record box), page space. */
  own: Box
  /** Line rects corners outside the part's zone polygon, when the part belongs to a zone. */
  outsideZone: string[]
}

/** Measures every template part of `instance` as this page renders it (the template must be on screen). */
async function measure(page: Page, instance: string): Promise<Measured[]> {
  return page.evaluate((inst) => {
    const editor = window.__arvo!.editor
    const toPage = (r: DOMRect) => {
      const a = editor.screenToPage({ x: r.left, y: r.top })
      const b = editor.screenToPage({ x: r.right, y: r.bottom })
      return { x: a.x, y: a.y, maxX: b.x, maxY: b.y }
    }
    const out: Measured[] = []
    for (const s of editor.getCurrentPageShapes()) {
      const meta = (s.meta as { arvo?: { kind?: string; instance?: string; zone?: string } }).arvo
      if (!meta || meta.instance !== inst || meta.kind === 'note') continue
      const el = document.querySelector(`.tl-shape[data-shape-id="${s.id}"] .tl-rich-text`)
      if (!el || !(el.textContent ?? '').trim()) continue
      const lines: Box[] = []
      const brokenWords: string[] = []
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange()
        range.selectNodeContents(n)
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
        lines.push(...rects.map(toPage))
        const text = n.textContent ?? ''
        for (const m of text.matchAll(/\S+/g)) {
          const wr = document.createRange()
          wr.setStart(n, m.index)
          wr.setEnd(n, m.index + m[0].length)
          const wordRects = [...wr.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
          const tops: number[] = []
          for (const r of wordRects) {
            if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top)
          }
          if (tops.length > 1) brokenWords.push(m[0])
        }
      }
      const props = s.props as { w: number; h: number; scale?: number }
      const own =
        s.type === 'text'
          ? { x: s.x, y: s.y, maxX: s.x + props.w * (props.scale ?? 1), maxY: Infinity }
          : { x: s.x, y: s.y, maxX: s.x + props.w, maxY: s.y + props.h }
      const outsideZone: string[] = []
      if (meta.zone && meta.kind !== 'zone') {
        const zoneShape = editor.getShape(`shape:${inst}.zone.${meta.zone}` as never)
        if (zoneShape) {
          for (const l of lines) {
            for (const c of [
              { x: l.x, y: l.y },
              { x: l.maxX, y: l.y },
              { x: l.x, y: l.maxY },
              { x: l.maxX, y: l.maxY },
            ]) {
              if (!editor.isPointInShape(zoneShape, c, { hitInside: true, margin: 0 })) {
                outsideZone.push(`(${Math.round(c.x)}, ${Math.round(c.y)})`)
              }
            }
          }
        }
      }
      out.push({
        id: s.id,
        part: s.id.slice(`shape:${inst}.`.length),
        kind: meta.kind ?? '',
        zone: meta.zone ?? null,
        lines,
        brokenWords,
        own,
        outsideZone,
      })
    }
    return out
  }, instance)
}

/** Text the viewer sees in a part (for messages). */
async function texts(page: Page, ids: string[]): Promise<Record<string, string>> {
  return page.evaluate((list) => {
    const o: Record<string, string> = {}
    for (const id of list) {
      o[id] = (document.querySelector(`.tl-shape[data-shape-id="${id}"] .tl-rich-text`)?.textContent ?? '').trim()
    }
    return o
  }, ids)
}

/** How much two boxes overlap in both directions (page px); ≤ 0 when they do not intersect. */
function overlap(a: Box, b: Box): number {
  return Math.min(Math.min(a.maxX, b.maxX) - Math.max(a.x, b.x), Math.min(a.maxY, b.maxY) - Math.max(a.y, b.y))
}

/** Page px of tolerance for rounding in the screen → page conversion. */
const EPS = 1

/** Every fit problem of one template as seen by a viewer of `viewer` (empty = fits). */
async function problems(page: Page, kind: TemplateKind, instance: string, bounds: Box, where: string): Promise<string[]> {
  const parts = await measure(page, instance)
  expect(parts.length, `${where}: no rendered template parts of ${instance}`).toBeGreaterThan(10)
  const shown = await texts(
    page,
    parts.map((p) => p.id),
  )
  const found: string[] = []
  const name = (p: Measured) => `${kind} part ${p.part} («${shown[p.id]}»)`
  for (const p of parts) {
    for (const w of p.brokenWords) found.push(`${where}: ${name(p)}: word «${w}» is broken over two lines`)
    for (const l of p.lines) {
      if (l.x < bounds.x - EPS || l.y < bounds.y - EPS || l.maxX > bounds.maxX + EPS || l.maxY > bounds.maxY + EPS) {
        found.push(`${where}: ${name(p)}: text lies outside the template's bounds`)
        break
      }
    }
    for (const l of p.lines) {
      if (l.x < p.own.x - EPS || l.y < p.own.y - EPS || l.maxX > p.own.maxX + EPS || l.maxY > p.own.maxY + EPS) {
        found.push(`${where}: ${name(p)}: text sticks out of its own shape`)
        break
      }
    }
    if (p.outsideZone.length > 0) {
      found.push(`${where}: ${name(p)}: text leaves its zone ${p.zone} at ${p.outsideZone.slice(0, 2).join(', ')}`)
    }
  }
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      const a = parts[i]!
      const b = parts[j]!
      if (a.lines.some((la) => b.lines.some((lb) => overlap(la, lb) > EPS))) {
        found.push(`${where}: ${name(a)} and ${name(b)}: texts overlap`)
      }
    }
  }
  return found
}

/**
 * The measurements above are taken with the whole template zoomed into view; tldraw lays text
 * out in page space, so the lines must be the same at zoom 1. Checked on the parts that are on
 * screen at zoom 1 around the middle of the pyramid.
 */
async function sameAtZoomOne(page: Page, instance: string): Promise<void> {
  const fit = await measure(page, instance)
  const z = await page.evaluate((inst) => {
    const editor = window.__arvo!.editor
    const b = editor.getShapePageBounds(`shape:${inst}.zone.ease` as never)!
    editor.setCamera({ ...editor.getCamera(), z: 1 })
    editor.centerOnPoint({ x: b.center.x, y: b.center.y })
    return editor.getZoomLevel()
  }, instance)
  expect(z).toBe(1)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  const one = await measure(page, instance)
  const onScreen = one.filter((p) => p.lines.length > 0)
  expect(onScreen.length).toBeGreaterThan(5)
  for (const p of onScreen) {
    const q = fit.find((f) => f.id === p.id)!
    expect(q.lines.length, `${p.part}: line count at zoom 1`).toBe(p.lines.length)
    p.lines.forEach((l, i) => {
      expect(Math.abs(l.maxX - l.x - (q.lines[i]!.maxX - q.lines[i]!.x)), `${p.part}: line width at zoom 1`).toBeLessThan(2)
      expect(Math.abs(l.x - q.lines[i]!.x), `${p.part}: line position at zoom 1`).toBeLessThan(2)
    })
  }
}

/** A screenshot of the part of the screen a template covers. */
async function screenshotTemplate(page: Page, bounds: Box, name: string): Promise<void> {
  const clip = await page.evaluate((b) => {
    const editor = window.__arvo!.editor
    const a = editor.pageToScreen({ x: b.x, y: b.y })
    const c = editor.pageToScreen({ x: b.maxX, y: b.maxY })
    const x = Math.max(0, a.x)
    const y = Math.max(0, a.y)
    return { x, y, width: Math.min(window.innerWidth, c.x) - x, height: Math.min(window.innerHeight, c.y) - y }
  }, bounds)
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), clip })
}

test.describe('TPL-9 template texts fit in every language', () => {
  for (const placed of LANGS) {
    test(`TPL-9 templates placed in ${placed}: no broken word, no overlapping or escaping label for en/fi/et/ru viewers`, async ({
      browser,
      server,
    }) => {
      const kinds = [...TEMPLATE_KINDS]
      const boardUrl = `${server.url}/b/${await server.createBoard(kinds, placed)}`
      const placements = templatePlacements(kinds)
      // Measured at device pixel ratio 2 (sharp screenshots) for the English placement, 1 for the others.
      const context = await browser.newContext({
        locale: 'en',
        viewport: { width: 1600, height: 1000 },
        deviceScaleFactor: placed === 'en' ? 2 : 1,
      })
      const viewer = new Person(context, await context.newPage(), 'Fit Checker', 'customer')
      await viewer.openBoard(boardUrl)
      const found: string[] = []
      for (const lang of LANGS) {
        await viewer.page.getByTestId('language-picker').first().selectOption(lang)
        for (const p of placements) {
          await viewer.zoomTo(p.instance)
          // Fonts must be loaded before text is measured.
          await viewer.page.evaluate(() => document.fonts.ready.then(() => undefined))
          const bounds = { x: p.origin.x, y: p.origin.y, maxX: p.origin.x + p.size.w, maxY: p.origin.y + p.size.h }
          found.push(...(await problems(viewer.page, p.kind, p.instance, bounds, `placed in ${placed}, read in ${lang}`)))
          if (placed === 'en') await screenshotTemplate(viewer.page, bounds, `fit-${p.kind}-${lang}`)
          if (placed === 'en' && lang === 'ru' && p.kind === 'pyramid') await sameAtZoomOne(viewer.page, p.instance)
        }
      }
      await viewer.close()
      expect(found, found.join('\n')).toEqual([])
    })
  }
})
