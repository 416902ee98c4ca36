import { useState } from 'react'
import { t } from '../../shared/i18n/index.ts'
import type { CreateBoardResponse } from '../../shared/protocol.ts'
import { LanguagePicker } from '../board/LanguagePicker.tsx'
import { useSession } from '../state/session.ts'

/** Landing page: create a new board. */
export function HomePage() {
  const lang = useSession((s) => s.language)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function createBoard() {
    setBusy(true)
    setError(null)
    try {
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ language: lang }),
      })
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`)
      const board = (await res.json()) as CreateBoardResponse
      window.location.assign(`/b/${board.id}`)
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }

  return (
    <main className="arvo-page">
      <div className="arvo-card">
        <div className="arvo-card-top">
          <h1 className="arvo-logo">{t(lang, 'appName')}</h1>
          <LanguagePicker />
        </div>
        <p className="arvo-lead">{t(lang, 'newBoardHint')}</p>
        <button className="arvo-primary" data-testid="new-board" disabled={busy} onClick={createBoard}>
          {t(lang, 'newBoard')}
        </button>
        {error && (
          <p className="arvo-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </main>
  )
}
