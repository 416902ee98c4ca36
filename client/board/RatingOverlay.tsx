import { useEffect, useRef } from 'react'
import { useEditor, useValue, type Editor } from 'tldraw'
import { readArvoMeta, setRating, STAIRCASE_STEPS, type RatingValue } from '../../shared/domain/index.ts'
import { t, type Language, sideName } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { useSession } from '../state/session.ts'
import { applyRating } from './behaviour.ts'
import { useBoard } from './context.ts'
import { ratingValueForKey } from './ratingClick.ts'

/**
 * The preview of a rating click (RATE-C1): while the pointer is on a star of this person's own
 * rating, the stars up to it are outlined and a label says "Set 4/5". Nothing is shown on the
 * other side's rating (it cannot be set from here). Page space, never catches the pointer.
 */
function RatingHoverPreview() {
  const { ratingHover, identity } = useBoard()
  const lang = useSession((s) => s.language)
  const hover = useValue(ratingHover)
  const side = identity.side
  if (!hover) return null
  const first = hover.stars[0]!
  const last = hover.stars[hover.value - 1]!
  const pad = first.h * 0.15
  const top = Math.min(...hover.stars.map((s) => s.y))
  const h = Math.max(...hover.stars.map((s) => s.y + s.h)) - top
  return (
    <div
      className={`arvo-rating-preview arvo-rating-preview-${side}`}
      data-testid="rating-preview"
      data-shape={hover.shapeId}
      data-value={hover.value}
      style={{ left: first.x - pad, top: top - pad, width: last.x + last.w - first.x + 2 * pad, height: h + 2 * pad, fontSize: first.h * 0.5 }}
    >
      {/* Readable on screen at any zoom: at least 13 px. */}
      <span className="arvo-rating-preview-label" style={{ fontSize: `max(${first.h * 0.6}px, calc(13px / var(--tl-zoom, 1)))` }}>{t(lang, 'ratingSetTo', { value: hover.value })}</span>
    </div>
  )
}

interface OwnRating {
  id: string
  step: string
  value: RatingValue
  x: number
  y: number
  w: number
  h: number
}

/**
 * Keyboard access to this person's own ratings (RATE-C1): each one is a focusable slider over
 * its rating shape (Tab reaches it); digits 1–5, arrows, Home and End set the value. The
 * element lets the pointer through, so clicks still reach the canvas.
 */
function RatingSlider({ editor, rating, lang, side }: { editor: Editor; rating: OwnRating; lang: Language; side: Side }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    // Natively and on the element itself: tldraw's own key handlers (nudging, tools) must not see these keys.
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return
      const shape = editor.getShape(rating.id as never)
      const meta = shape && readArvoMeta(shape)
      if (!shape || meta?.kind !== 'rating') return
      const next = ratingValueForKey(e.key, meta.value)
      if (next === null) return
      e.preventDefault()
      e.stopPropagation()
      if (next !== meta.value) applyRating(editor, setRating(shape, next))
    }
    // Focusing an element inside the canvas makes the browser scroll tldraw's (overflow: hidden)
    // container to it, which would shift the whole canvas off its camera: undo that.
    const onFocus = () => {
      const root = editor.getContainer()
      for (let n: HTMLElement | null = el.parentElement; n; n = n === root ? null : n.parentElement) {
        if (n.scrollTop || n.scrollLeft) n.scrollTo(0, 0)
      }
    }
    el.addEventListener('keydown', onKey)
    el.addEventListener('focus', onFocus)
    return () => {
      el.removeEventListener('keydown', onKey)
      el.removeEventListener('focus', onFocus)
    }
  }, [editor, rating.id])
  const step = STAIRCASE_STEPS.find((s) => s.id === rating.step)?.label[lang] ?? rating.step
  return (
    <div
      ref={ref}
      className="arvo-rating-slider"
      role="slider"
      tabIndex={0}
      data-testid="rating-slider"
      data-shape={rating.id}
      aria-label={t(lang, 'ratingSliderLabel', { side: sideName(lang, side), step })}
      aria-description={t(lang, 'ratingKeysHint')}
      aria-valuemin={1}
      aria-valuemax={5}
      aria-valuenow={rating.value || undefined}
      aria-valuetext={rating.value ? `${rating.value}/5` : t(lang, 'notRated')}
      style={{ left: rating.x, top: rating.y, width: rating.w, height: rating.h }}
    />
  )
}

/** The rating preview and the keyboard sliders of this person's own ratings, in page space. */
export function RatingOverlay() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const side = useBoard().identity.side
  const json = useValue(
    'arvo own ratings',
    () => {
      const out: OwnRating[] = []
      for (const s of editor.getCurrentPageShapes()) {
        const m = readArvoMeta(s)
        if (m?.kind !== 'rating' || m.side !== side) continue
        const b = editor.getShapePageBounds(s)
        if (b) out.push({ id: s.id, step: m.zone, value: m.value, x: b.x, y: b.y, w: b.w, h: b.h })
      }
      return JSON.stringify(out)
    },
    [editor, side],
  )
  const ratings = JSON.parse(json) as OwnRating[]
  return (
    <>
      {ratings.map((r) => (
        <RatingSlider key={r.id} editor={editor} rating={r} lang={lang} side={side} />
      ))}
      <RatingHoverPreview />
    </>
  )
}
