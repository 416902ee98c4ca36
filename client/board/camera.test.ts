import { describe, expect, it } from 'vitest'
import { fitCamera, unionBoxes } from './camera.ts'

const toScreen = (c: { x: number; y: number; z: number }, p: { x: number; y: number }) => ({
  x: (p.x + c.x) * c.z,
  y: (p.y + c.y) * c.z,
})

describe('zoom to fit around panels', () => {
  const viewport = { w: 1440, h: 900 }
  const insets = { top: 50, right: 20, bottom: 70, left: 330 }

  it('fits the bounds inside the free area, centred there', () => {
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

  it('does not blow small content up past the maximum zoom, and respects the minimum', () => {
    expect(fitCamera({ x: 0, y: 0, w: 100, h: 100 }, viewport, insets).z).toBe(1)
    expect(fitCamera({ x: 0, y: 0, w: 1e7, h: 1e7 }, viewport, insets).z).toBe(0.05)
    expect(fitCamera({ x: 0, y: 0, w: 0, h: 0 }, viewport, insets, { max: 2 }).z).toBe(2)
  })

  it('unions boxes', () => {
    expect(unionBoxes([])).toBeNull()
    expect(unionBoxes([{ x: 0, y: 0, w: 10, h: 10 }, { x: -5, y: 20, w: 10, h: 5 }])).toEqual({ x: -5, y: 0, w: 15, h: 25 })
  })
})
