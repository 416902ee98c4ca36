/**
 * "Show on canvas" from the outline: selects the note and moves the camera (animated) so the
 * note sits in the middle of the canvas that the panels leave free, at a readable zoom.
 */
import type { Editor, TLShapeId } from 'tldraw'
import { FIT_BASE_INSETS, panelObstacles } from '../board/behaviour.ts'
import { fitCameraAround, READABLE_ZOOM } from '../board/camera.ts'

/** Page units shown around the note (the zone around it stays in view). */
export const SHOW_MARGIN = 320

export function showNoteOnCanvas(editor: Editor, id: TLShapeId): boolean {
  const b = editor.getShapePageBounds(id)
  if (!b) return false
  editor.setEditingShape(null)
  editor.select(id)
  const viewport = editor.getViewportScreenBounds()
  const around = { x: b.x - SHOW_MARGIN, y: b.y - SHOW_MARGIN, w: b.w + 2 * SHOW_MARGIN, h: b.h + 2 * SHOW_MARGIN }
  const cam = fitCameraAround(around, { w: viewport.w, h: viewport.h }, FIT_BASE_INSETS, panelObstacles(editor), { min: READABLE_ZOOM, max: 1 })
  editor.setCamera(cam, { animation: { duration: 400 } })
  return true
}
