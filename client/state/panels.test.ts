import { describe, expect, it } from 'vitest'
import { COMPACT_VIEWPORT_PX, initialPanelOpen } from './panels.ts'

describe('panel state (PNL-1)', () => {
  it('PNL-1 panels start open on a wide screen and collapsed below 1100 px', () => {
    expect(COMPACT_VIEWPORT_PX).toBe(1100)
    expect(initialPanelOpen(null, 1440)).toBe(true)
    expect(initialPanelOpen(null, 1100)).toBe(true)
    expect(initialPanelOpen(null, 1099)).toBe(false)
    expect(initialPanelOpen(null, 1024)).toBe(false)
  })

  it('PNL-1 what this browser chose wins over the screen size', () => {
    expect(initialPanelOpen('true', 800)).toBe(true)
    expect(initialPanelOpen('false', 1920)).toBe(false)
    expect(initialPanelOpen('garbage', 800)).toBe(false)
  })
})
