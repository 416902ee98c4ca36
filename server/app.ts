import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import {
  CloseCode,
  isValidBoardId,
  PERSON_QUERY_PARAM,
  SYNC_PATH,
  TOKEN_QUERY_PARAM,
  UpgradeRefusal,
  type CloseCodeName,
  type Principal,
} from '../shared/protocol.ts'
import { BoardAccess, principalOf, type Grant } from './auth/access.ts'
import { LiveTokens } from './auth/live.ts'
import { RefusalThrottle } from './auth/throttle.ts'
import { parseLinks } from './storage/types.ts'
import { serverSecretSource } from './http/owner.ts'
import type { ServerConfig } from './config.ts'
import { ApiNotFound, createApiHandler } from './http/api.ts'
import { ExportJobs, ExportWorkers } from './http/exportJobs.ts'
import { createExportRoutes } from './http/exports.ts'
import { Votes } from './votes.ts'
import { BoardSummaries, SummaryWorker } from './http/summaries.ts'
import { createStaticHandler } from './http/static.ts'
import { createLogger, type Logger } from './log.ts'
import { RedisFanout } from './fanout/redis.ts'
import { WorkerCompactor, type StorageLocation } from './storage/compactor.ts'
import { PostgresStorage } from './storage/postgres.ts'
import { SqliteStorage } from './storage/sqlite.ts'
import type { BoardStorage } from './storage/types.ts'
import { Connection, KEEPALIVE_MS } from './sync/connection.ts'
import { BoardNotFoundError, RoomRegistry } from './sync/registry.ts'

/** Close codes that count as refusals for the throttle (AUTH-7): the final ones. */
const REFUSED_CLOSES: ReadonlySet<CloseCodeName> = new Set(['linkReset', 'linkExpired', 'forbidden', 'invalidRecord'])

export interface ArvoServer {
  /** http://host:port of the running server (port resolved when PORT=0). */
  url: string
  port: number
  storage: BoardStorage
  registry: RoomRegistry
  /** `redis:host` when processes share boards, else null. */
  fanoutName: string | null
  /** Stops accepting, closes every socket with 1001, persists and compacts every room. */
  close(): Promise<void>
}

function refuse(socket: Duplex, refusal: { status: number; reason: string }): void {
  const body = `${refusal.reason}\n`
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

function toUint8(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/**
 * Starts Arvo in one process on one port: the built client, the JSON API and the
 * y-websocket sync endpoint `/sync/<boardId>`.
 */
/**
 * The request's URL, or null when it cannot be parsed: `new URL('//', base)` throws (a
 * protocol-relative URL without a host), and a throw in the request listener would end the process.
 */
export function requestUrl(req: Pick<IncomingMessage, 'url'>): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x')
  } catch {
    return null
  }
}

