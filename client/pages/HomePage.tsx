import { useState, type ChangeEvent } from 'react'
import { TEMPLATE_KINDS, type TemplateKind } from '../../shared/domain/index.ts'
import { t } from '../../shared/i18n/index.ts'
import type { CreateBoardResponse } from '../../shared/protocol.ts'
import { CREATE_TOKEN_KEY, sameOriginLink, tokenOfLink, writeToken } from '../access/tokens.ts'
import { LanguagePicker } from '../board/LanguagePicker.tsx'
import { TEMPLATE_NAME_KEYS } from '../board/templateNames.ts'
import { MyBoards } from '../home/MyBoards.tsx'
import { recordBoard } from '../home/myBoards.ts'
import { importBackup } from '../home/importBackup.ts'
import { useSession } from '../state/session.ts'

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}
function store(key: string, value: string | null): void {
  try {
    if (value) localStorage.setItem(key, value)
    else localStorage.removeItem(key)
  } catch {
    // not remembered: asked again next time
  }
}

/**
 * Opens a board this browser just made (created, or imported from a backup) as its facilitator:
 * it keeps the facilitator token (the server's own answer, no need to confirm it), remembers a
 * create token that worked, and lists the board in "My boards" at once (HOME-3).
 */
function openNewBoard(board: CreateBoardResponse, templates: readonly TemplateKind[], bearer: string | null): void {
  if (bearer) store(CREATE_TOKEN_KEY, bearer)
  const token = tokenOfLink(board.links.facilitator)
  if (token) writeToken(localStorage, board.id, token)
  try {
    recordBoard(localStorage, { id: board.id, title: null, templates }, Date.now())
  } catch {
    // storage blocked: the board opens all the same
  }
  window.location.assign(token ? `/b/${board.id}` : sameOriginLink(board.links.facilitator, window.location.origin))
}

/**
 * Landing page: create a new board, optionally with templates (the same choice as
 * `POST /api/boards`). Templates are placed in the page's current language. The creating browser
 * opens the board through its facilitator link (SHARE-3). A server with ARVO_CREATE_TOKEN answers
 * 401 without it: the page asks for the create token once and remembers it in this browser.
 * Below, "Import a board backup" (issue 12: a JSON backup becomes a new board, opened the same
 * way) and "My boards" (HOME-4): the boards this browser facilitates.
 */
export function HomePage() {
  const lang = useSession((s) => s.language)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<ReadonlySet<TemplateKind>>(new Set())
  // null: not asked (none needed so far); a string: the field's content.
  const [createToken, setCreateToken] = useState<string | null>(null)
  const [tokenRefused, setTokenRefused] = useState(false)

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
      const bearer = createToken?.trim() || stored(CREATE_TOKEN_KEY)
      const res = await fetch('/api/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ templates, language: lang }),
      })
      if (res.status === 401) {
        // ARVO_CREATE_TOKEN: ask for it (again, when the one given or remembered was refused).
        store(CREATE_TOKEN_KEY, null)
        setTokenRefused(bearer !== null)
        setCreateToken((t) => t ?? '')
        setBusy(false)
        return
      }
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`)
      const board = (await res.json()) as CreateBoardResponse
      openNewBoard(board, templates, bearer)
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }

  const [importing, setImporting] = useState(false)
  const [importError, setImportError] = useState<string | null>(null)

  async function importFile(e: ChangeEvent<HTMLInputElement>) {
    const input = e.target
    const file = input.files?.[0]
    if (!file) return
    setImporting(true)
    setImportError(null)
    setError(null)
    let body: string
    try {
      body = await file.text()
    } catch (err) {
      setImportError(t(lang, 'importRefused', { reason: (err as Error).message }))
      setImporting(false)
      input.value = ''
      return
    }
    const bearer = createToken?.trim() || stored(CREATE_TOKEN_KEY)
    const outcome = await importBackup(body, bearer)
    input.value = ''
    if (outcome.ok) {
      openNewBoard(outcome.board, [], bearer)
      return
    }
    setImporting(false)
    if (outcome.kind === 'token') {
      // ARVO_CREATE_TOKEN: asked as for creating a board; then the file is chosen again.
      store(CREATE_TOKEN_KEY, null)
      setTokenRefused(bearer !== null)
      setCreateToken((v) => v ?? '')
    } else if (outcome.kind === 'network') setImportError(t(lang, 'importUnreachable'))
    else if (outcome.error) setImportError(t(lang, 'importRefused', { reason: outcome.error }))
    else setImportError(t(lang, 'importFailedStatus', { status: String(outcome.status) }))
  }

  return (
    <main className="arvo-page arvo-home">
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
        {createToken !== null && (
          <label className="arvo-field" data-testid="create-token-field">
            <span>{t(lang, 'createTokenLabel')}</span>
            <span className="arvo-muted arvo-small">{t(lang, 'createTokenPrompt')}</span>
            <input
              data-testid="create-token"
              type="password"
              autoComplete="off"
              value={createToken}
              onChange={(e) => setCreateToken(e.target.value)}
            />
            {tokenRefused && (
              <span className="arvo-error" role="alert" data-testid="create-token-refused">
                {t(lang, 'createTokenWrong')}
              </span>
            )}
          </label>
        )}
        <button className="arvo-primary" data-testid="new-board" disabled={busy || createToken?.trim() === ''} onClick={createBoard}>
          {selected.size > 0 ? t(lang, 'createBoardWithTemplates') : t(lang, 'newBoard')}
        </button>
        {error && (
          <p className="arvo-error" role="alert">
            {error}
          </p>
        )}
        <div className="arvo-import" data-testid="import-backup">
          <label className={`arvo-secondary arvo-import-button${importing ? ' is-busy' : ''}`}>
            <input
              type="file"
              accept=".json,application/json"
              className="arvo-import-input"
              data-testid="import-file"
              disabled={importing}
              onChange={importFile}
            />
            {t(lang, 'importBackup')}
          </label>
          <span className="arvo-muted arvo-small">{t(lang, 'importBackupHint')}</span>
          {importing && (
            <span className="arvo-small" role="status" data-testid="import-busy">
              {t(lang, 'importing')}
            </span>
          )}
          {importError && (
            <p className="arvo-error" role="alert" data-testid="import-error">
              {importError}
            </p>
          )}
        </div>
      </div>
      <MyBoards lang={lang} />
    </main>
  )
}
