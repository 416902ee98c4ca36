/**
 * The facilitator's panel (issue 11): board title, timer, lock, follow-me, spotlight, agenda,
 * then the workshop sections. Rendered only for the facilitator role. Skeleton; filled in below.
 */
import { useBoard } from '../board/context.ts'

export function FacilitatorPanel() {
  const { access } = useBoard()
  if (access.role !== 'facilitator') return null
  return <section className="arvo-facilitator-panel" data-testid="facilitator-panel" />
}
