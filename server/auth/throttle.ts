import { createHash } from 'node:crypto'

export interface ThrottleOptions {
  /** Refusals allowed within `windowMs`; one more starts a cooldown. */
  limit: number
  windowMs: number
  /** The first cooldown; each further one doubles, up to `maxCooldownMs`. */
  baseCooldownMs: number
  maxCooldownMs: number
  /** Clients remembered at most (the least recently seen are forgotten first). */
  maxEntries: number
  now: () => number
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  limit: 5,
  windowMs: 60_000,
  baseCooldownMs: 2_000,
  maxCooldownMs: 60_000,
  maxEntries: 10_000,
  now: () => Date.now(),
}

interface Entry {
  /** Times of the refusals within the window (at most limit + 1 kept). */
  hits: number[]
  cooldownUntil: number
  /** Cooldowns so far: the next one lasts baseCooldownMs * 2^strikes. */
  strikes: number
  lastSeen: number
}

/**
 * AUTH-7: a client whose upgrades were refused (401) or whose connections were closed with a
 * final code (4401, 4403, 4003) more than `limit` times within `windowMs` gets 429 `throttled`
 * for a cooldown that doubles with every further refusal within a window after the last
 * cooldown ended (2 s, 4 s, … capped at 60 s): a stock y-websocket client, which reconnects after
 * every close, ends up costing one token check a minute. 429s themselves do not count. A client
 * is its remote address and token, kept as a hash (never the token); memory is bounded.
 */
export class RefusalThrottle {
  private readonly opts: ThrottleOptions
  private readonly entries = new Map<string, Entry>()

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts }
  }

  /** Number of clients remembered (tests). */
  get size(): number {
    return this.entries.size
  }

  /** The throttle key of a client: a hash of its remote address and token. */
  static key(remoteAddress: string | undefined, token: string | null): string {
    return createHash('sha256').update(`${remoteAddress ?? '?'}\u0000${token ?? ''}`).digest('base64url').slice(0, 22)
  }

  /** Milliseconds the client must still wait (0: not throttled). */
  cooldownLeft(key: string): number {
    const e = this.live(key)
    return e ? Math.max(0, e.cooldownUntil - this.opts.now()) : 0
  }

  /** Counts one refusal of the client (an upgrade refused 401, or a connection closed with a final code). */
  refused(key: string): void {
    const now = this.opts.now()
    let e = this.live(key)
    if (!e) {
      e = { hits: [], cooldownUntil: 0, strikes: 0, lastSeen: now }
      if (this.entries.size >= this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    }
    this.entries.delete(key) // re-insert: the map's order is least recently seen first
    this.entries.set(key, e)
    e.lastSeen = now
    e.hits = e.hits.filter((t) => now - t < this.opts.windowMs)
    e.hits.push(now)
    // a refusal within a window after a cooldown ended: the client is still looping
    const again = e.strikes > 0 && now - e.cooldownUntil < this.opts.windowMs
    if (e.hits.length > this.opts.limit || again) {
      e.hits = e.hits.slice(-this.opts.limit - 1)
      e.cooldownUntil = now + Math.min(this.opts.maxCooldownMs, this.opts.baseCooldownMs * 2 ** e.strikes)
      e.strikes++
    }
  }

  /** The client's entry, unless it has been quiet for a whole window past its cooldown (then forgotten). */
  private live(key: string): Entry | null {
    const e = this.entries.get(key)
    if (!e) return null
    const now = this.opts.now()
    if (now - Math.max(e.lastSeen, e.cooldownUntil) >= this.opts.windowMs) {
      this.entries.delete(key)
      return null
    }
    return e
  }
}
