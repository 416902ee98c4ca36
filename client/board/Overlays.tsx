import { DefaultHelperButtons } from 'tldraw'
import { t } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { ActionPanel } from './ActionPanel.tsx'
import { ConnectionBanner } from './ConnectionBanner.tsx'
import { FirstHint } from './FirstHint.tsx'
import { InsightsPanel } from './InsightsPanel.tsx'
import { TemplateNavigator } from './TemplateNavigator.tsx'
import { TemplatePicker } from './TemplatePicker.tsx'
import { useBoard } from './context.ts'
import { FacilitationTop } from '../facilitation/index.tsx'
import { WorkshopTop } from '../workshop/index.tsx'
import { MyBoardRecorder } from '../home/MyBoardRecorder.tsx'
import { ExportStatus } from '../export/ExportStatus.tsx'
import { OutlinePanel } from '../export/OutlinePanel.tsx'

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

/**
 * tldraw's page-menu slot: an Arvo board is one shared page, so instead of tldraw's page menu
 * (which would let someone wander off to a page nobody else looks at) it shows the page's name
 * in this person's language.
 */
export function BoardPageName() {
  const lang = useSession((s) => s.language)
  return (
    <div className="arvo-page-name" data-testid="page-name">
      {t(lang, 'boardPageName')}
    </div>
  )
}

/**
 * What this person's role means now (ROLE-C2, ROLE-C3): a viewer is told they are viewing; while
 * the facilitator has locked the board everyone sees it (the facilitator in their own words).
 */
export function RoleBanner() {
  const lang = useSession((s) => s.language)
  const locked = useSession((s) => s.sessionFlags.boardLocked)
  const { access } = useBoard()
  return (
    <>
      {access.role === 'viewer' && (
        <div className="arvo-role-banner" role="status" data-testid="viewer-indicator">
          {t(lang, 'viewerIndicator')}
        </div>
      )}
      {locked && (
        <div className="arvo-banner arvo-lock-banner" role="status" data-testid="board-locked-banner">
          {t(lang, access.role === 'facilitator' ? 'boardLockedByYou' : 'boardLockedBanner')}
        </div>
      )}
    </>
  )
}

/** tldraw's top-centre slot: template picker, template navigator, role and lock banners, connection banner, notices, export progress, first-time hint. */
export function TopCenter() {
  return (
    <div className="arvo-top-center" data-testid="top-center">
      <TemplatePicker />
      <TemplateNavigator />
      <FacilitationTop />
      <WorkshopTop />
      <MyBoardRecorder />
      <RoleBanner />
      <ConnectionBanner />
      <Notice />
      <ExportStatus />
      <FirstHint />
    </div>
  )
}

/**
 * tldraw's helper-buttons slot (top left, under the main menu, above the bottom bar): tldraw's
 * own helper buttons, then the action-plan panel, the outline view (issue 12) and the insights panel. Living inside
 * tldraw's layout keeps them clear of the toolbar and under tldraw's menus.
 */
export function LeftColumn() {
  return (
    <>
      <DefaultHelperButtons />
      <div className="arvo-left" data-testid="left-column">
        <ActionPanel />
        <OutlinePanel />
        <InsightsPanel />
      </div>
    </>
  )
}
