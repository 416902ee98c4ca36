/**
 * Arvo's note: tldraw's note plus, on the canvas, the author's initials in a badge of the
 * side's colour (NOTE-1: legible at usual zooms, full name and side on hover), and in exports
 * (PNG / SVG, ACT-2) the action-plan fields drawn beside the note as they are on the canvas.
 */
import { NoteShapeUtil, useValue, type Atom, type SvgExportContext, type TLNoteShape } from 'tldraw'
import { readArvoMeta, type ArvoNoteMeta } from '../../shared/domain/index.ts'
import { t, type Language, sideName } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { authorInitials, formatDue } from './format.ts'

/**
 * The side colours of badges and action fields (white text on them has AA contrast): the
 * `--arvo-badge-*` colours of styles.css, written out because exported SVG has no stylesheet.
 */
export const SIDE_INK: Readonly<Record<Side, string>> = { provider: '#1d4ed8', customer: '#c2410c' }

/** The lines the action fields of a note show (owner side, owner, due), in `lang`. */
export function actionFieldLines(meta: ArvoNoteMeta, lang: Language): { text: string; side?: Side }[] {
  const lines: { text: string; side?: Side }[] = []
  if (meta.ownerSide) lines.push({ text: sideName(lang, meta.ownerSide), side: meta.ownerSide })
  if (meta.owner) lines.push({ text: meta.owner })
  if (meta.due) lines.push({ text: formatDue(meta.due, lang) })
  return lines
}

/** Page-space layout of a note's action fields, as `ActionBadges` draws them: right of the note. */
export function actionFieldsBox(note: { w: number; h: number; scale: number }, lineCount: number, longest: number) {
  const fontSize = 24 * note.scale
  const lineH = fontSize * 1.25 + 0.25 * fontSize
  return {
    x: note.w + 10 * note.scale,
    fontSize,
    lineH,
    // An estimate of the widest line (no DOM in exports): 0.62 em per character, capped as on the canvas.
    w: Math.min(1.6 * note.w, (longest * 0.62 + 0.8) * fontSize),
    h: Math.min(note.h, lineCount * lineH),
  }
}

/** A note util reading `$language` for its badge and exported texts. */
export function arvoNoteShapeUtil($language: Atom<Language>) {
  return class ArvoNoteShapeUtil extends NoteShapeUtil {
    override component(shape: TLNoteShape) {
      const lang = useValue($language)
      const base = super.component(shape)
      const meta = readArvoMeta(shape)
      if (meta?.kind !== 'note' || !meta.authorName) return base
      const title = t(lang, 'noteAuthorTitle', { name: meta.authorName, side: sideName(lang, meta.side) })
      return (
        <>
          {base}
          <div
            className={`arvo-author-badge arvo-author-badge-${meta.side}`}
            data-testid="author-badge"
            data-note={shape.id}
            title={title}
            aria-label={title}
            style={{ fontSize: `max(${14 * shape.props.scale}px, calc(12px / var(--tl-zoom, 1)))` }}
          >
            {authorInitials(meta.authorName)}
          </div>
        </>
      )
    }

    override toSvg(shape: TLNoteShape, ctx: SvgExportContext) {
      const base = super.toSvg(shape, ctx)
      const meta = readArvoMeta(shape)
      if (meta?.kind !== 'note') return base
      const lines = actionFieldLines(meta, $language.get())
      if (lines.length === 0) return base
      const bounds = this.editor.getShapeGeometry(shape).bounds
      const box = actionFieldsBox({ w: bounds.w, h: bounds.h, scale: shape.props.scale }, lines.length, Math.max(...lines.map((l) => l.text.length)))
      return (
        <>
          {base}
          <g data-arvo="action-fields" fontFamily="Inter, 'IBM Plex Sans', system-ui, sans-serif" fontSize={box.fontSize}>
            {lines.map((line, i) => {
              const y = i * box.lineH
              if (y + box.lineH > bounds.h + 1) return null
              return (
                <g key={i} transform={`translate(${box.x}, ${y})`}>
                  <rect width={box.w} height={box.fontSize * 1.25} rx={box.fontSize * 0.35} fill={line.side ? SIDE_INK[line.side] : '#ffffff'} stroke="#cbd5e1" strokeWidth={line.side ? 0 : 1} />
                  <text x={box.fontSize * 0.4} y={box.fontSize * 0.95} fill={line.side ? '#ffffff' : '#1f2937'} fontWeight={line.side ? 700 : 600}>
                    {line.text}
                  </text>
                </g>
              )
            })}
          </g>
        </>
      )
    }
  }
}
