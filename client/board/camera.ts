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
  const free = (i: Insets): Box => ({ x: i.left, y: i.top, w: viewport.w - i.left - i.right, h: viewport.h - i.top - i.bottom })
  const relevant = obstacles.filter((o) => o.w > 0 && o.h > 0 && overlaps(o, free(base))).slice(0, 6)
  const candidates: { cam: Camera; area: number }[] = []
  const visit = (k: number, insets: Insets) => {
    const area = free(insets)
    if (area.w <= 0 || area.h <= 0) return
    if (k === relevant.length) {
      candidates.push({ cam: fitCamera(bounds, viewport, insets, limits), area: area.w * area.h })
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
  if (candidates.length === 0) return fitCamera(bounds, viewport, base, limits)
  const zMax = Math.max(...candidates.map((c) => c.cam.z))
  const large = candidates.filter((c) => c.cam.z >= zMax * ROOMY_TOLERANCE - 1e-9)
  large.sort((a, b) => b.area - a.area || b.cam.z - a.cam.z)
  return large[0]!.cam
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
