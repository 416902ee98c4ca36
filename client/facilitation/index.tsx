/**
 * The facilitator's tools (issue 11) as tldraw slot content: `FacilitationTop` (title, timer,
 * agenda strip, "you are following": everyone), `FacilitatorPanel` (facilitator only: the
 * controls), `FacilitationCanvas` (page-space effects: follow-me, spotlight dimming), and
 * `FollowButton` for the participants panel.
 */
import './facilitation.css'

export { FacilitationTop } from './FacilitationTop.tsx'
export { FacilitatorPanel } from './FacilitatorPanel.tsx'
export { FacilitationCanvas } from './FacilitationCanvas.tsx'
export { FollowButton } from './FollowButton.tsx'
