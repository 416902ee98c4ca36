import { useEffect, useRef, useState } from 'react'
import type { BoardRole, BoardRoleResponse, ClientConfig } from '../../shared/protocol.ts'
import { BoardCanvas } from '../board/BoardCanvas.tsx'
import { IdentityDialog } from '../board/IdentityDialog.tsx'
import { readOwnerKey, takeOwnerKeyFromFragment, writeOwnerKey } from '../board/owner.ts'
import { useSession } from '../state/session.ts'
import { NotFoundPage } from './NotFoundPage.tsx'

type Lookup =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'ready'; config: ClientConfig; role: BoardRole; ownerKey: string | null }

const OFFLINE_CONFIG: ClientConfig = { tldrawLicenseKey: null, maxFrameBytes: 0, protocolVersion: 1 }

/**
 * An owner link (`#owner=<key>`) hands a key to this browser: it is taken off the address bar at
 * once, so "Copy link" and the browser history carry the plain link. Returns the key (null when
 * the fragment has none, or a malformed one). The key is kept only once the server confirms it.
 */
function takeOwnerLinkKey(): string | null {
  const { key, rest } = takeOwnerKeyFromFragment(window.location.hash)
  if (rest === window.location.hash) return null
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest}`)
  return key
}

/** The server's word on `ownerKey`; null when it could not be asked. */
async function fetchRole(boardId: string, ownerKey: string): Promise<BoardRole | null> {
  const res = await fetch(`/api/boards/${boardId}/role`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ownerKey }),
  })
  if (!res.ok) return null
  return ((await res.json()) as BoardRoleResponse).role
}

/**
 * Whether this browser owns `boardId` (LOCK-1): a key from an owner link that the server
 * confirms replaces the stored one; a link with a wrong key never costs the owner the key they
 * hold; a stored key the server refuses is forgotten.
 */
async function ownerRole(boardId: string, fromLink: string | null): Promise<{ role: BoardRole; ownerKey: string | null }> {
  const stored = readOwnerKey(localStorage, boardId)
  if (fromLink && fromLink !== stored && (await fetchRole(boardId, fromLink)) === 'owner') {
    writeOwnerKey(localStorage, boardId, fromLink)
    return { role: 'owner', ownerKey: fromLink }
  }
  if (!stored) return { role: 'participant', ownerKey: null }
  const role = await fetchRole(boardId, stored)
  if (role === 'participant') writeOwnerKey(localStorage, boardId, null)
  return role === 'owner' ? { role, ownerKey: stored } : { role: 'participant', ownerKey: null }
}

/**
 * `/b/<boardId>`: checks the board exists and whether this browser owns it (its owner key, see
 * `board/owner.ts`), asks who you are once, then opens the canvas.
 */
export function BoardPage({ boardId }: { boardId: string }) {
  const identity = useSession((s) => s.identity)
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' })
  // Bumped when an owner link is opened in a tab that already shows the board (LOCK-1): the
  // role is asked again without a reload.
  const [ownerLinkSeen, setOwnerLinkSeen] = useState(0)

  // The key of an owner link not yet asked about (kept across StrictMode's double effects).
  const linkKey = useRef<string | null>(null)

  useEffect(() => {
    const onHashChange = () => {
      const key = takeOwnerLinkKey()
      if (key) {
        linkKey.current = key
        setOwnerLinkSeen((n) => n + 1)
      }
    }
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [boardId])

  useEffect(() => {
    let cancelled = false
    linkKey.current = takeOwnerLinkKey() ?? linkKey.current
    const fromLink = linkKey.current
    Promise.all([fetch(`/api/boards/${boardId}`), fetch('/api/config')])
      .then(async ([board, config]) => {
        if (cancelled) return
        if (board.status === 404) {
          setLookup({ state: 'missing' })
          return
        }
        const { role, ownerKey } = await ownerRole(boardId, fromLink)
        if (cancelled) return
        if (linkKey.current === fromLink) linkKey.current = null
        setLookup({ state: 'ready', config: (await config.json()) as ClientConfig, role, ownerKey })
      })
      .catch(() => {
        // Offline while opening: try the canvas anyway (as a participant); the banner explains.
        if (!cancelled) setLookup({ state: 'ready', config: OFFLINE_CONFIG, role: 'participant', ownerKey: null })
      })
    return () => {
      cancelled = true
    }
  }, [boardId, ownerLinkSeen])

  if (lookup.state === 'missing') return <NotFoundPage />
  if (!identity) return <IdentityDialog />
  if (lookup.state === 'loading') return <div className="arvo-page" />
  return (
    <BoardCanvas
      key={`${boardId}:${identity.id}:${identity.side}:${identity.name}:${lookup.role}`}
      boardId={boardId}
      identity={identity}
      config={lookup.config}
      role={lookup.role}
      ownerKey={lookup.ownerKey}
    />
  )
}
