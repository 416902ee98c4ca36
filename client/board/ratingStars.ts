/**
 * Where a rating label's stars are drawn (RATE-3): read from the rendered label in the DOM.
 * tldraw centres a geo shape's text and may wrap it, and the words around the stars differ
 * per language ("Asiakas: ★★★☆☆ 3/5"), so only the rendered glyphs say where star n is.
 */
import type { Editor, TLShape } from 'tldraw'
import type { RatingValue, StarBox } from '../../shared/domain/index.ts'

const STAR = /[★☆]/

/**
 * Page-space boxes of the star glyphs (★ / ☆) in the label of `shape` as this browser draws
 * it, left to right; null when the shape is not rendered or its label does not show five stars.
 */
export function measureRatingStars(editor: Editor, shape: TLShape): StarBox[] | null {
  const label = editor.getContainer().querySelector(`.tl-shape[data-shape-id="${CSS.escape(shape.id)}"] .tl-rich-text`)
  if (!label) return null
  const boxes: StarBox[] = []
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT)
  const range = document.createRange()
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? ''
    for (let i = 0; i < text.length; i++) {
      if (!STAR.test(text[i]!)) continue
      range.setStart(node, i)
      range.setEnd(node, i + 1)
      const r = range.getBoundingClientRect()
      if (r.width <= 0 || r.height <= 0) return null
      const a = editor.screenToPage({ x: r.left, y: r.top })
      const b = editor.screenToPage({ x: r.right, y: r.bottom })
      boxes.push({ x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y })
    }
  }
  return boxes.length === 5 ? boxes.sort((p, q) => p.x - q.x) : null
}

/** What hovering a rating shows: the value a click would set, and where its stars are. */
export interface RatingHover {
  shapeId: string
  value: RatingValue
  /** The five star boxes (page coordinates), left to right. */
  stars: StarBox[]
}
