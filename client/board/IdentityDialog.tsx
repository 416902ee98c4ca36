import { useState, type FormEvent } from 'react'
import { t, sideName } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { newUserId, sessionStore, useSession, type Identity } from '../state/session.ts'
import { LanguagePicker } from './LanguagePicker.tsx'

/** Asks once for a display name and a side; remembered in this browser. */
export function IdentityDialog({ onDone }: { onDone?: () => void }) {
  const lang = useSession((s) => s.language)
  const current = useSession((s) => s.identity)
  const [name, setName] = useState(current?.name ?? '')
  const [side, setSide] = useState<Side | null>(current?.side ?? null)

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!name.trim() || !side) return
    const identity: Identity = { id: current?.id ?? newUserId(), name: name.trim().slice(0, 60), side }
    sessionStore.getState().setIdentity(identity)
    onDone?.()
  }

  return (
    <main className="arvo-page">
      <form className="arvo-card" onSubmit={submit} data-testid="identity-dialog">
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
        <fieldset className="arvo-field">
          <legend>{t(lang, 'yourSide')}</legend>
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
        <button className="arvo-primary" type="submit" data-testid="identity-join" disabled={!name.trim() || !side}>
          {t(lang, 'join')}
        </button>
      </form>
    </main>
  )
}
