/**
 * Arvo's rules on the tldraw editor, framework-free: note attribution, locked template
 * parts, staircase rating clicks, adding templates and zooming to fit around our panels.
 * `installBoardBehaviour` returns one dispose function for everything it registers.
 */
import type { Atom, Editor, TLEventInfo, TLShape } from 'tldraw'
import {
  addTemplateToBoard,
  approxPageBounds,
  asShape,
  readArvoMeta,
  shapesById,
  templateInstances,
  type NoteAuthor,
  type TemplateKind,
} from '../../shared/domain/index.ts'
import type { Language } from '../../shared/i18n/index.ts'
import type { Access } from '../../shared/policy/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { fitCameraAround, readableCamera, unionBoxes, type Box, type Camera, type Insets } from './camera.ts'
import { allowedSelection, guardShapeChange, isLockedTemplatePart, mayDeleteShape, withNoteAuthor } from './guards.ts'
import { ratingClickAt, ratingShapeAt, type RatingClick } from './ratingClick.ts'
import { measureRatingStars, type RatingHover } from './ratingStars.ts'
import { boardOrder, chooseInitialView, type InitialView } from './view.ts'

export interface BoardBehaviourOptions {
  author: NoteAuthor
  /**
   * Who this person is, read at each change (the flags change live): the facilitator may
   * unlock and rearrange template parts; participants may not (LOCK-1, enforced by the server).
   */
  access: () => Access
  /** Whether this person may change the board now (ROLE-C2); rating clicks are ignored when not. */
  mayWrite?: () => boolean
  /** Someone clicked the other side's rating. */
  onRatingRefused?(side: Side): void
  /** Receives the value a click would set on this person's own rating under the pointer (RATE-C1). */
  ratingHover?: Atom<RatingHover | null>
}

/** A click that moves less than this (screen px) between down and up counts as a click. */
const CLICK_SLOP_PX = 6
/**
 * A rating click this soon (ms) and this near (screen px) after the previous one is the second
 * half of a double click: ignored. (Setting a rating changes the label's text, and the centred
 * stars move: the second click would land on another star.)
 */
const DOUBLE_CLICK_MS = 450
const DOUBLE_CLICK_PX = 4

/**
 * Registers the board's side effects and event handlers on `editor`:
 * - every note created here carries its author and side (META-4, `noteMeta`);
 * - template zones, labels and ratings stay as they are for participants (not changed, deleted
 *   nor selected, even when the owner has unlocked them), and notes keep their author (`guards.ts`);
 * - a click or tap (select tool) on a star of a staircase rating sets this person's own side's
 *   rating to that star's value; the other side's rating is refused; hovering a star of one's
 *   own rating previews the value (`ratingHover`).
 */
