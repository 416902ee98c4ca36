/**
 * Camera maths for "zoom to fit" that leaves room for Arvo's panels over the canvas.
 * Pure: tldraw maps page to screen as `screen = (page + camera) * zoom`.
 */

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Screen pixels kept free on each side of the viewport (panels, toolbar). */
export interface Insets {
  top: number
  right: number
  bottom: number
  left: number
}

export interface Camera {
  x: number
  y: number
  z: number
}

/**
 * The camera that shows `bounds` (page units) as large as possible inside the part of a
 * `viewport`-sized screen left free by `insets`, centred there.
 *
 * @param bounds - What to show, in page coordinates.
 * @param viewport - Screen size in pixels.
 * @param insets - Pixels to keep free on each side.
 * @param limits - Zoom limits (tldraw's defaults: 0.05 … 8); `max` defaults to 1 so small
 *   content is not blown up.
 */
export function fitCamera(
  bounds: Box,
  viewport: { w: number; h: number },
  insets: Insets,
  limits: { min?: number; max?: number } = {},
): Camera {
  const min = limits.min ?? 0.05
  const max = limits.max ?? 1
  const free = {
    x: insets.left,
    y: insets.top,
    w: Math.max(1, viewport.w - insets.left - insets.right),
    h: Math.max(1, viewport.h - insets.top - insets.bottom),
  }
  const bw = Math.max(bounds.w, 1)
  const bh = Math.max(bounds.h, 1)
  const z = Math.min(max, Math.max(min, Math.min(free.w / bw, free.h / bh)))
  const cx = bounds.x + bounds.w / 2
  const cy = bounds.y + bounds.h / 2
  return { x: (free.x + free.w / 2) / z - cx, y: (free.y + free.h / 2) / z - cy, z }
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/** A view this much smaller than the largest one still counts as "as large" if its free area is roomier. */
export const ROOMY_TOLERANCE = 0.8

/**
 * Like {@link fitCamera}, but the free area must also stay clear of `obstacles` (screen rects
 * of panels floating over the canvas). Each obstacle is dodged by moving one edge of the free
 * area past it (left, right, top or bottom). Of all the combinations, those showing `bounds`
 * at least {@link ROOMY_TOLERANCE} as large as the largest compete on free area: a very wide
 * board is then centred in the big free region rather than squeezed into a strip under a panel.
 *
 * @param obstacles - Screen rectangles; those outside the area `base` leaves free are ignored.
 */
export function fitCameraAround(
  bounds: Box,
  viewport: { w: number; h: number },
  base: Insets,
  obstacles: readonly Box[],
  limits: { min?: number; max?: number } = {},
): Camera {
  const candidates = freeAreaCandidates(viewport, base, obstacles).map((insets) => ({
    cam: fitCamera(bounds, viewport, insets, limits),
    area: insetArea(viewport, insets),
  }))
  if (candidates.length === 0) return fitCamera(bounds, viewport, base, limits)
  const zMax = Math.max(...candidates.map((c) => c.cam.z))
  const large = candidates.filter((c) => c.cam.z >= zMax * ROOMY_TOLERANCE - 1e-9)
  large.sort((a, b) => b.area - a.area || b.cam.z - a.cam.z)
  return large[0]!.cam
}

function freeBox(viewport: { w: number; h: number }, i: Insets): Box {
  return { x: i.left, y: i.top, w: viewport.w - i.left - i.right, h: viewport.h - i.top - i.bottom }
}

function insetArea(viewport: { w: number; h: number }, i: Insets): number {
  const b = freeBox(viewport, i)
  return b.w * b.h
}

/**
 * The ways to keep clear of `obstacles` (screen rects; those outside the area `base` leaves free
 * are ignored): each one is dodged by moving one edge of the free area past it. Returns the
 * insets of every non-empty combination.
 */
export function freeAreaCandidates(viewport: { w: number; h: number }, base: Insets, obstacles: readonly Box[]): Insets[] {
  const relevant = obstacles.filter((o) => o.w > 0 && o.h > 0 && overlaps(o, freeBox(viewport, base))).slice(0, 6)
  const out: Insets[] = []
  const visit = (k: number, insets: Insets) => {
    const area = freeBox(viewport, insets)
    if (area.w <= 0 || area.h <= 0) return
    if (k === relevant.length) {
      out.push(insets)
      return
    }
    const o = relevant[k]!
    if (!overlaps(o, area)) return visit(k + 1, insets)
    visit(k + 1, { ...insets, left: Math.max(insets.left, o.x + o.w) })
    visit(k + 1, { ...insets, right: Math.max(insets.right, viewport.w - o.x) })
    visit(k + 1, { ...insets, top: Math.max(insets.top, o.y + o.h) })
    visit(k + 1, { ...insets, bottom: Math.max(insets.bottom, viewport.h - o.y) })
  }
  visit(0, base)
  return out
}

/**
 * tldraw draws a note's text (size "m", no shrinking) at 16 × 1.375 = 22 page units; at zoom
 * `z` it is `22 z` CSS pixels on screen.
 */
export const NOTE_TEXT_PAGE_PX = 22
/** The smallest on-screen size of note text that still reads comfortably (CSS px). */
export const READABLE_NOTE_TEXT_PX = 11
/** The smallest zoom at which note text is readable (FIT-2): 0.5. */
export const READABLE_ZOOM = READABLE_NOTE_TEXT_PX / NOTE_TEXT_PAGE_PX

/** Screen pixels between the free area's edge and a template shown from its start. */
export const START_MARGIN_PX = 16

/**
 * A view of `bounds` that is readable (FIT-2): the fit around the panels
 * ({@link fitCameraAround}) when that is at least `minZoom`; otherwise `minZoom`, with the
 * start of `bounds` (its top-left corner, where a template has its title) at the top-left of
 * the roomiest free area ({@link START_MARGIN_PX} inside it), and centred in a direction where it fits.
 */
export function readableCamera(
  bounds: Box,
  viewport: { w: number; h: number },
  base: Insets,
  obstacles: readonly Box[],
  minZoom = READABLE_ZOOM,
): Camera {
  const fit = fitCameraAround(bounds, viewport, base, obstacles)
  if (fit.z >= minZoom - 1e-9) return fit
  const z = minZoom
  const areas = freeAreaCandidates(viewport, base, obstacles)
  const roomiest = areas.sort((a, b) => insetArea(viewport, b) - insetArea(viewport, a))[0] ?? base
  const free = freeBox(viewport, roomiest)
  const w = bounds.w * z
  const h = bounds.h * z
  const sx = w <= free.w ? free.x + (free.w - w) / 2 : free.x + START_MARGIN_PX
  const sy = h <= free.h ? free.y + (free.h - h) / 2 : free.y + START_MARGIN_PX
  return { x: sx / z - bounds.x, y: sy / z - bounds.y, z }
}

/** Union of boxes, or null for none. */
export function unionBoxes(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const b of boxes) {
    minX = Math.min(minX, b.x)
    minY = Math.min(minY, b.y)
    maxX = Math.max(maxX, b.x + b.w)
    maxY = Math.max(maxY, b.y + b.h)
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}
