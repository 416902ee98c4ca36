import { t, sideName } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { useBoard } from './context.ts'
import { SideLegend } from './InsightsPanel.tsx'
import { LanguagePicker } from './LanguagePicker.tsx'
import { FollowButton } from '../facilitation/FollowButton.tsx'

/**
 * Top-right panel: connection state, who is here (side, online/idle, a facilitator badge from
 * the role the server set; viewers are counted, not listed — ROLE-C4), language.
 */
export function ParticipantsPanel() {
  const lang = useSession((s) => s.language)
  const status = useSession((s) => s.connection)
  const everyone = useSession((s) => s.participants)
  const { access } = useBoard()
  const participants = everyone.filter((p) => p.role !== 'viewer')
  const viewers = everyone.length - participants.length

  return (
    <div className="arvo-panel" data-testid="participants-panel">
      <div className="arvo-panel-row">
        <span className={`arvo-status arvo-status-${status}`} data-testid="connection-status" data-status={status}>
          {t(lang, status === 'online' ? 'connected' : status === 'connecting' ? 'connecting' : 'reconnecting')}
        </span>
        <LanguagePicker />
      </div>
      <h2 className="arvo-panel-title">
        {t(lang, 'participants')}{' '}
        <span className="arvo-count" title={t(lang, 'participantsCount', { count: participants.length })}>
          {participants.length}
        </span>
      </h2>
      <ul className="arvo-participants" data-testid="participants">
        {participants.map((p) => (
          <li
            key={p.clientId}
            data-side={p.side}
            data-idle={p.idle}
            data-role={p.role}
            data-testid="participant"
            title={`${p.name} – ${sideName(lang, p.side)}${p.role === 'facilitator' ? ` (${t(lang, 'facilitatorBadge')})` : ''}`}
          >
            <span className="arvo-dot" style={{ background: p.color }} aria-hidden />
            <span className="arvo-participant-name">
              {p.name}
              {p.isSelf && <span className="arvo-muted"> ({t(lang, 'you')})</span>}
              {p.role === 'facilitator' && (
                <span className="arvo-role-badge" data-testid="facilitator-badge">
                  {t(lang, 'facilitatorBadge')}
                </span>
              )}
            </span>
            <span className={`arvo-side-tag arvo-side-tag-${p.side}`}>
              {sideName(lang, p.side)}
            </span>
            <span className={`arvo-presence ${p.idle ? 'is-idle' : 'is-online'}`}>{t(lang, p.idle ? 'idle' : 'online')}</span>
            <FollowButton person={p} />
          </li>
        ))}
      </ul>
      {viewers > 0 && (
        <p className="arvo-muted arvo-viewers" data-testid="viewers-count" data-count={viewers}>
          {t(lang, 'viewersCount', { count: viewers })}
        </p>
      )}
      <SideLegend lang={lang} />
      {access.role === 'facilitator' && (
        <p className="arvo-muted arvo-owner-note" data-testid="facilitator-note">
          {t(lang, 'youAreFacilitator')}
        </p>
      )}
    </div>
  )
}
