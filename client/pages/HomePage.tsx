import { useState } from 'react'
import { TEMPLATE_KINDS, type TemplateKind } from '../../shared/domain/index.ts'
import { t } from '../../shared/i18n/index.ts'
import type { CreateBoardResponse } from '../../shared/protocol.ts'
import { LanguagePicker } from '../board/LanguagePicker.tsx'
import { writeOwnerKey } from '../board/owner.ts'
import { TEMPLATE_NAME_KEYS } from '../board/templateNames.ts'
import { useSession } from '../state/session.ts'

/**
 * Landing page: create a new board, optionally with templates (the same choice as
 * `POST /api/boards`). Templates are placed in the page's current language.
 */
export function HomePage() {
  const lang = useSession((s) => s.language)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<ReadonlySet<TemplateKind>>(new Set())

  const toggle = (kind: TemplateKind) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(kind)) next.delete(kind)
      else next.add(kind)
      return next
    })

  async function createBoard() {
    setBusy(true)
    setError(null)
    try {
      // In the picker's order, left to right on the board.
      const templates = TEMPLATE_KINDS.filter((k) => selected.has(k))
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ templates, language: lang }),
      })
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`)
      const board = (await res.json()) as CreateBoardResponse
      // This browser created the board: it owns it (LOCK-1).
      writeOwnerKey(localStorage, board.id, board.ownerKey)
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
        <fieldset className="arvo-templates" data-testid="home-templates">
          <legend>{t(lang, 'homeTemplates')}</legend>
          {TEMPLATE_KINDS.map((kind) => (
            <label key={kind} className={`arvo-template-option${selected.has(kind) ? ' is-selected' : ''}`}>
              <input
                type="checkbox"
                data-testid={`template-${kind}`}
                checked={selected.has(kind)}
                onChange={() => toggle(kind)}
              />
              {t(lang, TEMPLATE_NAME_KEYS[kind])}
            </label>
          ))}
        </fieldset>
        <button className="arvo-primary" data-testid="new-board" disabled={busy} onClick={createBoard}>
          {selected.size > 0 ? t(lang, 'createBoardWithTemplates') : t(lang, 'newBoard')}
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
