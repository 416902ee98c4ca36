/**
 * Pure helpers of the workshop panels (no DOM, no React): note text for lists, who holds
 * private notes (server counts merged with live awareness), whether a result belongs on the
 * board now, the vote options a form gives.
 */
import type { PrivateCount, PrivateModeState, SessionState, VoteOptions, VoteResult } from '../../shared/facilitation/index.ts'
import { MAX_DOTS, MIN_DOTS } from '../../shared/facilitation/index.ts'
import type { Side } from '../../shared/protocol.ts'

/** The plain text of a tldraw rich-text document (paragraphs joined by spaces). */
export function plainText(richText: unknown): string {
  const out: string[] = []
  const walk = (n: unknown) => {
    if (!n || typeof n !== 'object') return
    const node = n as { type?: unknown; text?: unknown; content?: unknown }
    if (typeof node.text === 'string') out.push(node.text)
    if (Array.isArray(node.content)) {
      for (const c of node.content) walk(c)
      if (node.type === 'paragraph') out.push(' ')
    }
  }
  walk(richText)
  return out.join('').replace(/\s+/g, ' ').trim()
}

export interface PrivateHolder {
  personId: string
  name: string
  side: Side
  count: number
  /** Connected now (its awareness carries the count). */
  online: boolean
}

/** One awareness state as far as this needs it. */
export interface AwarenessLike {
  user?: { id?: unknown; name?: unknown; side?: unknown }
  privateNotes?: { round?: unknown; count?: unknown } | null
}

/**
 * Who holds private notes of `mode.round`: the server's `privateCounts` (kept while someone is
 * offline), overridden by what connected people's awareness says now. Sorted by name.
 */
export function privateHolders(mode: PrivateModeState | null, counts: Record<string, PrivateCount>, states: Iterable<AwarenessLike>): PrivateHolder[] {
  if (!mode) return []
  const byId = new Map<string, PrivateHolder>()
  for (const [personId, c] of Object.entries(counts)) {
    if (c.round === mode.round) byId.set(personId, { personId, name: c.name, side: c.side, count: c.count, online: false })
  }
  for (const s of states) {
    const id = s.user?.id
    if (typeof id !== 'string') continue
    const side = s.user?.side === 'customer' ? 'customer' : 'provider'
    const name = typeof s.user?.name === 'string' ? s.user.name : id
    const p = s.privateNotes
    const count = p && p.round === mode.round && typeof p.count === 'number' ? p.count : 0
    const known = byId.get(id)
    if (count > 0 || known) byId.set(id, { personId: id, name, side, count, online: true })
  }
  return [...byId.values()].filter((h) => h.count > 0).sort((a, b) => a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId))
}

/** The result to show on the board now: the last one, unless a newer vote is open. */
export function shownResult(session: Pick<SessionState, 'vote' | 'voteResult'>): VoteResult | null {
  const r = session.voteResult
  if (!r) return null
  if (session.vote && session.vote.status === 'open') return null
  return r
}

/** Reads the vote form; null when a number is out of range. */
export function voteOptionsFrom(form: { dots: string; onePerNote: boolean; templates: string[]; minutes: string }): VoteOptions | null {
  const dots = Number(form.dots)
  if (!Number.isInteger(dots) || dots < MIN_DOTS || dots > MAX_DOTS) return null
  const m = form.minutes.trim()
  let minutes: number | undefined
  if (m !== '') {
    minutes = Number(m)
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 480) return null
  }
  return { dots, onePerNote: form.onePerNote, templates: form.templates.length > 0 ? [...form.templates] : null, ...(minutes ? { minutes } : {}) }
}
