import { useState } from 'react'
import { t, sideName } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { useBoard } from './context.ts'
import { SideLegend } from './InsightsPanel.tsx'
import { ownerLink } from './owner.ts'
import { LanguagePicker } from './LanguagePicker.tsx'

/** Top-right panel: connection state, who is here (side, online/idle), language, link. */
export function ParticipantsPanel() {
  const lang = useSession((s) => s.language)
  const status = useSession((s) => s.connection)
  const participants = useSession((s) => s.participants)
  const { role, ownerKey } = useBoard()
  const [copied, setCopied] = useState<'link' | 'owner' | null>(null)

  async function copy(which: 'link' | 'owner') {
    // The participants' link never carries the owner key (BoardPage takes it off the address bar).
    const plain = window.location.href.replace(/#.*$/, '')
    const text = which === 'owner' && ownerKey ? ownerLink(plain, ownerKey) : plain
    try {
      await navigator.clipboard.writeText(text)
      setCopied(which)
      setTimeout(() => setCopied(null), 2000)
    } catch {
      window.prompt(t(lang, which === 'owner' ? 'copyOwnerLink' : 'copyLink'), text)
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
          <li
            key={p.clientId}
            data-side={p.side}
            data-idle={p.idle}
            data-testid="participant"
            title={`${p.name} – ${sideName(lang, p.side)}`}
          >
            <span className="arvo-dot" style={{ background: p.color }} aria-hidden />
            <span className="arvo-participant-name">
              {p.name}
              {p.isSelf && <span className="arvo-muted"> ({t(lang, 'you')})</span>}
            </span>
            <span className={`arvo-side-tag arvo-side-tag-${p.side}`}>
              {sideName(lang, p.side)}
            </span>
            <span className={`arvo-presence ${p.idle ? 'is-idle' : 'is-online'}`}>{t(lang, p.idle ? 'idle' : 'online')}</span>
          </li>
        ))}
      </ul>
      <SideLegend lang={lang} />
      <div className="arvo-panel-row arvo-link-row">
        <button className="arvo-secondary" onClick={() => copy('link')} data-testid="copy-link">
          {copied === 'link' ? t(lang, 'linkCopied') : t(lang, 'copyLink')}
        </button>
        {role === 'owner' && ownerKey && (
          <button className="arvo-secondary" onClick={() => copy('owner')} data-testid="copy-owner-link" title={t(lang, 'ownerLinkHint')}>
            {copied === 'owner' ? t(lang, 'linkCopied') : t(lang, 'copyOwnerLink')}
          </button>
        )}
      </div>
      {role === 'owner' && (
        <p className="arvo-muted arvo-owner-note" data-testid="owner-note">
          {t(lang, 'youOwnThisBoard')}
        </p>
      )}
    </div>
  )
}
