import { useEffect, useState } from 'react'
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
 * An owner link (`#owner=<key>`) hands the key to this browser: it is kept per board and taken
 * off the address bar at once, so "Copy link" and the browser history carry the plain link.
 */
function adoptOwnerKeyFromUrl(boardId: string): boolean {
  const { key, rest } = takeOwnerKeyFromFragment(window.location.hash)
  if (rest === window.location.hash) return false
  if (key) writeOwnerKey(localStorage, boardId, key)
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${rest}`)
  return key !== null
}

async function fetchRole(boardId: string, ownerKey: string | null): Promise<BoardRole> {
  if (!ownerKey) return 'participant'
  const res = await fetch(`/api/boards/${boardId}/role`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ownerKey }),
  })
  if (!res.ok) return 'participant'
  return ((await res.json()) as BoardRoleResponse).role
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

  useEffect(() => {
    const onHashChange = () => {
      if (adoptOwnerKeyFromUrl(boardId)) setOwnerLinkSeen((n) => n + 1)
    }
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [boardId])

  useEffect(() => {
    let cancelled = false
    adoptOwnerKeyFromUrl(boardId)
    const ownerKey = readOwnerKey(localStorage, boardId)
    Promise.all([fetch(`/api/boards/${boardId}`), fetch('/api/config'), fetchRole(boardId, ownerKey)])
      .then(async ([board, config, role]) => {
        if (cancelled) return
        if (board.status === 404) {
          setLookup({ state: 'missing' })
          return
        }
        // A key the server does not recognise is of no use: forget it.
        if (ownerKey && role !== 'owner') writeOwnerKey(localStorage, boardId, null)
        setLookup({
          state: 'ready',
          config: (await config.json()) as ClientConfig,
          role,
          ownerKey: role === 'owner' ? ownerKey : null,
        })
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
