/**
 * Measurements in the page for the layout and theme specs (ux.spec.ts): text contrast (WCAG),
 * screen boxes of panels, the canvas fraction they cover, and the rendered size of note text.
 * Everything is read from the DOM as the browser drew it, not from Arvo's code.
 */
import type { Page } from '@playwright/test'

export interface Rect {
  x: number
  y: number
  w: number
  h: number
  /** Which element it is (for messages). */
  what: string
}

/** Arvo's panels, badges and dialogs: every element whose text the contrast check reads. */
export const ARVO_ROOTS = [
  '.arvo-panel',
  '.arvo-toolbar-group',
  '.arvo-notice',
  '.arvo-banner',
  '.arvo-role-banner',
  '.arvo-hint',
  '.arvo-action-badge',
  '.arvo-page-name',
  '.arvo-card',
  '.arvo-page',
].join(', ')

export interface ContrastResult {
  checked: number
  failures: { text: string; ratio: number; need: number; fg: string; bg: string }[]
}

/**
 * For every visible element under `roots` that has text of its own (or is a form field), the
 * WCAG contrast of its computed colour against its effective background: the backgrounds of it
 * and its ancestors composited up to the first opaque one (tldraw's canvas colour if none),
 * with the element's and its ancestors' opacity applied to the text. Needs 4.5, or 3 for large
 * text (24 px, or 18.66 px bold).
 */
export async function contrast(page: Page, roots = ARVO_ROOTS): Promise<ContrastResult> {
  return page.evaluate((sel) => {
    type RGBA = [number, number, number, number]
    const probe = document.createElement('div')
    document.body.appendChild(probe)
    const toRgba = (css: string): RGBA | null => {
      probe.style.color = ''
      probe.style.color = css
      const c = getComputedStyle(probe).color
      const m = /^rgba?\(([^)]+)\)$/.exec(c)
      if (!m) return null
      const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number)
      return [p[0]!, p[1]!, p[2]!, p[3] ?? 1]
    }
    const over = (top: RGBA, bottom: RGBA): RGBA => {
      const a = top[3]
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1]
    }
    const lum = (c: RGBA) => {
      const f = (v: number) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      }
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    }
    const container = document.querySelector('.tl-container')
    const canvasColour =
      (container && toRgba(getComputedStyle(container).getPropertyValue('--tl-color-background').trim())) ?? ([255, 255, 255, 1] as RGBA)
    const background = (el: Element): RGBA => {
      const layers: RGBA[] = []
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = toRgba(getComputedStyle(n).backgroundColor)
        if (c && c[3] > 0) {
          layers.push(c)
          if (c[3] >= 1) break
        }
      }
      let out: RGBA = layers.length && layers[layers.length - 1]![3] >= 1 ? layers.pop()! : canvasColour
      for (const l of layers.reverse()) out = over(l, out)
      return out
    }
    const opacity = (el: Element) => {
      let o = 1
      for (let n: Element | null = el; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity)
      return o
    }
    const ownText = (el: Element) =>
      [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim()
    const seen = new Set<Element>()
    const out: { text: string; ratio: number; need: number; fg: string; bg: string }[] = []
    let checked = 0
    for (const root of document.querySelectorAll(sel)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (seen.has(el)) continue
        seen.add(el)
        const field = el.matches('select, input:not([type=radio]):not([type=checkbox])')
        const text = field ? ((el as HTMLInputElement).value || (el as HTMLInputElement).placeholder || '').trim() : ownText(el)
        if (!text) continue
        if (el.closest(':disabled')) continue // WCAG exempts inactive controls
        const r = el.getBoundingClientRect()
        const cs = getComputedStyle(el)
        if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden' || el.getClientRects().length === 0) continue
        const fg0 = toRgba(cs.color)
        if (!fg0) {
          out.push({ text, ratio: 0, need: 4.5, fg: cs.color, bg: 'unparsed' })
          continue
        }
        const bg = background(el)
        const fg = over([fg0[0], fg0[1], fg0[2], fg0[3] * opacity(el)], bg)
        const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number]
        const ratio = (hi + 0.05) / (lo + 0.05)
        const size = parseFloat(cs.fontSize)
        const bold = Number(cs.fontWeight) >= 700
        const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5
        checked++
        const rgb = (c: RGBA) => `rgb(${c.slice(0, 3).map(Math.round).join(',')})`
        if (ratio < need) out.push({ text: text.slice(0, 60), ratio: Math.round(ratio * 100) / 100, need, fg: rgb(fg), bg: rgb(bg) })
      }
    }
    probe.remove()
    return { checked, failures: out }
  }, roots)
}

