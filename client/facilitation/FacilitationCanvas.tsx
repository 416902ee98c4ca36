/**
 * The facilitation's effects on the canvas (FOLLOW-C2, SPOT-C1), for everyone:
 * - `session.followMe`: every other person's editor follows the facilitator's presence
 *   (tldraw's `startFollowingUser`) until they move the camera themselves (tldraw stops
 *   following then); a new `since` applies again.
 * - `session.spotlight`: everyone's camera goes to that template (or zone) once per `since`,
 *   and the rest of the canvas is dimmed by a page-space overlay that never takes the pointer.
 */
import { useEffect, useRef } from 'react'
import { createUserId, useEditor, useValue, type Editor } from 'tldraw'
import { extractZones } from '../../shared/domain/index.ts'
import type { SpotlightState } from '../../shared/facilitation/session.ts'
import { FIT_BASE_INSETS, panelObstacles, templatesOnBoard } from '../board/behaviour.ts'
import { readableCamera, type Box } from '../board/camera.ts'
import { useBoard } from '../board/context.ts'
import { useWorkshop } from './store.ts'

/** Page bounds of the spotlight's template, or of its zone when it names one (null: not on the board). */
export function spotlightBounds(editor: Editor, spot: Pick<SpotlightState, 'instance' | 'zone'>): Box | null {
  const shapes = editor.getCurrentPageShapes()
  if (spot.zone) {
    const zone = extractZones(shapes).find((z) => z.instance === spot.instance && z.zone === spot.zone)
    if (zone) return zone.bounds
  }
  return templatesOnBoard(shapes).find((x) => x.instance === spot.instance)?.bounds ?? null
}

/** Brings `bounds` into view at a readable size, clear of the panels (as the navigator does). */
function zoomToBounds(editor: Editor, bounds: Box): void {
  const viewport = editor.getViewportScreenBounds()
  const cam = readableCamera(bounds, { w: viewport.w, h: viewport.h }, FIT_BASE_INSETS, panelObstacles(editor), 0.3)
  editor.setCamera(cam, { animation: { duration: 320 } })
}

/** Follows the facilitator while `followMe` asks it (not the facilitator's own tabs). */
function useFollowMe(editor: Editor) {
  const { identity } = useBoard()
  const followMe = useWorkshop((s) => s.session.followMe)
  const target = followMe && followMe.personId !== identity.id ? createUserId(followMe.personId) : null
  // Whether the leader's presence is here yet (after a reload it comes a moment later).
  const present = useValue('arvo leader present', () => (target ? editor.getCollaborators().some((c) => c.userId === target) : false), [editor, target])
  const applied = useRef<string | null>(null)
  useEffect(() => {
    if (!followMe || !target) {
      // Released: stop following the facilitator (a follow of someone else chosen by this person stays).
      if (applied.current && editor.getInstanceState().followingUserId === applied.current.split('|')[0]) editor.stopFollowingUser()
      applied.current = null
      return
    }
    const key = `${target}|${followMe.since}`
    if (applied.current === key || !present) return
    applied.current = key
    editor.startFollowingUser(target)
  }, [editor, followMe, target, present])
}

/** Moves the camera once per spotlight request. */
function useSpotlightCamera(editor: Editor, spot: SpotlightState | null, bounds: Box | null) {
  const applied = useRef<string | null>(null)
  useEffect(() => {
    if (!spot || !bounds) {
      if (!spot) applied.current = null
      return
    }
    const key = `${spot.instance}|${spot.zone ?? ''}|${spot.since}`
    if (applied.current === key) return
    applied.current = key
    if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
    zoomToBounds(editor, bounds)
  }, [editor, spot, bounds])
}

/**
 * Everything but `bounds` dimmed: an SVG over the visible page (a little more, so panning never
 * shows an edge) with the spotlit area cut out, redrawn as the camera moves.
 */
function SpotlightDim({ bounds }: { bounds: Box }) {
  const editor = useEditor()
  const json = useValue(
    'arvo spotlight view',
    () => {
      const v = editor.getViewportPageBounds()
      return JSON.stringify({ x: v.x, y: v.y, w: v.w, h: v.h, z: editor.getZoomLevel() })
    },
    [editor],
  )
  const view = JSON.parse(json) as Box & { z: number }
  const pad = 24 / view.z
  const hole = { x: bounds.x - pad, y: bounds.y - pad, w: bounds.w + 2 * pad, h: bounds.h + 2 * pad }
  const x0 = Math.min(view.x - view.w, hole.x - 10)
  const y0 = Math.min(view.y - view.h, hole.y - 10)
  const x1 = Math.max(view.x + 2 * view.w, hole.x + hole.w + 10)
  const y1 = Math.max(view.y + 2 * view.h, hole.y + hole.h + 10)
  const r = Math.min(16 / view.z, hole.w / 4, hole.h / 4)
  const d =
    `M${x0} ${y0}H${x1}V${y1}H${x0}Z ` +
    `M${hole.x + r} ${hole.y}H${hole.x + hole.w - r}A${r} ${r} 0 0 1 ${hole.x + hole.w} ${hole.y + r}` +
    `V${hole.y + hole.h - r}A${r} ${r} 0 0 1 ${hole.x + hole.w - r} ${hole.y + hole.h}` +
    `H${hole.x + r}A${r} ${r} 0 0 1 ${hole.x} ${hole.y + hole.h - r}V${hole.y + r}A${r} ${r} 0 0 1 ${hole.x + r} ${hole.y}Z`
  return (
    <svg
      className="arvo-fac-spotlight"
      data-testid="spotlight-dim"
      aria-hidden
      style={{ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }}
      viewBox={`${x0} ${y0} ${x1 - x0} ${y1 - y0}`}
    >
      <path className="arvo-fac-spotlight-dim" d={d} />
      <rect className="arvo-fac-spotlight-line" x={hole.x} y={hole.y} width={hole.w} height={hole.h} rx={r} strokeWidth={3 / view.z} />
    </svg>
  )
}

export function FacilitationCanvas() {
  const editor = useEditor()
  useFollowMe(editor)
  const spot = useWorkshop((s) => s.session.spotlight)
  const json = useValue('arvo spotlight bounds', () => (spot ? JSON.stringify(spotlightBounds(editor, spot)) : 'null'), [editor, spot])
  const bounds = JSON.parse(json) as Box | null
  useSpotlightCamera(editor, spot, bounds)
  if (!spot || !bounds) return null
  return <SpotlightDim bounds={bounds} />
}
