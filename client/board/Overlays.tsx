import { DefaultHelperButtons } from 'tldraw'
import { useSession } from '../state/session.ts'
import { ActionPanel } from './ActionPanel.tsx'
import { ConnectionBanner } from './ConnectionBanner.tsx'
import { InsightsPanel } from './InsightsPanel.tsx'
import { TemplatePicker } from './TemplatePicker.tsx'

/** A short message for this person only (e.g. a refused rating click). */
export function Notice() {
  const notice = useSession((s) => s.notice)
  if (!notice) return null
  return (
    <div className="arvo-notice" role="status" data-testid="notice">
      {notice.text}
    </div>
  )
}

/** tldraw's top-centre slot: template picker, connection banner, notices. */
export function TopCenter() {
  return (
    <div className="arvo-top-center">
      <TemplatePicker />
      <ConnectionBanner />
      <Notice />
    </div>
  )
}

/**
 * tldraw's helper-buttons slot (top left, under the main menu, above the bottom bar): tldraw's
 * own helper buttons, then the action-plan panel and the insights panel. Living inside
 * tldraw's layout keeps them clear of the toolbar and under tldraw's menus.
 */
export function LeftColumn() {
  return (
    <>
      <DefaultHelperButtons />
      <div className="arvo-left" data-testid="left-column">
        <ActionPanel />
        <InsightsPanel />
      </div>
    </>
  )
}
