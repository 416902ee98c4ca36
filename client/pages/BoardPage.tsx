import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { t } from '../../shared/i18n/index.ts'
import type { ClientConfig, LinkRole, LinksResponse } from '../../shared/protocol.ts'
import { rotateLinks, type BoardAccess } from '../access/links.ts'
import { askAccess, resolveAccess, type FinalClose, type Refusal } from '../access/resolve.ts'
import { personSecret, takeTokenFromFragment, tokenOfLink, writeToken } from '../access/tokens.ts'
import { BoardCanvas } from '../board/BoardCanvas.tsx'
import type { BoardIdentity } from '../board/context.ts'
import { IdentityDialog } from '../board/IdentityDialog.tsx'
import { sessionStore, useSession } from '../state/session.ts'
import { AccessRefusedPage } from './AccessRefusedPage.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'

type Lookup =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'refused'; reason: Refusal }
  | { state: 'ready'; config: ClientConfig; access: BoardAccess }

const OFFLINE_CONFIG: ClientConfig = { tldrawLicenseKey: null, maxFrameBytes: 0, protocolVersion: 1 }
/** A failed connection asks the access route why at most this often. */
const RECHECK_MS = 3000

/**
 * An invite link (`#token=<t>`, or a legacy `#owner=<key>`) hands a token to this browser: it is
 * taken off the address bar at once (ACC-1), so the browser history and a copied address carry
 * the plain link. Returns the token (null when the fragment has none, or a malformed one).
 */
