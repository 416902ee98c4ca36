/**
 * The facilitator's tools (issue 11) as tldraw slot content: `FacilitationTop` (title, timer,
 * agenda strip: everyone), `FacilitatorPanel` (facilitator only: the controls),
 * `FacilitationCanvas` (page-space overlays and effects: follow, spotlight dimming).
 * Placeholders until the feature lands.
 */
export function FacilitationTop(): null {
  return null
}

export function FacilitatorPanel(): null {
  return null
}

export function FacilitationCanvas(): null {
  return null
}
