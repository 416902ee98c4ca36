import { useState } from 'react'
import { t } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { SideLegend } from './InsightsPanel.tsx'
import { LanguagePicker } from './LanguagePicker.tsx'

/** Top-right panel: connection state, who is here (side, online/idle), language, link. */
export function ParticipantsPanel() {
  const lang = useSession((s) => s.language)
  const status = useSession((s) => s.connection)
  const participants = useSession((s) => s.participants)
  const [copied, setCopied] = useState(false)

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      window.prompt(t(lang, 'copyLink'), window.location.href)
    }
  }

  return (
    <div className="arvo-panel" data-testid="participants-panel">
      <div className="arvo-panel-row">
        <span className={`arvo-status arvo-status-${status}`} data-testid="connection-status" data-status={status}>
          {t(lang, status === 'online' ? 'connected' : status === 'connecting' ? 'connecting' : 'reconnecting')}
        </span>
        <LanguagePicker />
      </div>
      <h2 className="arvo-panel-title">
        {t(lang, 'participants')} <span className="arvo-count">{participants.length}</span>
      </h2>
      <ul className="arvo-participants" data-testid="participants">
        {participants.map((p) => (
          <li key={p.clientId} data-side={p.side} data-idle={p.idle} data-testid="participant">
            <span className="arvo-dot" style={{ background: p.color }} aria-hidden />
            <span className="arvo-participant-name">
              {p.name}
              {p.isSelf && <span className="arvo-muted"> ({t(lang, 'you')})</span>}
            </span>
            <span className={`arvo-side-tag arvo-side-tag-${p.side}`}>
              {t(lang, p.side === 'provider' ? 'sideProvider' : 'sideCustomer')}
            </span>
            <span className={`arvo-presence ${p.idle ? 'is-idle' : 'is-online'}`}>{t(lang, p.idle ? 'idle' : 'online')}</span>
          </li>
        ))}
      </ul>
      <SideLegend lang={lang} />
      <button className="arvo-secondary" onClick={copyLink} data-testid="copy-link">
        {copied ? t(lang, 'linkCopied') : t(lang, 'copyLink')}
      </button>
    </div>
  )
}
