import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { DocLayout, SYNC_PATH } from '../../shared/protocol.ts'
import { startServer, type ArvoServer } from '../app.ts'
import { loadConfig } from '../config.ts'

/** A full, valid tldraw note record (every prop present), as a script or CRM would write it. */
export function noteRecord(id: string, x: number, y: number, text: string, index = 'a1') {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: { type: 'doc', content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }] },
      scale: 1,
      textLastEditedBy: null,
    },
  }
}

export interface TestServer {
  server: ArvoServer
  dataDir: string
  restart(): Promise<void>
  stop(): Promise<void>
  createBoard(): Promise<string>
  /** A stock y-websocket client on `boardId`, resolved once synced. */
  client(boardId: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider; records: Y.Map<unknown> }>
}

/** Starts the real server on port 0 with a fresh data dir (removed by `stop`). */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'arvo-it-'))
  const cfg = () =>
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ROOM_UNLOAD_DELAY_MS: '0', ...env })
  const providers: WebsocketProvider[] = []
  const t: TestServer = {
    server: await startServer(cfg()),
    dataDir,
    async restart() {
      await t.server.close()
      t.server = await startServer({ ...cfg(), port: t.server.port })
    },
    async stop() {
      for (const p of providers) p.destroy()
      await t.server.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
    async createBoard() {
      const res = await fetch(`${t.server.url}/api/boards`, { method: 'POST', body: '{}' })
      if (res.status !== 201) throw new Error(`create board: ${res.status}`)
      return ((await res.json()) as { id: string }).id
    },
    async client(boardId) {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(`${t.server.url.replace('http', 'ws')}${SYNC_PATH}`, boardId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      })
      providers.push(provider)
      await new Promise<void>((resolve) => {
        if (provider.synced) resolve()
        else provider.once('sync', () => resolve())
      })
      return { doc, provider, records: doc.getMap(DocLayout.records) }
    },
  }
  return t
}

/** Resolves once `check()` is true, polling every 10 ms; rejects after `ms`. */
export async function waitFor(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
