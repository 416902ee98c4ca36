import { useState, type FormEvent } from 'react'
import { t, sideName } from '../../shared/i18n/index.ts'
import type { Role, Side } from '../../shared/protocol.ts'
import { newUserId, sessionStore, useSession, type Identity } from '../state/session.ts'
import { LanguagePicker } from './LanguagePicker.tsx'

/**
 * Asks once for a display name, remembered in this browser (ROLE-C1). The side comes from the
 * link for participants (shown, not asked) and does not apply to viewers; only a facilitator
 * picks the side their own notes take.
 */
export function IdentityDialog({ role, linkSide, onDone }: { role: Role; linkSide: Side | null; onDone?: () => void }) {
  const lang = useSession((s) => s.language)
  const current = useSession((s) => s.identity)
  const [name, setName] = useState(current?.name ?? '')
  const [side, setSide] = useState<Side | null>(current?.side ?? null)
  const choosesSide = role === 'facilitator'
  const ready = !!name.trim() && (!choosesSide || !!side)

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!ready) return
    const identity: Identity = { id: current?.id ?? newUserId(), name: name.trim().slice(0, 60), side: choosesSide ? side : (current?.side ?? null) }
    sessionStore.getState().setIdentity(identity)
    onDone?.()
  }

  return (
    <main className="arvo-page">
      <form className="arvo-card" onSubmit={submit} data-testid="identity-dialog" data-role={role}>
        <div className="arvo-card-top">
          <h1 className="arvo-logo">{t(lang, 'appName')}</h1>
          <LanguagePicker />
        </div>
        <label className="arvo-field">
          <span>{t(lang, 'yourName')}</span>
          <input
            data-testid="identity-name"
            autoFocus
            value={name}
            maxLength={60}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {choosesSide && (
          <fieldset className="arvo-field">
            <legend>{t(lang, 'yourSideFacilitator')}</legend>
            <div className="arvo-sides">
              {(['provider', 'customer'] as const).map((s) => (
                <label key={s} className={`arvo-side-option arvo-side-${s}${side === s ? ' is-selected' : ''}`}>
                  <input
                    type="radio"
                    name="side"
                    value={s}
                    data-testid={`identity-side-${s}`}
                    checked={side === s}
                    onChange={() => setSide(s)}
                  />
                  {sideName(lang, s)}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {role === 'participant' && linkSide && (
          <p className="arvo-field arvo-joining-as" data-testid="identity-link-side" data-side={linkSide}>
            <span>{t(lang, 'yourSide')}</span>
            <span className={`arvo-side-tag arvo-side-tag-${linkSide}`}>{sideName(lang, linkSide)}</span>
            <span className="arvo-muted arvo-small">{t(lang, 'sideFromLink')}</span>
          </p>
        )}
        {role === 'viewer' && (
          <p className="arvo-muted" data-testid="identity-viewer">
            {t(lang, 'joinAsViewer')}
          </p>
        )}
        <button className="arvo-primary" type="submit" data-testid="identity-join" disabled={!ready}>
          {t(lang, 'join')}
        </button>
      </form>
    </main>
  )
}
