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
