import type { Durability } from './storage/sqlite.ts'
import { BATCH_US_PER_CLIENT } from './sync/registry.ts'

/** Everything the server reads from its environment, validated once at start-up. */
export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  /** Largest websocket frame accepted; larger ones close that socket with 1009. */
  maxFrameBytes: number
  /** A client whose unsent queue exceeds this is closed with 4008 and resyncs on reconnect. */
  maxBufferedBytes: number
  /** A client whose send queue has not drained for this long is closed with 4008 (stuck). */
  clientStallMs: number
  durability: Durability
  /** How long an empty room stays loaded before it is compacted and unloaded. */
  roomUnloadDelayMs: number
  /** Awareness (cursors, presence) is batched for this long before it is relayed. */
  awarenessBatchMs: number
  /** Compact a loaded board's log into a snapshot once it has this many entries. */
  compactEvery: number
  /** SRV-7 relay window per connection of a room, µs (a room relays at most once per window). */
  relayUsPerClient: number
  /** EXP-8/9: export worker threads, i.e. exports built at once (EXPORT_WORKERS). */
  exportWorkers: number
  /** EXP-9: exports waiting for a free worker; more are answered 503 (EXPORT_QUEUE). */
  exportQueue: number
  /** EXP-10: an export running longer is stopped (EXPORT_TIMEOUT_MS). */
  exportTimeoutMs: number
  /** EXP-10: heap limit of an export worker, MB; a render that needs more ends that worker only (EXPORT_WORKER_HEAP_MB). */
  exportWorkerHeapMb: number
  tldrawLicenseKey: string | null
  /** Base URL used in `POST /api/boards` answers; derived from the request when unset. */
  publicUrl: string | null
  /** Directory of the built client (vite build output). */
  clientDir: string
  logLevel: 'info' | 'warn' | 'silent'
  /** permessage-deflate for large websocket messages. */
  compression: boolean
  /** PostgreSQL connection string; when set, boards are stored there instead of SQLite. */
  databaseUrl: string | null
  /** Redis URL; when set, several server processes share boards (needs databaseUrl). */
  redisUrl: string | null
  /**
   * ARVO_CREATE_TOKEN: when set, `POST /api/boards` needs it as `Authorization: Bearer <it>`;
   * null: anyone who reaches the server may create boards.
   */
  createToken: string | null
  /**
   * The secret that signs invite-link tokens and legacy owner keys (ARVO_SECRET). When null, one is generated once and kept
   * by the storage, so processes sharing a database share it.
   */
  secret: string | null
}

/** Start-up configuration that cannot be used; the message names the variable and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

/** Shortest ARVO_SECRET accepted. */
export const MIN_SECRET_LENGTH = 16

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a whole number (expected ${min}..${max})`)
  const n = Number(raw.trim())
  if (n < min || n > max) throw new ConfigError(`${name}=${raw} is out of range (expected ${min}..${max})`)
  return n
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not one of: ${allowed.join(', ')}`)
  }
  return raw as T
}

/**
 * Reads and validates the configuration from `env`. Throws ConfigError with a message
 * naming the variable for any invalid value; never falls back silently.
 */
export function loadConfig(env: Env = process.env, defaults: Partial<ServerConfig> = {}): ServerConfig {
  const host = env.HOST ?? defaults.host ?? '0.0.0.0'
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigError(`HOST=${JSON.stringify(host)} is not a host name or IP address`)
  const dataDir = env.DATA_DIR ?? defaults.dataDir ?? './data'
  if (dataDir.trim() === '') throw new ConfigError('DATA_DIR is empty: give a directory path (default ./data)')
  const publicUrl = env.PUBLIC_URL || null
  if (publicUrl !== null) {
    let u: URL
    try {
      u = new URL(publicUrl)
    } catch {
      throw new ConfigError(`PUBLIC_URL=${JSON.stringify(publicUrl)} is not a URL (e.g. https://arvo.example.com)`)
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`PUBLIC_URL must be http(s), got ${u.protocol}`)
  }
  const databaseUrl = env.DATABASE_URL || null
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/db); unset it to use the embedded SQLite')
  }
  const redisUrl = env.REDIS_URL || null
  if (redisUrl !== null && !/^rediss?:\/\/.+/.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a Redis URL (redis://host:6379)')
  }
  if (redisUrl !== null && databaseUrl === null) {
    throw new ConfigError('REDIS_URL needs DATABASE_URL: processes that share boards must share storage (PostgreSQL)')
  }
  const secret = env.ARVO_SECRET || null
  if (secret !== null && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`ARVO_SECRET is too short: use at least ${MIN_SECRET_LENGTH} random characters (or unset it to let Arvo generate one)`)
  }
  const createToken = env.ARVO_CREATE_TOKEN || null
  if (createToken !== null && (createToken.length < MIN_SECRET_LENGTH || createToken.length > 256 || !/^[\x21-\x7e]+$/.test(createToken))) {
    throw new ConfigError(
      `ARVO_CREATE_TOKEN must be ${MIN_SECRET_LENGTH}-256 printable characters without spaces (it travels as a bearer token); unset it to let anyone create boards`,
    )
  }
  return {
    secret,
    createToken,
    databaseUrl,
    redisUrl,
    port: int(env, 'PORT', defaults.port ?? 8080, 0, 65535),
    host,
    dataDir,
    maxFrameBytes: int(env, 'MAX_FRAME_BYTES', defaults.maxFrameBytes ?? 1024 * 1024, 1024, 256 * 1024 * 1024),
    maxBufferedBytes: int(env, 'MAX_BUFFERED_BYTES', defaults.maxBufferedBytes ?? 8 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    clientStallMs: int(env, 'CLIENT_STALL_MS', defaults.clientStallMs ?? 5000, 100, 600_000),
    durability: oneOf(env, 'DURABILITY', defaults.durability ?? 'full', ['full', 'normal'] as const),
    roomUnloadDelayMs: int(env, 'ROOM_UNLOAD_DELAY_MS', defaults.roomUnloadDelayMs ?? 5000, 0, 3_600_000),
    awarenessBatchMs: int(env, 'AWARENESS_BATCH_MS', defaults.awarenessBatchMs ?? 15, 0, 1000),
    compactEvery: int(env, 'COMPACT_EVERY', defaults.compactEvery ?? 1000, 2, 10_000_000),
    relayUsPerClient: int(env, 'RELAY_US_PER_CLIENT', defaults.relayUsPerClient ?? BATCH_US_PER_CLIENT, 0, 1000),
    exportWorkers: int(env, 'EXPORT_WORKERS', defaults.exportWorkers ?? 1, 1, 16),
    exportQueue: int(env, 'EXPORT_QUEUE', defaults.exportQueue ?? 2, 0, 1000),
    exportTimeoutMs: int(env, 'EXPORT_TIMEOUT_MS', defaults.exportTimeoutMs ?? 60_000, 1000, 3_600_000),
    exportWorkerHeapMb: int(env, 'EXPORT_WORKER_HEAP_MB', defaults.exportWorkerHeapMb ?? 2048, 64, 65_536),
    tldrawLicenseKey: env.TLDRAW_LICENSE_KEY || null,
    publicUrl: publicUrl ? publicUrl.replace(/\/+$/, '') : null,
    clientDir: env.CLIENT_DIR ?? defaults.clientDir ?? 'dist/client',
    compression: oneOf(env, 'COMPRESSION', defaults.compression === false ? 'off' : 'on', ['on', 'off'] as const) === 'on',
    logLevel: oneOf(env, 'LOG_LEVEL', defaults.logLevel ?? 'info', ['info', 'warn', 'silent'] as const),
  }
}
