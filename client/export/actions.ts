/**
 * What the export menu items do (issue 12): downloads from the server with progress and a
 * reason on failure (never a silent failure), and the PNG/SVG of one template through
 * tldraw's own export (named after board and template, ACT-2's area with action fields).
 */
import { exportAs, type Editor, type TLShapeId } from 'tldraw'
import type { Language } from '../../shared/i18n/index.ts'
import { t } from '../../shared/i18n/index.ts'
import { templatesOnBoard } from '../board/behaviour.ts'
import { exportArea, exportFileName } from '../board/exportActions.ts'
import { failureMessage, fetchExport, formatName, saveBlob, type Paper, type ServerExportFormat } from './download.ts'
import { exportStatus } from './status.ts'
import { workshopStore } from '../facilitation/store.ts'

/** A finished line stays this long (ms); a failure stays until it is closed. */
export const DONE_VISIBLE_MS = 5000

/**
 * Downloads one export of the board from the server: a "Preparing…" line while it runs, the
 * file saved under the server's name, then "Downloaded: <file>" — or why it failed.
 */
export async function runServerExport(request: {
  boardId: string
  token: string
  format: ServerExportFormat
  lang: Language
  paper?: Paper
}): Promise<void> {
  const { lang, format } = request
  const key = format === 'pdf' ? `pdf:${request.paper ?? 'a4'}` : format
  const status = exportStatus.getState()
  const id = status.start(key, t(lang, 'exportPreparing', { format: formatName(lang, format) }))
  if (id === null) return
  const outcome = await fetchExport(request)
  if (!outcome.ok) {
    exportStatus.getState().finish(id, 'error', failureMessage(lang, format, outcome.failure))
    return
  }
  try {
    saveBlob(outcome.blob, outcome.fileName)
  } catch (e) {
    exportStatus.getState().finish(id, 'error', t(lang, 'exportFailedBecause', { format: formatName(lang, format), reason: (e as Error).message }))
    return
  }
  exportStatus.getState().finish(id, 'done', t(lang, 'exportSaved', { file: outcome.fileName }))
  setTimeout(() => exportStatus.getState().dismiss(id), DONE_VISIBLE_MS)
}

/** The top-level shapes whose centre lies inside a template instance's bounds (its parts, its notes, drawings on it). */
export function templateShapeIds(editor: Editor, instance: string): TLShapeId[] {
  const found = templatesOnBoard(editor.getCurrentPageShapes()).find((x) => x.instance === instance)
  if (!found) return []
  const b = found.bounds
  const pageId = editor.getCurrentPageId()
  return editor
    .getCurrentPageShapesSorted()
    .filter((s) => s.parentId === pageId)
    .filter((s) => {
      const sb = editor.getShapePageBounds(s)
      if (!sb) return false
      const c = sb.center
      return c.x >= b.x && c.x <= b.x + b.w && c.y >= b.y && c.y <= b.y + b.h
    })
    .map((s) => s.id)
}

/** Exports one template instance as PNG or SVG, named "<board title, or Arvo id> – <template>". */
export async function exportTemplateImage(editor: Editor, boardId: string, instance: string, format: 'png' | 'svg', lang: Language): Promise<void> {
  const ids = templateShapeIds(editor, instance)
  const templates = templatesOnBoard(editor.getCurrentPageShapes())
  const found = templates.find((x) => x.instance === instance)
  if (!found || ids.length === 0) return
  const area = exportArea(editor, ids, lang)
  // Named after the template even when an action field reaches past its edge.
  const name = exportFileName(boardId, found.bounds, templates, lang, workshopStore.getState().session.title)
  await exportAs(editor, ids, { format, name, bounds: area ?? undefined })
}
