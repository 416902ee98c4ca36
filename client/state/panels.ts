/**
 * Panel and hint state remembered per browser (PNL-1, HINT-1). Pure: the caller passes what
 * storage holds and the viewport width, so vitest (Node) can import it.
 */

/** Below this viewport width (CSS px) panels start collapsed, unless this browser opened them. */
export const COMPACT_VIEWPORT_PX = 1100

/** The collapsible Arvo panels. */
export type PanelId = 'insights' | 'participants' | 'action'

/** localStorage keys (insights keeps the key it had before panels were collapsible). */
export const PANEL_KEYS: Readonly<Record<PanelId, string>> = {
  insights: 'arvo.insightsOpen',
  participants: 'arvo.participantsOpen',
  action: 'arvo.actionPanelOpen',
}

/** localStorage key: the first-time hint was dismissed (or its work done) in this browser. */
export const HINT_KEY = 'arvo.hintDismissed'

/**
 * Whether a panel starts open: as this browser last left it; never set, open on a wide
 * screen and collapsed on a small one.
 *
 * @param stored - The stored value (`'true'`, `'false'`, or null when never set).
 * @param viewportWidth - `window.innerWidth`.
 */
export function initialPanelOpen(stored: string | null, viewportWidth: number): boolean {
  if (stored === 'true') return true
  if (stored === 'false') return false
  return viewportWidth >= COMPACT_VIEWPORT_PX
}
