import { useEffect, useRef, useState } from 'react'
import { EditorPortal } from 'tldraw'
import { t, type Language, type MessageKey } from '../../shared/i18n/index.ts'
import { LINK_ROLES, type LinkRole, type LinksResponse } from '../../shared/protocol.ts'
import { fetchLinks } from '../access/links.ts'
import { useSession } from '../state/session.ts'
import { useBoard } from './context.ts'

/** Each link's name and the one line saying what it may do (SHARE-1). */
export const LINK_TEXT: Record<LinkRole, { name: MessageKey; can: MessageKey }> = {
  facilitator: { name: 'linkFacilitator', can: 'linkFacilitatorCan' },
  provider: { name: 'linkProvider', can: 'linkProviderCan' },
  customer: { name: 'linkCustomer', can: 'linkCustomerCan' },
  viewer: { name: 'linkViewer', can: 'linkViewerCan' },
}

/** The "Share" button of the top bar; opens the Share dialog. */
export function ShareButton() {
  const lang = useSession((s) => s.language)
  const [open, setOpen] = useState(false)
  return (
    <>
      <button className="arvo-primary arvo-compact arvo-share-button" data-testid="share-button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t(lang, 'share')}
      </button>
      {open && <ShareDialog onClose={() => setOpen(false)} />}
    </>
  )
}

/**
 * The Share dialog (SHARE-1, SHARE-2): for the facilitator the board's four invite links, each
 * with a copy button, one line saying what it may do, and "Reset this link" (confirmed; the old
 * token stops working at once and its holders are told why). Everyone else sees a hint to ask
 * the facilitator. Drawn in tldraw's container (EditorPortal) so it follows tldraw's theme and
 * covers tldraw's menus.
 */
export function ShareDialog({ onClose }: { onClose(): void }) {
  const lang = useSession((s) => s.language)
  const { access } = useBoard()
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    closeRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        onClose()
      }
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [onClose])

  return (
    <EditorPortal>
    <div className="arvo-modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="arvo-panel arvo-modal arvo-share" role="dialog" aria-modal="true" aria-labelledby="arvo-share-title" data-testid="share-dialog">
        <div className="arvo-modal-head">
          <h2 id="arvo-share-title" className="arvo-panel-title">
            {t(lang, 'shareTitle')}
          </h2>
          <button ref={closeRef} className="arvo-secondary arvo-compact" data-testid="share-close" onClick={onClose}>
            {t(lang, 'close')}
          </button>
        </div>
        {access.role === 'facilitator' ? (
          <ShareLinks lang={lang} />
        ) : (
          <p className="arvo-lead" data-testid="share-ask-facilitator">
            {t(lang, 'shareAskFacilitator')}
          </p>
        )}
      </div>
    </div>
    </EditorPortal>
  )
}

function ShareLinks({ lang }: { lang: Language }) {
  const { boardId, access, rotateLinks } = useBoard()
  const [links, setLinks] = useState<LinksResponse | null>(null)
  const [failed, setFailed] = useState(false)
  const [reset, setReset] = useState<LinkRole | null>(null)

  useEffect(() => {
    let cancelled = false
    fetchLinks(boardId, access.token).then(
      (res) => !cancelled && setLinks(res),
      () => !cancelled && setFailed(true),
    )
    return () => {
      cancelled = true
    }
  }, [boardId, access.token])

  if (failed) return <p className="arvo-error" role="alert">{t(lang, 'linksLoadFailed')}</p>
  if (!links) return <p className="arvo-muted">{t(lang, 'connecting')}</p>
  return (
    <>
      <p className="arvo-lead arvo-small">{t(lang, 'shareIntro')}</p>
      <ul className="arvo-share-links">
        {LINK_ROLES.map((role) => (
          <ShareLinkRow
            key={role}
            lang={lang}
            role={role}
            link={links.links[role]}
            expiresAt={links.expiresAt[role]}
            wasReset={reset === role}
            onReset={async () => {
              const res = await rotateLinks([role])
              setLinks(res)
              setReset(role)
            }}
          />
        ))}
      </ul>
    </>
  )
}

function ShareLinkRow(props: {
  lang: Language
  role: LinkRole
  link: string
  expiresAt: string | null
  wasReset: boolean
  onReset(): Promise<void>
}) {
  const { lang, role, link, expiresAt, wasReset } = props
  const [copied, setCopied] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const name = t(lang, LINK_TEXT[role].name)

  async function copy() {
    try {
      await navigator.clipboard.writeText(link)
    } catch {
      // No clipboard permission: select the link so that Ctrl+C copies it.
      input.current?.select()
      document.execCommand?.('copy')
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }

  async function reset() {
    setBusy(true)
    setError(false)
    try {
      await props.onReset()
      setConfirming(false)
    } catch {
      setError(true)
    } finally {
      setBusy(false)
    }
  }

  return (
    <li className="arvo-share-link" data-testid={`share-row-${role}`} data-role={role}>
      <div className="arvo-share-link-head">
        <span className="arvo-share-link-name">{name}</span>
        {expiresAt && (
          <span className="arvo-muted arvo-small">
            {t(lang, 'linkExpires', { date: new Date(expiresAt).toLocaleDateString(lang) })}
          </span>
        )}
      </div>
      <p className="arvo-share-link-can">{t(lang, LINK_TEXT[role].can)}</p>
      <div className="arvo-share-link-row">
        <input
          ref={input}
          className="arvo-share-link-url"
          readOnly
          value={link}
          aria-label={name}
          data-testid={`share-link-${role}`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button className="arvo-secondary arvo-compact" data-testid={`share-copy-${role}`} onClick={copy}>
          {copied ? t(lang, 'copied') : t(lang, 'copy')}
        </button>
      </div>
      {wasReset && (
        <p className="arvo-share-done" role="status" data-testid={`share-reset-done-${role}`}>
          {t(lang, 'linkWasReset')}
        </p>
      )}
      {confirming ? (
        <div className="arvo-share-confirm" role="alertdialog" data-testid={`share-confirm-${role}`}>
          <p>{t(lang, 'resetLinkConfirm', { link: name })}</p>
          <div className="arvo-share-link-row">
            <button className="arvo-danger arvo-compact" disabled={busy} data-testid={`share-reset-confirm-${role}`} onClick={reset}>
              {t(lang, 'confirmReset')}
            </button>
            <button className="arvo-secondary arvo-compact" disabled={busy} data-testid={`share-reset-cancel-${role}`} onClick={() => setConfirming(false)}>
              {t(lang, 'cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button className="arvo-link-button arvo-small" data-testid={`share-reset-${role}`} onClick={() => setConfirming(true)}>
          {t(lang, 'resetLink')}
        </button>
      )}
      {error && <p className="arvo-error" role="alert">{t(lang, 'linksLoadFailed')}</p>}
    </li>
  )
}
