import { describe, expect, it } from 'vitest'
import { fitCamera, fitCameraAround, NOTE_TEXT_PAGE_PX, READABLE_ZOOM, readableCamera, unionBoxes } from './camera.ts'

const toScreen = (c: { x: number; y: number; z: number }, p: { x: number; y: number }) => ({
  x: (p.x + c.x) * c.z,
  y: (p.y + c.y) * c.z,
})

describe('zoom to fit around panels', () => {
  const viewport = { w: 1440, h: 900 }
  const insets = { top: 50, right: 20, bottom: 70, left: 330 }

  it('FIT-1 fits the bounds inside the free area, centred there', () => {
    const bounds = { x: 1000, y: -200, w: 3400, h: 1850 }
    const cam = fitCamera(bounds, viewport, insets)
    const tl = toScreen(cam, { x: bounds.x, y: bounds.y })
    const br = toScreen(cam, { x: bounds.x + bounds.w, y: bounds.y + bounds.h })
    expect(tl.x).toBeGreaterThanOrEqual(330 - 1e-6)
    expect(br.x).toBeLessThanOrEqual(1420 + 1e-6)
    expect(tl.y).toBeGreaterThanOrEqual(50 - 1e-6)
    expect(br.y).toBeLessThanOrEqual(830 + 1e-6)
    // The limiting dimension touches both edges.
    expect(Math.max(br.x - tl.x - 1090, br.y - tl.y - 780)).toBeCloseTo(0, 6)
    expect((tl.x + br.x) / 2).toBeCloseTo(330 + 1090 / 2, 6)
    expect((tl.y + br.y) / 2).toBeCloseTo(50 + 780 / 2, 6)
  })

  it('FIT-1 does not blow small content up past the maximum zoom, and respects the minimum', () => {
    expect(fitCamera({ x: 0, y: 0, w: 100, h: 100 }, viewport, insets).z).toBe(1)
    expect(fitCamera({ x: 0, y: 0, w: 1e7, h: 1e7 }, viewport, insets).z).toBe(0.05)
    expect(fitCamera({ x: 0, y: 0, w: 0, h: 0 }, viewport, insets, { max: 2 }).z).toBe(2)
  })

  it('unions boxes', () => {
    expect(unionBoxes([])).toBeNull()
    expect(unionBoxes([{ x: 0, y: 0, w: 10, h: 10 }, { x: -5, y: 20, w: 10, h: 5 }])).toEqual({ x: -5, y: 0, w: 15, h: 25 })
  })
})

