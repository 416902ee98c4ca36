import { useEditor, useValue } from 'tldraw'
import { readArvoMeta } from '../../shared/domain/index.ts'
import { t } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { useSession } from '../state/session.ts'
import { formatDue } from './format.ts'

interface Badge {
  id: string
  x: number
  y: number
  w: number
  scale: number
  owner?: string
  ownerSide?: Side
  due?: string
}

/**
 * On the canvas, under every note that has action fields (META-6): owner side, owner and due
 * date, so the action plan reads from the board without selecting anything. Drawn in page
 * space (it zooms with the board) and never catches the pointer.
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
        out.push({ id: s.id, x: b.x, y: b.maxY, w: b.w, scale, owner: m.owner, ownerSide: m.ownerSide, due: m.due })
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
          style={{ left: b.x, top: b.y + 8 * b.scale, minWidth: b.w, maxWidth: 2 * b.w, fontSize: 24 * b.scale }}
        >
          {b.ownerSide && (
            <span className={`arvo-side-tag arvo-side-tag-${b.ownerSide}`}>
              {t(lang, b.ownerSide === 'provider' ? 'sideProvider' : 'sideCustomer')}
            </span>
          )}
          {b.owner && <span className="arvo-badge-owner">{b.owner}</span>}
          {b.due && <span className="arvo-badge-due">{formatDue(b.due, lang)}</span>}
        </div>
      ))}
    </>
  )
}