function takeLinkToken(): LinkToken | null {
  const { token, found, rest } = takeTokenFromFragment(window.location.hash)
  if (!found) return null
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest}`)
  return { token }
}

/** A link's token; null when the link's fragment held something that is no token. */
type LinkToken = { token: string | null }

async function fetchConfig(): Promise<ClientConfig> {
  try {
    const res = await fetch('/api/config')
    return res.ok ? ((await res.json()) as ClientConfig) : OFFLINE_CONFIG
  } catch {
    return OFFLINE_CONFIG
  }
}

/**
 * `/b/<boardId>`: finds the token that opens the board (an invite link's, else the one this
 * browser keeps; ACC-2) and what it makes this person (the server's access route), asks the name
 * once, then opens the canvas. Refused tokens and final closes (CON-2) show why; a write the
 * server refused (4403/4003) reloads the board from the server with a fresh doc.
 */
export function BoardPage({ boardId }: { boardId: string }) {
  const identity = useSession((s) => s.identity)
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' })
  // The latest lookup, for callbacks that must not change identity (the canvas keeps them).
  const latestLookup = useRef(lookup)
  latestLookup.current = lookup
  // Bumped to ask the access route again: an invite link opened in a tab that already shows the
  // board (`hashchange`), a final 4401 close, a failed connection.
  const [asked, setAsked] = useState(0)
  // Bumped to remount the canvas with a fresh doc (after a refused write).
  const [mount, setMount] = useState(0)
  // The token of an invite link not yet asked about (kept across StrictMode's double effects).
  const linkToken = useRef<LinkToken | null>(null)
  // A reset of links by this facilitator in flight: a 4401 of our own connection waits for it.
  const rotation = useRef<Promise<unknown> | null>(null)
  const lastRecheck = useRef(0)
  const person = useRef<string>('')
  if (!person.current) person.current = personSecret(localStorage)

  useEffect(() => {
    const onHashChange = () => {
      const link = takeLinkToken()
      if (link) {
        linkToken.current = link
        setAsked((n) => n + 1)
      }
    }
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [boardId])

  useEffect(() => {
    let cancelled = false
    linkToken.current = takeLinkToken() ?? linkToken.current
    const fromLink = linkToken.current
    const secret = person.current
    let retry: ReturnType<typeof setTimeout> | undefined
    void (async () => {
      if (rotation.current) await rotation.current.catch(() => {})
      const [resolved, config] = await Promise.all([
        resolveAccess(boardId, fromLink?.token ?? null, localStorage, (token) => askAccess(boardId, token, secret), fromLink !== null && fromLink.token === null),
        fetchConfig(),
      ])
      if (cancelled) return
      if (linkToken.current === fromLink) linkToken.current = null
      if (resolved.kind === 'missing') setLookup({ state: 'missing' })
      else if (resolved.kind === 'refused') setLookup({ state: 'refused', reason: resolved.reason })
      else if (resolved.kind === 'granted') {
        const access: BoardAccess = { ...resolved.access, token: resolved.token, person: secret }
        // Same token and role as before (a recheck): keep the mounted canvas.
        setLookup((prev) =>
          prev.state === 'ready' && prev.access.token === access.token && prev.access.link === access.link
            ? prev
            : { state: 'ready', config, access },
        )
      } else if (latestLookup.current.state !== 'ready') {
        // The server cannot be asked (offline while opening): ask again shortly. An open board
        // keeps going (its banner says it is reconnecting).
        retry = setTimeout(() => setAsked((n) => n + 1), RECHECK_MS)
      }
    })()
    return () => {
      cancelled = true
      clearTimeout(retry)
    }
  }, [boardId, asked])

  const onFinalClose = useCallback((close: FinalClose) => {
    if (close.kind === 'refused') {
      // 4401: our token stopped working. Unless we reset our own link just now (the new token
      // is kept then), the access route says why and the page shows it.
      setAsked((n) => n + 1)
      return
    }
    // 4403 / 4003: the server refused a write. Say so, and start again from the server's board.
    const lang = sessionStore.getState().language
    sessionStore.getState().showNotice(t(lang, close.kind === 'forbidden' ? 'changeNotAllowed' : 'changeInvalid'))
    setMount((n) => n + 1)
  }, [])

  const onConnectFailed = useCallback(() => {
    const now = Date.now()
    if (now - lastRecheck.current < RECHECK_MS) return
    lastRecheck.current = now
    setAsked((n) => n + 1)
  }, [])

  /**
   * The facilitator resets links (SHARE-2). Resetting the facilitator link also retires this
   * browser's own token: the new one is kept before anything else happens, and a 4401 of our
   * own connection meanwhile waits for this answer (then the access route accepts the new token).
   */
  const rotate = useCallback(
    (roles: LinkRole[]): Promise<LinksResponse> => {
      const current = latestLookup.current
      if (current.state !== 'ready') return Promise.reject(new Error('board not open'))
      const p = rotateLinks(boardId, current.access.token, roles).then((res) => {
        const token = tokenOfLink(res.links.facilitator)
        if (roles.includes('facilitator') && current.access.role === 'facilitator' && token && token !== current.access.token) {
          writeToken(localStorage, boardId, token)
          setLookup((prev) => (prev.state === 'ready' ? { ...prev, access: { ...prev.access, token } } : prev))
        }
        return res
      })
      rotation.current = p
      const clear = () => {
        if (rotation.current === p) rotation.current = null
      }
      p.then(clear, clear)
      return p
    },
    [boardId],
  )
  const identityKey = `${identity?.name ?? ''}:${identity?.side ?? ''}`
  const access = lookup.state === 'ready' ? lookup.access : null
  const boardIdentity = useMemo<BoardIdentity | null>(
    () =>
      access && identity
        ? { id: access.personId, name: identity.name, side: access.side ?? identity.side ?? 'provider' }
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [access, identityKey],
  )

  if (lookup.state === 'missing') return <NotFoundPage />
  if (lookup.state === 'refused') return <AccessRefusedPage reason={lookup.reason} />
  if (lookup.state === 'loading') return <div className="arvo-page" />
  const ready = lookup.access
  const needsSide = ready.role === 'facilitator' && !identity?.side
  if (!identity?.name || needsSide || !boardIdentity) return <IdentityDialog role={ready.role} linkSide={ready.side} />
  return (
    <BoardCanvas
      key={`${boardId}:${ready.token}:${ready.personId}:${boardIdentity.side}:${boardIdentity.name}:${mount}`}
      boardId={boardId}
      identity={boardIdentity}
      config={lookup.config}
      access={ready}
      onFinalClose={onFinalClose}
      onConnectFailed={onConnectFailed}
      rotateLinks={rotate}
    />
  )
}
