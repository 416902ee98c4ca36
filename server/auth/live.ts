import type { LinkRole } from '../../shared/protocol.ts'
import type { BoardLinkState } from '../storage/types.ts'

/** What LiveTokens needs of a connection: close it with a named code. */
export interface Closable {
  close(name: 'linkReset' | 'linkExpired', detail?: string): void
}

/** A clock with timers (tests pass a fake one). */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

/** Node's timers fire at once beyond 2^31-1 ms (~24.8 days): longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface Held {
  boardId: string
  link: LinkRole
  gen: number
  /** The token's own expiry (unix ms) or null; the link's may come earlier. */
  tokenExpiresAt: number | null
  expiresAt: number | null
  timer: unknown
}

/**
 * The tokens live connections of this process hold (AUTH-5, AUTH-6): a connection whose link
 * is rotated is closed with 4401 "link reset" (`linksChanged`, from the API of this process or
 * a fan-out message of another); one whose token expires is closed with 4401 "link expired" at
 * that moment.
 */
export class LiveTokens<C extends Closable = Closable> {
  private readonly held = new Map<C, Held>()
  private readonly byBoard = new Map<string, Set<C>>()

  constructor(private readonly clock: Clock = systemClock) {}

  /** Number of connections tracked (tests). */
  get size(): number {
    return this.held.size
  }

  add(conn: C, boardId: string, grant: { link: LinkRole; generation: number; expiresAt: number | null }, tokenExpiresAt: number | null): void {
    const h: Held = { boardId, link: grant.link, gen: grant.generation, tokenExpiresAt, expiresAt: grant.expiresAt, timer: null }
    this.held.set(conn, h)
    let set = this.byBoard.get(boardId)
    if (!set) this.byBoard.set(boardId, (set = new Set()))
    set.add(conn)
    this.arm(conn, h)
  }

  remove(conn: C): void {
    const h = this.held.get(conn)
    if (!h) return
    if (h.timer !== null) this.clock.clearTimeout(h.timer)
    this.held.delete(conn)
    const set = this.byBoard.get(h.boardId)
    set?.delete(conn)
    if (set?.size === 0) this.byBoard.delete(h.boardId)
  }

  /**
   * A board's links changed: connections holding an older generation close (4401 "link reset");
   * the others follow the new expiries. Generations only grow, so a late message of an earlier
   * rotation never closes a connection holding a newer token.
   */
  linksChanged(boardId: string, links: BoardLinkState): void {
    for (const conn of [...(this.byBoard.get(boardId) ?? [])]) this.apply(conn, links)
  }

  /**
   * Checks one connection against `links` read after it was added: a rotation stored between
   * its token check and its registration here was seen by neither (the upgrade read the old
   * generation; the rotation's close pass ran before the connection was tracked).
   */
  recheck(conn: C, links: BoardLinkState): void {
    if (this.held.has(conn)) this.apply(conn, links)
  }

  private apply(conn: C, links: BoardLinkState): void {
    const h = this.held.get(conn)!
    const state = links[h.link]
    if (h.gen < state.gen) {
      this.remove(conn)
      conn.close('linkReset', `${h.link} link rotated`)
      return
    }
    const e = earliest(h.tokenExpiresAt, state.expiresAt)
    if (e !== h.expiresAt) {
      h.expiresAt = e
      this.arm(conn, h)
    }
  }

  private arm(conn: C, h: Held): void {
    if (h.timer !== null) this.clock.clearTimeout(h.timer)
    h.timer = null
    if (h.expiresAt === null) return
    const wait = h.expiresAt - this.clock.now()
    if (wait <= 0) {
      this.remove(conn)
      conn.close('linkExpired', `${h.link} link expired`)
      return
    }
    h.timer = this.clock.setTimeout(() => {
      h.timer = null
      this.arm(conn, h)
    }, Math.min(wait, MAX_TIMER_MS))
  }

  /** Stops every timer (server close). */
  clear(): void {
    for (const conn of [...this.held.keys()]) this.remove(conn)
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b
  if (b === null) return a
  return Math.min(a, b)
}