describe('zoom to fit around floating panels', () => {
  const viewport = { w: 1440, h: 900 }
  const base = { top: 56, right: 12, bottom: 64, left: 12 }
  const participants = { x: 1120, y: 8, w: 312, h: 200 }
  const stylePanel = { x: 1284, y: 225, w: 148, h: 300 }
  const clear = (cam: { x: number; y: number; z: number }, b: { x: number; y: number; w: number; h: number }, o: { x: number; y: number; w: number; h: number }) => {
    const tl = toScreen(cam, b)
    const br = toScreen(cam, { x: b.x + b.w, y: b.y + b.h })
    return br.x <= o.x + 1e-6 || tl.x >= o.x + o.w - 1e-6 || br.y <= o.y + 1e-6 || tl.y >= o.y + o.h - 1e-6
  }

  it('FIT-1 keeps a wide template clear of the participants and style panels, as large as possible', () => {
    const roleMap = { x: 0, y: 0, w: 3500, h: 1879 }
    const cam = fitCameraAround(roleMap, viewport, base, [participants, stylePanel])
    expect(clear(cam, roleMap, participants)).toBe(true)
    expect(clear(cam, roleMap, stylePanel)).toBe(true)
    // Better than dodging both panels sideways.
    const sideways = fitCamera(roleMap, viewport, { ...base, right: 1440 - 1120 })
    expect(cam.z).toBeGreaterThanOrEqual(sideways.z)
  })

  it('FIT-1 centres a very wide board in the big free region, not in a strip under a panel (1280×720)', () => {
    const small = { w: 1280, h: 720 }
    const insights = { x: 8, y: 50, w: 316, h: 606 }
    const people = { x: 990, y: 8, w: 282, h: 207 }
    const styles = { x: 1124, y: 228, w: 148, h: 284 }
    const wide = { x: 0, y: 0, w: 14000, h: 1900 }
    const cam = fitCameraAround(wide, small, base, [insights, people, styles])
    for (const o of [insights, people, styles]) expect(clear(cam, wide, o)).toBe(true)
    const mid = toScreen(cam, { x: wide.x + wide.w / 2, y: wide.y + wide.h / 2 })
    expect(mid.y).toBeGreaterThan(250)
    expect(mid.y).toBeLessThan(450)
  })

  it('FIT-1 dodges a full-height panel on the left sideways', () => {
    const insights = { x: 8, y: 48, w: 316, h: 780 }
    const b = { x: 0, y: 0, w: 3400, h: 1850 }
    const cam = fitCameraAround(b, viewport, base, [insights])
    expect(toScreen(cam, b).x).toBeGreaterThanOrEqual(324 - 1e-6)
  })

  it('FIT-1 ignores panels outside the free area and falls back to the plain fit', () => {
    const b = { x: 0, y: 0, w: 1000, h: 500 }
    expect(fitCameraAround(b, viewport, base, [{ x: 0, y: 0, w: 200, h: 40 }])).toEqual(fitCamera(b, viewport, base))
    expect(fitCameraAround(b, viewport, base, [])).toEqual(fitCamera(b, viewport, base))
  })
})

describe('readable views (FIT-2)', () => {
  const viewport = { w: 1440, h: 900 }
  const base = { top: 60, right: 12, bottom: 64, left: 12 }
  const insights = { x: 8, y: 50, w: 316, h: 780 }

  it('FIT-2 the readable zoom draws note text (22 page px) at 11 CSS px or more', () => {
    expect(NOTE_TEXT_PAGE_PX * READABLE_ZOOM).toBeGreaterThanOrEqual(10)
    expect(READABLE_ZOOM).toBeCloseTo(0.5, 9)
  })

  it('FIT-2 a template that fits readably is fitted around the panels, as zoom to fit does', () => {
    const small = { x: 100, y: 100, w: 1600, h: 900 }
    const cam = readableCamera(small, viewport, base, [insights])
    expect(cam).toEqual(fitCameraAround(small, viewport, base, [insights]))
    expect(cam.z).toBeGreaterThanOrEqual(0.5)
  })

  it('FIT-2 a template too big to fit readably is shown at the readable zoom from its top-left corner, clear of the panel', () => {
    const big = { x: 5000, y: -300, w: 4000, h: 2600 }
    expect(fitCameraAround(big, viewport, base, [insights]).z).toBeLessThan(0.5)
    const cam = readableCamera(big, viewport, base, [insights])
    expect(cam.z).toBe(0.5)
    const tl = toScreen(cam, { x: big.x, y: big.y })
    // The corner lies in the free area right of the insights panel, 16 px inside it.
    expect(tl.x).toBeCloseTo(324 + 16, 6)
    expect(tl.y).toBeCloseTo(60 + 16, 6)
  })

  it('FIT-2 a very wide, low template at the readable zoom is centred vertically', () => {
    const wide = { x: 0, y: 0, w: 9000, h: 600 }
    const cam = readableCamera(wide, viewport, base, [])
    expect(cam.z).toBe(0.5)
    const tl = toScreen(cam, wide)
    const br = toScreen(cam, { x: wide.w, y: wide.h })
    expect(tl.x).toBeCloseTo(12 + 16, 6)
    expect((tl.y + br.y) / 2).toBeCloseTo(60 + (900 - 60 - 64) / 2, 6)
  })
})