export async function startServer(
  config: ServerConfig,
  deps: { storage?: BoardStorage; log?: Logger; throttle?: RefusalThrottle; keepAliveMs?: number } = {},
): Promise<ArvoServer> {
  const log = deps.log ?? createLogger(config.logLevel)
  const storage =
    deps.storage ??
    (config.databaseUrl ? new PostgresStorage(config.databaseUrl) : new SqliteStorage(config.dataDir, config.durability))
  const fanout = config.redisUrl ? new RedisFanout(config.redisUrl, log) : null
  const location: StorageLocation = config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'sqlite', dataDir: config.dataDir, durability: config.durability }
  const compactor = deps.storage
    ? null
    : new WorkerCompactor(
        location,
        (warning) => log.warn(warning),
        (boardId, snapshot, uptoSeq) => storage.compact(boardId, snapshot, uptoSeq),
      )
  if (compactor && storage instanceof SqliteStorage) {
    // WAL checkpoints move to the compaction worker's thread (SRV-6), back here if it dies.
    storage.setAutoCheckpoint(false)
    compactor.onDead(() => storage.setAutoCheckpoint(true))
  }
  // AUTH-*: one secret source (ARVO_SECRET or the storage's), one gate for API and upgrades
  const access = new BoardAccess(serverSecretSource(config.secret, storage), storage)
  const live = new LiveTokens<Connection>()
  const throttle = deps.throttle ?? new RefusalThrottle()
  const registry = new RoomRegistry({
    onLinks: (boardId, payload) => {
      let text: string
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(payload)
      } catch {
        return log.warn('dropped undecodable links message from another process', { board: boardId })
      }
      live.linksChanged(boardId, parseLinks(text))
    },
    fanout,
    compactor,
    storage,
    log,
    roomUnloadDelayMs: config.roomUnloadDelayMs,
    awarenessBatchMs: config.awarenessBatchMs,
    compactEvery: config.compactEvery,
    batchUsPerClient: config.relayUsPerClient,
  })
  // summary.json is built in its own worker thread (SUM-SRV-2), in-process with a given storage
  const summaryWorker = deps.storage ? null : new SummaryWorker(location)
  const summaries = new BoardSummaries({ registry, load: (id) => storage.load(id), worker: summaryWorker, log })
  // exports too (EXP-8..11): worker threads reading storage, bounded; in-process with a given storage
  const exportWorkers = deps.storage ? null : new ExportWorkers(location, { threads: config.exportWorkers, timeoutMs: config.exportTimeoutMs, heapMb: config.exportWorkerHeapMb })
  const exportJobs = new ExportJobs({ running: config.exportWorkers, queued: config.exportQueue })
  const api = createApiHandler({
    config,
    storage,
    summaries,
    access,
    votes: new Votes(storage),
    exports: createExportRoutes({ storage, access, rooms: registry, log, workers: exportWorkers, jobs: exportJobs }),
    rooms: {
      get: (id) =>
        registry.get(id).catch((e: unknown) => {
          if (e instanceof BoardNotFoundError) throw new ApiNotFound('board not found')
          throw e
        }),
      release: (room) => {
        if (room.conns.size === 0) registry.roomEmpty(room)
      },
    },
    onLinksChanged: (boardId, links) => {
      live.linksChanged(boardId, links)
      registry.publishLinks(boardId, new TextEncoder().encode(JSON.stringify(links)))
    },
  })
  const serveStatic = createStaticHandler(config.clientDir)
  const connections = new Set<Connection>()
  let closing = false
  // SRV-9: quiet connections get an empty awareness message, so y-websocket keeps them open.
  const keepAliveMs = deps.keepAliveMs ?? KEEPALIVE_MS
  const keepAlive = setInterval(() => {
    const now = performance.now()
    for (const c of connections) c.keepAlive(now, keepAliveMs)
  }, Math.max(10, keepAliveMs / 2))
  keepAlive.unref()

  const http: Server = createServer((req, res) => {
    const parsed = requestUrl(req)
    if (!parsed) {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify({ error: 'bad request URL' }))
      return
    }
    const pathname = parsed.pathname
    api(req, res, pathname)
      .then((handled) => {
        if (handled) return
        if (serveStatic(req, res, pathname)) return
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('not found\n')
      })
      .catch((e: Error) => {
        log.warn('request failed', { path: pathname, error: e.message })
        if (!res.headersSent) res.writeHead(500).end('internal error\n')
      })
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxFrameBytes,
    // Compress only large answers meant for one client (a joiner's full state, ~10x on board
    // state; Connection.sendOwn), never relayed messages (ws deflates once per receiver). A
    // 4 KiB window and memLevel 5 keep the zlib state of a connection near 40 KB, and no
    // context takeover means nothing is kept between messages.
    perMessageDeflate: config.compression
      ? {
          threshold: 16 * 1024,
          serverNoContextTakeover: true,
          clientNoContextTakeover: true,
          serverMaxWindowBits: 12,
          zlibDeflateOptions: { level: 1, memLevel: 5 },
          concurrencyLimit: 2,
        }
      : false,
  })

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    if (closing) return refuse(socket, UpgradeRefusal.unavailable)
    // The URL carries the token: never log it (only the path, below).
    const url = requestUrl(req)
    if (!url) return refuse(socket, UpgradeRefusal.badPath)
    const pathname = url.pathname
    if (!pathname.startsWith(`${SYNC_PATH}/`)) return refuse(socket, UpgradeRefusal.badPath)
    const boardId = pathname.slice(SYNC_PATH.length + 1)
    if (!isValidBoardId(boardId)) return refuse(socket, UpgradeRefusal.badBoardId)
    const token = url.searchParams.get(TOKEN_QUERY_PARAM)
    const throttleKey = RefusalThrottle.key(req.socket.remoteAddress, token)
    // AUTH-7: a client in a refusal loop is answered 429 without a token check or storage read
    if (throttle.cooldownLeft(throttleKey) > 0) return refuse(socket, UpgradeRefusal.throttled)
    // AUTH-4: no valid token of this board, no websocket (not a byte of the board is sent)
    access.check(boardId, token).then(
      (r) => {
        if (!r.ok) {
          if (r.reason === 'boardNotFound') return refuse(socket, UpgradeRefusal.boardNotFound)
          throttle.refused(throttleKey)
          return refuse(socket, UpgradeRefusal[r.reason])
        }
        if (closing) return refuse(socket, UpgradeRefusal.unavailable)
        const principal = principalOf(r.grant, url.searchParams.get(PERSON_QUERY_PARAM))
        wss.handleUpgrade(req, socket, head, (ws) => accept(ws, boardId, principal, r.grant, throttleKey))
      },
      (e: Error) => {
        log.warn('board lookup failed', { board: boardId, error: e.message })
        refuse(socket, UpgradeRefusal.unavailable)
      },
    )
  })

  function accept(ws: WebSocket, boardId: string, principal: Principal, grant: Grant, throttleKey: string): void {
    const conn = new Connection(ws, boardId, config.maxBufferedBytes, log, config.clientStallMs, principal)
    connections.add(conn)
    // AUTH-5, AUTH-6: closed when its link is rotated or its token expires
    live.add(conn, boardId, grant, grant.tokenExpiresAt)
    // Frames that arrive while the room loads wait here, in order.
    let early: Uint8Array[] | null = []
    let room: Awaited<ReturnType<RoomRegistry['get']>> | null = null
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        conn.close('malformedMessage', 'text frame')
        return
      }
      const bytes = toUint8(data)
      if (early) early.push(bytes)
      else room?.handleMessage(conn, bytes)
    })
    ws.on('error', (e: Error & { code?: string }) => {
      // ws closes with 1009 itself when a frame exceeds maxPayload; we log one line.
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        log.warn('closing connection', {
          board: boardId,
          conn: conn.id,
          code: CloseCode.frameTooLarge.code,
          reason: CloseCode.frameTooLarge.reason,
          detail: `limit ${config.maxFrameBytes} bytes`,
        })
      } else {
        log.warn('socket error', { board: boardId, conn: conn.id, error: e.message })
      }
      conn.markClosed()
    })
    ws.on('close', () => {
      conn.markClosed()
      connections.delete(conn)
      live.remove(conn)
      if (conn.closedWith && REFUSED_CLOSES.has(conn.closedWith)) throttle.refused(throttleKey)
      room?.removeConnection(conn)
      early = null
    })
    registry.get(boardId).then(
      (r) => {
        if (!conn.isOpen) {
          // Closed while loading: the room may now be empty.
          if (r.conns.size === 0) registry.roomEmpty(r)
          return
        }
        room = r
        r.addConnection(conn)
        // AUTH-5: a rotation stored between the token check and now (the room is subscribed to
        // the fan-out by now, and the connection tracked) reached neither: read the links again.
        storage.getBoard(boardId).then(
          (info) => info && live.recheck(conn, info.links),
          () => {},
        )
        const queued = early ?? []
        early = null
        for (const m of queued) r.handleMessage(conn, m)
      },
      (e: Error) => {
        if (e instanceof BoardNotFoundError) conn.close('storageFailure', 'board vanished')
        else {
          log.warn('room load failed', { board: boardId, error: e.message })
          conn.close('storageFailure', e.message)
        }
      },
    )
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => {
      http.off('error', reject)
      resolve()
    })
  })
  const addr = http.address()
  const port = typeof addr === 'object' && addr ? addr.port : config.port
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`

  return {
    url,
    port,
    storage,
    registry,
    fanoutName: fanout?.name ?? null,
    async close() {
      closing = true
      clearInterval(keepAlive)
      live.clear()
      for (const c of connections) c.close('goingAway')
      wss.close()
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
      await registry.close()
      await compactor?.close()
      await summaryWorker?.close()
      await exportWorkers?.close()
      await fanout?.close()
      await storage.close()
    },
  }
}
