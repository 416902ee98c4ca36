import { WebsocketProvider } from 'y-websocket'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DocLayout, SYNC_PATH } from '../../shared/protocol.ts'
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
 */
export function connectBoard(serverUrl: string, boardId: string, cb: ConnectionCallbacks): BoardConnection {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, boardId, doc, { disableBc: true, maxBackoffTime: 2500 })
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
  provider.on('sync', onSync)
  provider.on('status', onStatus)
  records.observe(onRecords)

  return {
    doc,
    provider,
    awareness: provider.awareness,
    firstSync,
    destroy() {
      provider.off('sync', onSync)
      provider.off('status', onStatus)
      records.unobserve(onRecords)
      provider.destroy()
      doc.destroy()
    },
  }
}