/** Screen boxes of the elements matching `selector` that are drawn (non-empty). */
export async function boxes(page: Page, selector: string): Promise<Rect[]> {
  return page.evaluate((sel) => {
    return [...document.querySelectorAll(sel)]
      .map((el) => {
        const r = el.getBoundingClientRect()
        const what = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}`
        return { x: r.left, y: r.top, w: r.width, h: r.height, what }
      })
      .filter((r) => r.w > 0 && r.h > 0)
  }, selector)
}

/** Arvo's own panels floating over the canvas (what PNL-1 measures). */
export const ARVO_PANELS = [
  '[data-testid=participants-slot]',
  '[data-testid=participants-show]',
  '.arvo-left > *',
  '.arvo-picker > .arvo-toolbar-group',
  '.arvo-picker > .arvo-picker-menu',
  '.arvo-top-center > :not(.arvo-picker)',
].join(', ')

/** tldraw's own panels: main menu, style panel, toolbar, zoom controls, helper buttons. */
export const TLDRAW_PANELS = [
  '.tlui-menu-zone',
  '.tlui-style-panel__wrapper',
  '.tlui-main-toolbar',
  '.tlui-navigation-panel',
  '.tlui-helper-buttons > *',
].join(', ')

export function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** The fraction of a `vw` × `vh` viewport covered by the union of `rects` (counted on a 2 px grid). */
export function coveredFraction(rects: readonly Rect[], vw: number, vh: number): number {
  const cell = 2
  const cols = Math.ceil(vw / cell)
  const rows = Math.ceil(vh / cell)
  const grid = new Uint8Array(cols * rows)
  for (const r of rects) {
    const x0 = Math.max(0, Math.floor(r.x / cell))
    const x1 = Math.min(cols, Math.ceil((r.x + r.w) / cell))
    const y0 = Math.max(0, Math.floor(r.y / cell))
    const y1 = Math.min(rows, Math.ceil((r.y + r.h) / cell))
    for (let y = y0; y < y1; y++) grid.fill(1, y * cols + x0, y * cols + x1)
  }
  let n = 0
  for (const v of grid) n += v
  return n / grid.length
}

/** The size (CSS px on screen) at which a note's text is drawn: its font size × the scale it is drawn at. */
export async function noteTextScreenPx(page: Page, noteId: string): Promise<number> {
  return page.evaluate((id) => {
    const shape = document.querySelector(`.tl-shape[data-shape-id="${id}"]`) as HTMLElement | null
    const text = shape?.querySelector('.tl-rich-text') as HTMLElement | null
    if (!shape || !text) throw new Error(`note ${id} is not drawn`)
    // Screen width over layout width: the zoom the canvas applies to it.
    const scale = shape.getBoundingClientRect().width / shape.offsetWidth
    return parseFloat(getComputedStyle(text).fontSize) * scale
  }, noteId)
}

/**
 * The text boxes of each button matching `selector`: its box, its text's line boxes, and whether
 * its content overflows (text wider than the button).
 */
export async function labelBoxes(page: Page, selector: string): Promise<{ text: string; box: Rect; lines: number; overflow: boolean; textBox: Rect }[]> {
  return page.evaluate((sel) => {
    return [...document.querySelectorAll(sel)].map((el) => {
      const r = el.getBoundingClientRect()
      const range = document.createRange()
      range.selectNodeContents(el)
      const lineTops = new Set([...range.getClientRects()].filter((c) => c.width > 0).map((c) => Math.round(c.top)))
      const t = range.getBoundingClientRect()
      return {
        text: el.textContent ?? '',
        box: { x: r.left, y: r.top, w: r.width, h: r.height, what: el.textContent ?? '' },
        lines: lineTops.size,
        overflow: (el as HTMLElement).scrollWidth > (el as HTMLElement).clientWidth + 0.5,
        textBox: { x: t.left, y: t.top, w: t.width, h: t.height, what: el.textContent ?? '' },
      }
    })
  }, selector)
}

/**
 * Lines that break inside a word in the text under `selector`: for each text node, the
 * characters' line boxes are compared; a new line starting between two letters (no space,
 * hyphen or soft hyphen between them) is a mid-word break. Returns the words broken so.
 */
export async function midWordBreaks(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = []
    for (const root of document.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? ''
        let prevTop: number | null = null
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange()
          range.setStart(n, i)
          range.setEnd(n, i + 1)
          const r = [...range.getClientRects()].find((c) => c.width > 0)
          if (!r) continue
          const top = Math.round(r.top)
          if (prevTop !== null && top > prevTop + 2 && i > 0) {
            const before = text[i - 1]!
            const here = text[i]!
            if (/[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(here)) {
              const start = text.lastIndexOf(' ', i) + 1
              const end = text.indexOf(' ', i)
              out.push(text.slice(start, end < 0 ? undefined : end))
            }
          }
          prevTop = top
        }
      }
    }
    return out
  }, selector)
}

/** Elements under `selector` whose content is wider than their box (cut off or spilling out). */
export async function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto')
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ${el.textContent?.slice(0, 60)}`),
    selector,
  )
}