export function installBoardBehaviour(editor: Editor, options: BoardBehaviourOptions): () => void {
  const { author } = options
  const isFacilitator = () => options.access().role === 'facilitator'
  const mayWrite = options.mayWrite ?? (() => true)
  const disposers: (() => void)[] = []
  disposers.push(
    editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) =>
      source === 'user' ? withNoteAuthor(shape, author) : shape,
    ),
  )
  disposers.push(
    editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
      // Remote changes are applied as they are (the doc is the truth); we guard only our own.
      source === 'user' ? guardShapeChange(prev, next, options.access()) : next,
    ),
  )
  disposers.push(
    editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
      source === 'user' && !mayDeleteShape(shape, options.access()) ? false : undefined,
    ),
  )
  disposers.push(
    editor.sideEffects.registerBeforeChangeHandler('instance_page_state', (prev, next, source) => {
      if (source !== 'user' || prev.selectedShapeIds === next.selectedShapeIds || isFacilitator()) return next
      const kept = allowedSelection(next.selectedShapeIds, (id) => editor.getShape(id), options.access())
      return kept === next.selectedShapeIds ? next : { ...next, selectedShapeIds: [...kept] }
    }),
  )

  let down: { x: number; y: number } | null = null
  let lastRating: { x: number; y: number; at: number } | null = null
  let pointerCursor = false
  const inSelectIdle = () => editor.isIn('select.idle')
  const selectable = (s: TLShape) => !s.isLocked && (isFacilitator() || !isLockedTemplatePart(s))
  /** What a click at this screen point would do to a rating, unless a shape we can select lies on top. */
  const ratingAt = (screen: { x: number; y: number }) => {
    const point = editor.screenToPage(screen)
    if (editor.getShapeAtPoint(point, { hitInside: true, filter: selectable })) return null
    return ratingClickAt(editor.getCurrentPageShapes(), point, author.side, (s) => measureRatingStars(editor, s))
  }
  /** True when this screen point is on a locked rating shape with nothing selectable on top (RATE-C1). */
  const onLockedRating = (screen: { x: number; y: number }) => {
    const point = editor.screenToPage(screen)
    if (editor.getShapeAtPoint(point, { hitInside: true, filter: selectable })) return false
    return ratingShapeAt(editor.getCurrentPageShapes(), point)?.isLocked === true
  }
  const setHover = (click: RatingClick | null) => {
    const hover = options.ratingHover
    if (!hover) return
    const prev = hover.get()
    if (click?.kind !== 'set') {
      if (prev) hover.set(null)
      return
    }
    if (prev?.shapeId === click.shapeId && prev.value === click.value) return
    const stars = measureRatingStars(editor, click.next)
    hover.set(stars ? { shapeId: click.shapeId, value: click.value, stars } : null)
  }
  const container = editor.getContainer()
  const onLeave = () => setHover(null)
  container.addEventListener('pointerleave', onLeave)
  disposers.push(() => container.removeEventListener('pointerleave', onLeave))
  const onEvent = (info: TLEventInfo) => {
    if (info.type !== 'pointer') return
    // A viewer, or a participant while the board is locked, rates nothing (ROLE-C2).
    if (!mayWrite()) {
      if (options.ratingHover?.get()) options.ratingHover.set(null)
      return
    }
    if (info.target !== 'canvas') {
      if (info.name === 'pointer_move') setHover(null)
      return
    }
    if (info.name === 'pointer_move') {
      // A hand over a star of your own side's rating: it is clickable, and shows what it sets.
      // (tldraw resets the cursor itself when the select tool returns to idle: compare with it.)
      const click = !down && inSelectIdle() ? ratingAt(info.point) : null
      setHover(click)
      const want = click?.kind === 'set'
      const isPointer = editor.getInstanceState().cursor.type === 'pointer'
      if (want && !isPointer) {
        pointerCursor = true
        editor.setCursor({ type: 'pointer', rotation: 0 })
      } else if (!want && isPointer && pointerCursor) {
        pointerCursor = false
        editor.setCursor({ type: 'default', rotation: 0 })
      }
      return
    }
    if (info.name === 'pointer_down') {
      down = info.button === 0 && inSelectIdle() ? { x: info.point.x, y: info.point.y } : null
      return
    }
    if (info.name !== 'pointer_up' || !down) return
    const start = down
    down = null
    if (Math.hypot(info.point.x - start.x, info.point.y - start.y) > CLICK_SLOP_PX) return
    const now = performance.now()
    if (lastRating && now - lastRating.at < DOUBLE_CLICK_MS && Math.hypot(info.point.x - lastRating.x, info.point.y - lastRating.y) <= DOUBLE_CLICK_PX) {
      editor.cancelDoubleClick()
      return
    }
    const click = ratingAt(info.point)
    if (!click) {
      // The words of one's own rating ("Provider:", "(not rated)"): no value, and no double
      // click either (tldraw would put a text shape on the locked rating).
      if (onLockedRating(info.point)) editor.cancelDoubleClick()
      return
    }
    if (click.kind === 'refused') {
      editor.cancelDoubleClick()
      options.onRatingRefused?.(click.side)
      return
    }
    applyRating(editor, click.next)
    lastRating = { x: info.point.x, y: info.point.y, at: now }
    // A quick second click (another star, a correction) is a click of its own, not tldraw's
    // double click (which would put a text shape on the rating).
    editor.cancelDoubleClick()
    setHover(null)
  }
  // Before tldraw's tools see the event: on pointer_down the select tool is still idle.
  editor.on('before-event', onEvent)
  disposers.push(() => editor.off('before-event', onEvent))

  return () => {
    for (const d of disposers.splice(0)) d()
  }
}

/**
 * Applies a rating change (`setRating`'s result) as one undo step of its own: the rating shape
 * is locked, so the change goes past the lock.
 */
export function applyRating(editor: Editor, next: TLShape): void {
  editor.markHistoryStoppingPoint('arvo rate')
  editor.run(() => editor.updateShape(next), { ignoreShapeLock: true })
}

/** True when every template part on the page is locked (an empty board counts as locked). */
export function templatesLocked(shapes: readonly TLShape[]): boolean {
  return shapes.every((s) => s.isLocked || !isLockedTemplatePart(s))
}

/**
 * The facilitator's template switch: locks or unlocks every template part on the page in one
 * undoable change (LOCK-1; participants' guards refuse it for them, and so does the server).
 */
export function setTemplatesLocked(editor: Editor, locked: boolean): void {
  const parts = editor.getCurrentPageShapes().filter((s) => isLockedTemplatePart(s) && s.isLocked !== locked)
  if (parts.length === 0) return
  editor.markHistoryStoppingPoint('arvo lock templates')
  editor.run(() => editor.updateShapes(parts.map((s) => ({ id: s.id, type: s.type, isLocked: locked }))), { ignoreShapeLock: true })
  if (locked) editor.setSelectedShapes(editor.getSelectedShapeIds().filter((id) => !isLockedTemplatePart(editor.getShape(id))))
}

/** Page bounds of every shape of one template instance (approximate: from records), or null. */
export function templateBoundsOnBoard(shapes: readonly TLShape[], instance: string): Box | null {
  const byId = shapesById(shapes)
  const boxes: Box[] = []
  for (const s of shapes) {
    const meta = (s.meta as { arvo?: { instance?: unknown; kind?: unknown } }).arvo
    if (!meta || meta.kind === 'note' || meta.instance !== instance) continue
    const shape = asShape(s)
    const b = shape ? approxPageBounds(shape, byId) : null
    if (b) boxes.push(b)
  }
  return unionBoxes(boxes)
}

