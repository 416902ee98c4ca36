import { t } from '../../shared/i18n/index.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { CollapseButton } from './CollapseButton.tsx'
import { ParticipantsPanel } from './ParticipantsPanel.tsx'
import { ShareButton } from './ShareDialog.tsx'
import { FacilitatorPanel } from '../facilitation/index.tsx'

/**
 * tldraw's share-panel slot: the "Share" button (invite links, SHARE-1), then the participants
 * panel with a collapse control (PNL-1). Collapsed, it keeps the connection status and the
 * number of people visible.
 */
export function ParticipantsSlot() {
  const lang = useSession((s) => s.language)
  const open = useSession((s) => s.participantsOpen)
  const status = useSession((s) => s.connection)
  // Viewers are counted apart (ROLE-C4).
  const count = useSession((s) => s.participants.filter((p) => p.role !== 'viewer').length)
  const setOpen = (o: boolean) => sessionStore.getState().setPanelOpen('participants', o)
  const statusText = t(lang, status === 'online' ? 'connected' : status === 'connecting' ? 'connecting' : 'reconnecting')
  if (!open) {
    return (
      <div className="arvo-share-slot">
        <ShareButton />
        <button
          className="arvo-panel arvo-collapsed-bar"
          data-testid="participants-show"
          aria-expanded={false}
          aria-label={`${t(lang, 'showParticipants')}: ${t(lang, 'participantsCount', { count })}`}
          title={t(lang, 'showParticipants')}
          onClick={() => setOpen(true)}
        >
          <span className={`arvo-status arvo-status-${status}`} data-testid="connection-status" data-status={status}>
            <span className="arvo-visually-hidden">{statusText}</span>
          </span>
          <span>{t(lang, 'participants')}</span>
          <span className="arvo-count">{count}</span>
        </button>
        <FacilitatorPanel />
      </div>
    )
  }
  return (
    <div className="arvo-share-slot">
      <ShareButton />
      <div className="arvo-collapsible" data-testid="participants-slot">
        <ParticipantsPanel />
        <CollapseButton label={t(lang, 'hideParticipants')} testId="participants-hide" onClick={() => setOpen(false)} />
      </div>
      <FacilitatorPanel />
    </div>
  )
}
