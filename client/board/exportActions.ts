/**
 * tldraw's "Export as PNG / SVG" (menus, context menu), Arvo's way (ACT-2): files are named
 * after the board and, when everything exported lies in one template, after that template in
 * the exporter's language ("Arvo <boardId> – Action plan.png"); and the export's area includes
 * the action fields drawn beside action-plan notes (the note util draws them in its SVG).
 */
import { Box, exportAs, type Editor, type TLShapeId, type TLUiOverrides } from 'tldraw'
import { readArvoMeta, type TemplateKind } from '../../shared/domain/index.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import { templatesOnBoard } from './behaviour.ts'
import { actionFieldLines, actionFieldsBox } from './noteShape.tsx'
import { TEMPLATE_NAME_KEYS } from './templateNames.ts'
import { workshopStore } from '../facilitation/store.ts'

/** Characters file systems refuse in names. */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f]+/g

/**
 * The file name (without extension) of an export: `Arvo <boardId> – <template>` when the
 * exported area lies within one template on the board, else `Arvo <boardId>`.
 *
 * @param area - The page bounds of what is exported.
 * @param templates - The templates on the board with their page bounds.
 */
export function exportFileName(
  boardId: string,
  area: { x: number; y: number; w: number; h: number } | null,
  templates: readonly { template: TemplateKind; bounds: { x: number; y: number; w: number; h: number } }[],
  lang: Language,
  title: string | null = null,
): string {
  const base = title?.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim() || `Arvo ${boardId}`
  const EPS = 0.5
  const inside = area
    ? templates.filter(
        ({ bounds: b }) =>
          area.x >= b.x - EPS && area.y >= b.y - EPS && area.x + area.w <= b.x + b.w + EPS && area.y + area.h <= b.y + b.h + EPS,
      )
    : []
  const name = inside.length === 1 ? `${base} – ${t(lang, TEMPLATE_NAME_KEYS[inside[0]!.template])}` : base
  return name.replace(UNSAFE, ' ').trim()
}

/** Page bounds of the shapes plus the action fields beside the notes among them, or null. */
export function exportArea(editor: Editor, ids: readonly TLShapeId[], lang: Language): Box | null {
  let area: Box | null = null
  const add = (b: Box) => {
    area = area ? area.union(b) : b.clone()
  }
  for (const id of ids) {
    const b = editor.getShapeMaskedPageBounds(id)
    if (!b) continue
    add(b)
    const shape = editor.getShape(id)
    const meta = shape && readArvoMeta(shape)
    if (!shape || shape.type !== 'note' || meta?.kind !== 'note') continue
    const lines = actionFieldLines(meta, lang)
    if (lines.length === 0) continue
    const scale = (shape.props as { scale?: number }).scale ?? 1
    const box = actionFieldsBox({ w: b.w, h: b.h, scale }, lines.length, Math.max(...lines.map((l) => l.text.length)))
    add(new Box(b.x + box.x, b.y, box.w, box.h))
  }
  return area
}

/** What is exported: the selection, or the whole page when nothing is selected (as tldraw does). */
function exportIds(editor: Editor, all: boolean): TLShapeId[] {
  const selected = editor.getSelectedShapeIds()
  return all || selected.length === 0 ? [...editor.getCurrentPageShapeIds()] : [...selected]
}

/**
 * Overrides of tldraw's export actions for one board: same menus and shortcuts, Arvo's file
 * names and export area. `language` is read at the time of the export.
 */
export function exportOverrides(boardId: string, language: () => Language, onError: (e: unknown) => void): TLUiOverrides {
  return {
    actions(editor, actions) {
      const variants = [
        ['export-as-svg', 'svg', false],
        ['export-as-png', 'png', false],
        ['export-all-as-svg', 'svg', true],
        ['export-all-as-png', 'png', true],
      ] as const
      for (const [id, format, all] of variants) {
        const action = actions[id]
        if (!action) continue
        actions[id] = {
          ...action,
          onSelect() {
            const ids = exportIds(editor, all)
            if (ids.length === 0) return
            const lang = language()
            const bounds = exportArea(editor, ids, lang)
            const name = exportFileName(boardId, bounds, templatesOnBoard(editor.getCurrentPageShapes()), lang, workshopStore.getState().session.title)
            exportAs(editor, ids, { format, name, bounds: bounds ?? undefined }).catch(onError)
          },
        }
      }
      return actions
    },
  }
}