/** The template instances on the board with their bounds, in board order. */
export function templatesOnBoard(shapes: readonly TLShape[]): { template: TemplateKind; instance: string; bounds: Box }[] {
  return templateInstances(shapes).flatMap((i) => {
    const bounds = templateBoundsOnBoard(shapes, i.instance)
    return bounds ? [{ ...i, bounds }] : []
  })
}

/**
 * Adds a template right of everything on the board, its records written in `language` (each
 * viewer still reads it in their own, I18N-C1), as one undoable change.
 *
 * @returns The new template's instance id and page bounds.
 */
export function addTemplate(editor: Editor, kind: TemplateKind, language: Language): { instance: string; bounds: Box | null } {
  const records = addTemplateToBoard(kind, editor.getCurrentPageShapes(), language)
  // An undo step of its own (TPL-C1): without the mark, tldraw folds the template into the
  // previous step (e.g. the note written just before), and one Ctrl+Z removes both.
  editor.markHistoryStoppingPoint('arvo add template')
  editor.run(() => editor.createShapes(records))
  const instance = (records[0]?.meta as { arvo?: { instance?: string } }).arvo?.instance ?? ''
  return { instance, bounds: templateBoundsOnBoard(records, instance) }
}

/**
 * Screen pixels always kept free around the canvas: tldraw's main menu and our template picker
 * on top, the toolbar below. Floating panels (insights, participants, styles) are measured.
 */
export const FIT_BASE_INSETS: Insets = { top: 60, right: 12, bottom: 64, left: 12 }

/** Screen rectangles (relative to the editor's container) of the panels floating over the canvas. */
export function panelObstacles(editor: Editor): Box[] {
  const root = editor.getContainer()
  const origin = root.getBoundingClientRect()
  // The top centre (picker, template navigator, first-time hint) counts as one block.
  return [...root.querySelectorAll('.tlui-layout__top__right > *, .arvo-left > *, .arvo-top-center')].map((el) => {
    const r = el.getBoundingClientRect()
    return { x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height }
  })
}

/**
 * Moves the camera so `bounds` (page units) fills the part of the canvas that our panels and
 * tldraw's leave free (see `fitCameraAround`). `bounds` defaults to everything on the page;
 * nothing happens on an empty page.
 */
export function zoomToFit(editor: Editor, options: { bounds?: Box | null; animate?: boolean } = {}): void {
  const bounds = options.bounds ?? editor.getCurrentPageBounds() ?? null
  if (!bounds) return
  const viewport = editor.getViewportScreenBounds()
  const cam = fitCameraAround(bounds, { w: viewport.w, h: viewport.h }, FIT_BASE_INSETS, panelObstacles(editor))
  editor.setCamera(cam, options.animate ? { animation: { duration: 320 } } : undefined)
}

/**
 * Brings one template instance into view at a readable size (FIT-2): fitted clear of the
 * panels when that is readable, else at the readable zoom from its top-left corner.
 *
 * @returns False when the instance is not on the board.
 */
export function zoomToTemplate(editor: Editor, instance: string, options: { animate?: boolean } = {}): boolean {
  const found = templatesOnBoard(editor.getCurrentPageShapes()).find((x) => x.instance === instance)
  if (!found) return false
  const viewport = editor.getViewportScreenBounds()
  const cam = readableCamera(found.bounds, { w: viewport.w, h: viewport.h }, FIT_BASE_INSETS, panelObstacles(editor))
  editor.setCamera(cam, options.animate ? { animation: { duration: 320 } } : undefined)
  return true
}

/**
 * Opens the board on a readable view (FIT-2): where this browser was last (`saved`), else the
 * first template (board order) at a readable size, else the content at a readable size; an
 * empty board keeps tldraw's default view.
 */
export function openInitialView(editor: Editor, saved: Camera | null): InitialView {
  const shapes = editor.getCurrentPageShapes()
  const templates = boardOrder(templatesOnBoard(shapes))
  const content = editor.getCurrentPageBounds() ?? null
  const viewport = editor.getViewportScreenBounds()
  const things = templates.map((x) => x.bounds)
  for (const s of shapes) {
    const meta = readArvoMeta(s)
    if (meta && meta.kind !== 'note') continue // a template part: its template is in `things`
    const b = editor.getShapePageBounds(s)
    if (b) things.push({ x: b.x, y: b.y, w: b.w, h: b.h })
  }
  const view = chooseInitialView(saved, templates, content, { w: viewport.w, h: viewport.h }, things)
  if (view.kind === 'saved') editor.setCamera(view.camera)
  else if (view.kind === 'template') zoomToTemplate(editor, view.instance)
  else if (view.kind === 'content' && content) {
    editor.setCamera(readableCamera(content, { w: viewport.w, h: viewport.h }, FIT_BASE_INSETS, panelObstacles(editor)))
  }
  return view
}
