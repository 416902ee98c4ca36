import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { finalCloseOf, type FinalClose } from '../access/resolve.ts'
import { DocLayout, FINAL_CLOSE_CODES, PERSON_QUERY_PARAM, SYNC_PATH, TOKEN_QUERY_PARAM } from '../../shared/protocol.ts'
import type { ConnectionStatus } from '../state/session.ts'
import { BRIDGE_ORIGIN } from './bridge.ts'

export interface BoardConnection {
  doc: Y.Doc
  provider: WebsocketProvider
  awareness: Awareness
  /** Resolves when the server's state has been received for the first time. */
  firstSync: Promise<void>
  /** Closes the socket and frees the doc. */
  destroy(): void
}

export interface ConnectionCallbacks {
  onStatus(status: ConnectionStatus): void
  onUnsyncedEdits(count: number): void
  /**
   * The server closed the connection with a final code (FINAL_CLOSE_CODES, CON-2): the provider
   * has stopped reconnecting; the page explains why (and reloads the board after 4403/4003).
   */
  onFinalClose?(close: FinalClose): void
  /** A connection attempt failed before it opened (e.g. the upgrade was refused with 401). */
  onConnectFailed?(): void
}

/** What the server needs to know who connects (ACC-3): the board token and this browser's person secret. */
export interface Credentials {
  token: string
  person: string
}

/** The sync endpoint for this page's origin (ws: or wss:). */
export function syncUrl(location: Location): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}${SYNC_PATH}`
}

/**
 * Opens the Y.Doc of `boardId` over the stock y-websocket provider and runs the
 * connection status machine: connecting -> online (synced) -> reconnecting -> online.
 * Records changed locally while not online are counted; y-websocket sends them on reconnect.
 * A close with a final code (4401, 4403, 4003) ends the connection for good (CON-2).
 */
export function connectBoard(serverUrl: string, boardId: string, credentials: Credentials, cb: ConnectionCallbacks): BoardConnection {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, boardId, doc, {
    // The token and person secret go in the query string of the upgrade (y-websocket `params`).
    params: { [TOKEN_QUERY_PARAM]: credentials.token, [PERSON_QUERY_PARAM]: credentials.person },
    // No BroadcastChannel: a viewer's tab must never hand its edits to a writer's tab.
    disableBc: true,
    maxBackoffTime: 2500,
    shouldReconnect: (event) => !FINAL_CLOSE_CODES.includes(event.code),
  })
  let status: ConnectionStatus = 'connecting'
  /** Ids of records changed locally while not online. */
  const unsynced = new Set<string>()
  const records = doc.getMap<unknown>(DocLayout.records)
  let resolveFirst!: () => void
  const firstSync = new Promise<void>((r) => (resolveFirst = r))

  const setStatus = (s: ConnectionStatus) => {
    if (s === status) return
    status = s
    cb.onStatus(s)
    if (s === 'online' && unsynced.size > 0) {
      unsynced.clear()
      cb.onUnsyncedEdits(0)
    }
  }
  const onSync = (synced: boolean) => {
    if (synced) {
      resolveFirst()
      setStatus('online')
    }
  }
  const onStatus = ({ status: s }: { status: 'connecting' | 'connected' | 'disconnected' }) => {
    if (s !== 'connected' && status === 'online') setStatus('reconnecting')
  }
  const onRecords = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
    if (tr.origin !== BRIDGE_ORIGIN || status === 'online') return
    for (const key of event.keysChanged) unsynced.add(key)
    cb.onUnsyncedEdits(unsynced.size)
  }
  let opened = false
  let final = false
  const onOpenStatus = ({ status: s }: { status: string }) => {
    if (s === 'connected') opened = true
  }
  const onClose = (event: CloseEvent | null) => {
    if (!event || final) return
    const close = finalCloseOf(event.code, event.reason)
    if (close) {
      // CON-2: final; stop reconnecting (y-websocket would retry forever) and say why.
      final = true
      provider.disconnect()
      cb.onFinalClose?.(close)
      return
    }
    if (!opened) cb.onConnectFailed?.()
    opened = false
  }
  provider.on('sync', onSync)
  provider.on('status', onStatus)
  provider.on('status', onOpenStatus)
  provider.on('connection-close', onClose)
  records.observe(onRecords)

  return {
    doc,
    provider,
    awareness: provider.awareness,
    firstSync,
    destroy() {
      provider.off('sync', onSync)
      provider.off('status', onStatus)
      provider.off('status', onOpenStatus)
      provider.off('connection-close', onClose)
      records.unobserve(onRecords)
      provider.destroy()
      doc.destroy()
    },
  }
}
