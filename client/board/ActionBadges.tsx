import { useEditor, useValue } from 'tldraw'
import { readArvoMeta } from '../../shared/domain/index.ts'
import { sideName } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { useSession } from '../state/session.ts'
import { formatDue } from './format.ts'

interface Badge {
  id: string
  /** Top-right corner of the note (page units). */
  x: number
  y: number
  w: number
  h: number
  scale: number
  owner?: string
  ownerSide?: Side
  due?: string
}

/**
 * On the canvas, beside every note that has action fields (META-6): owner side, owner and due
 * date stacked to the right of the note, within its height — so they stay in the note's row of
 * the action plan (below it they spilled into the next row). Drawn in page space (it zooms with
 * the board) and never catches the pointer.
 */
export function ActionBadges() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  // A string, so that re-renders happen only when a badge really changes.
  const json = useValue(
    'arvo action badges',
    () => {
      const out: Badge[] = []
      for (const s of editor.getCurrentPageShapes()) {
        if (s.type !== 'note') continue
        const m = readArvoMeta(s)
        if (m?.kind !== 'note' || !(m.owner || m.ownerSide || m.due)) continue
        const b = editor.getShapePageBounds(s)
        if (!b) continue
        const scale = (s.props as { scale?: number }).scale ?? 1
        out.push({ id: s.id, x: b.maxX, y: b.y, w: b.w, h: b.h, scale, owner: m.owner, ownerSide: m.ownerSide, due: m.due })
      }
      return JSON.stringify(out)
    },
    [editor],
  )
  const badges = JSON.parse(json) as Badge[]
  return (
    <>
      {badges.map((b) => (
        <div
          key={b.id}
          className="arvo-action-badge"
          data-testid="action-badge"
          data-note={b.id}
          style={{ left: b.x + 10 * b.scale, top: b.y, maxWidth: 1.6 * b.w, maxHeight: b.h, fontSize: 24 * b.scale }}
        >
          {b.ownerSide && (
            <span className={`arvo-side-tag arvo-side-tag-${b.ownerSide}`}>
              {sideName(lang, b.ownerSide)}
            </span>
          )}
          {b.owner && <span className="arvo-badge-owner">{b.owner}</span>}
          {b.due && <span className="arvo-badge-due">{formatDue(b.due, lang)}</span>}
        </div>
      ))}
    </>
  )
}
