import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useState } from 'react'
import {
  atom,
  createTLStore,
  createUserId,
  DefaultColorStyle,
  defaultShapeUtils,
  Tldraw,
  UserRecordType,
  type Editor,
  type TLComponents,
  type TLStore,
} from 'tldraw'
import type { ClientConfig, PresenceUser } from '../../shared/protocol.ts'
import { sessionStore, type Identity } from '../state/session.ts'
import { bindStoreToDoc } from '../sync/bridge.ts'
import { cursorColor, SIDE_NOTE_COLOR } from '../sync/colors.ts'
import { connectBoard, syncUrl, type BoardConnection } from '../sync/connection.ts'
import { bindPresence } from '../sync/presence.ts'
import { ConnectionBanner } from './ConnectionBanner.tsx'
import { ParticipantsPanel } from './ParticipantsPanel.tsx'

const assetUrls = getAssetUrlsByImport()

const components: TLComponents = {
  SharePanel: ParticipantsPanel,
  TopPanel: ConnectionBanner,
}

/** The typed test/debug handle e2e tests use (`window.__arvo`). */
export interface ArvoTestApi {
  editor: Editor
  connection: BoardConnection
  identity: Identity
}
declare global {
  interface Window {
    __arvo?: ArvoTestApi
  }
}

interface Live {
  store: TLStore
  connection: BoardConnection
  dispose(): void
}

/**
 * Opens the board's Y.Doc, waits for the server's state, then binds a tldraw store to it
 * (bridge) and presence to awareness. Everything made here is destroyed in the same effect.
 */
export function BoardCanvas({ boardId, identity, config }: { boardId: string; identity: Identity; config: ClientConfig }) {
  const [live, setLive] = useState<Live | null>(null)

  useEffect(() => {
    const session = sessionStore.getState()
    session.setConnection('connecting')
    const connection = connectBoard(syncUrl(window.location), boardId, {
      onStatus: (s) => sessionStore.getState().setConnection(s),
      onUnsyncedEdits: (n) => sessionStore.getState().setUnsyncedEdits(n),
    })
    let disposed = false
    let unbind: (() => void) | null = null
    void connection.firstSync.then(() => {
      if (disposed) return
      const color = cursorColor(identity.side, identity.id)
      const $user = atom('arvo user', UserRecordType.create({ id: createUserId(identity.id), name: identity.name, color }))
      const store = createTLStore({
        shapeUtils: defaultShapeUtils,
        users: { currentUser: $user },
        collaboration: { status: atom('status', 'online') },
      })
      const bridge = bindStoreToDoc(store, connection.doc, {
        onInvalidRecord: (id, reason) => {
          console.warn(`[arvo] skipped invalid record ${id}: ${reason}`)
          sessionStore.getState().addInvalidRecord()
        },
      })
      const user: PresenceUser = { id: identity.id, name: identity.name, side: identity.side, color }
      const unbindPresence = bindPresence(store, connection.awareness, user, $user, (p) =>
        sessionStore.getState().setParticipants(p),
      )
      unbind = () => {
        unbindPresence()
        bridge.dispose()
      }
      setLive({ store, connection, dispose: unbind })
    })
    return () => {
      disposed = true
      unbind?.()
      connection.destroy()
      setLive(null)
      delete window.__arvo
    }
  }, [boardId, identity])

  if (!live) return <div className="arvo-page arvo-loading" data-testid="board-loading" />

  const onMount = (editor: Editor) => {
    // New notes take the side's colour family and carry author and side in meta.
    editor.setStyleForNextShapes(DefaultColorStyle, SIDE_NOTE_COLOR[identity.side])
    const unregister = editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
      if (source !== 'user' || shape.type !== 'note') return shape
      const arvo = (shape.meta as { arvo?: unknown }).arvo
      if (arvo) return shape
      return {
        ...shape,
        meta: { ...shape.meta, arvo: { kind: 'note', authorId: identity.id, authorName: identity.name, side: identity.side } },
      }
    })
    window.__arvo = { editor, connection: live.connection, identity }
    return unregister
  }

  return (
    <div className="arvo-board" data-testid="board">
      <Tldraw
        store={live.store}
        licenseKey={config.tldrawLicenseKey ?? undefined}
        assetUrls={assetUrls}
        components={components}
        onMount={onMount}
      />
    </div>
  )
}
