import { useEffect, useState } from 'react'
import type { ClientConfig } from '../../shared/protocol.ts'
import { BoardCanvas } from '../board/BoardCanvas.tsx'
import { IdentityDialog } from '../board/IdentityDialog.tsx'
import { useSession } from '../state/session.ts'
import { NotFoundPage } from './NotFoundPage.tsx'

type Lookup = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; config: ClientConfig }

/** `/b/<boardId>`: checks the board exists, asks who you are once, then opens the canvas. */
export function BoardPage({ boardId }: { boardId: string }) {
  const identity = useSession((s) => s.identity)
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' })

  useEffect(() => {
    let cancelled = false
    Promise.all([fetch(`/api/boards/${boardId}`), fetch('/api/config')])
      .then(async ([board, config]) => {
        if (cancelled) return
        if (board.status === 404) setLookup({ state: 'missing' })
        else setLookup({ state: 'ready', config: (await config.json()) as ClientConfig })
      })
      .catch(() => {
        // Offline while opening: try the canvas anyway; the connection banner explains.
        if (!cancelled) setLookup({ state: 'ready', config: { tldrawLicenseKey: null, maxFrameBytes: 0, protocolVersion: 1 } })
      })
    return () => {
      cancelled = true
    }
  }, [boardId])

  if (lookup.state === 'missing') return <NotFoundPage />
  if (!identity) return <IdentityDialog />
  if (lookup.state === 'loading') return <div className="arvo-page" />
  return <BoardCanvas key={`${boardId}:${identity.id}:${identity.side}:${identity.name}`} boardId={boardId} identity={identity} config={lookup.config} />
}
