import type { MetaEditCount, PresenceUser } from '../../shared/protocol.ts'

/**
 * Which client writes count as an *edit* in the contribution balance (rules EDIT-1..4 in
 * server/SPEC.md). A person would call two things a contribution: writing a note (counted
 * from the note's own meta, INS-1) and really changing the text of a note. Nothing else counts:
 * moves, resizes, restyles, ratings, template toggles, deletions (and their undo), camera
 * changes, refused writes — and undo/redo of a text, which only returns it to a text the note
 * already had.
 */

/** A person's text changes of one note less than this apart form one edit (EDIT-2). */
export const EDIT_WINDOW_MS = 15_000
/** Texts remembered per note to recognise undo/redo (EDIT-3). */
const SEEN_PER_NOTE = 64
/** Notes whose texts are remembered; the oldest are forgotten beyond this. */
const MAX_NOTES = 100_000

/** A text change of a note that counts once its whole update is accepted (EDIT-4). */
export interface EditCandidate {
  user: PresenceUser
  noteId: string
  text: number
  /** The note's text before this change. */
  before: number
  /** The text was empty and the note is this person's own: a session it starts is writing the note. */
  fromOwnEmpty: boolean
}

interface Session {
  last: number
  /** The note's text when the session began. */
  start: number
  /** The session began on the person's own empty note: writing it, not editing it. */
  writing: boolean
  counted: boolean
}

interface NoteLike {
  type?: unknown
  props?: { richText?: unknown }
  meta?: { arvo?: { kind?: unknown; authorId?: unknown } }
}

/** Edit counts per person, kept by the room and written into `meta['edits:<id>']`. */
export class EditCounter {
  private readonly counts = new Map<string, MetaEditCount>()
  private readonly seen = new Map<string, Set<number>>()
  private readonly sessions = new Map<string, Session>()

  constructor(
    initial: Iterable<MetaEditCount> = [],
    private readonly windowMs = EDIT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {
    for (const e of initial) this.counts.set(e.authorId, { ...e })
  }

  /** The count of one person, or undefined. */
  get(userId: string): MetaEditCount | undefined {
    return this.counts.get(userId)
  }

  /** A note appeared (created, pasted, restored): its text is one it has had (EDIT-3). */
  noteAdded(noteId: string, record: unknown): void {
    const text = noteText(record)
    if (text !== null) this.remember(noteId, text)
  }

  /**
   * A write of `user` changed record `key` from `before` to `after` (both valid). Returns what
   * would count if the whole update is accepted, or null when it is no text change of a note.
   */
  candidate(user: PresenceUser | null, key: string, before: unknown, after: unknown): EditCandidate | null {
    if (!user) return null
    const was = noteText(before)
    const now = noteText(after)
    if (was === null || now === null || was === now) return null
    return { user, noteId: key, text: now, before: was, fromOwnEmpty: was === EMPTY_TEXT && authorOf(after) === user.id }
  }

  /**
   * Takes the candidates of one accepted update in. Returns the ids of people whose count
   * changed. A session counts once, at its first change to a text the note never had; a
   * session that returns the note to the text it began with (typed back, or undone) no
   * longer counts.
   */
  commit(candidates: readonly EditCandidate[]): string[] {
    const changed: string[] = []
    const t = this.now()
    for (const c of candidates) {
      const k = `${c.user.id}|${c.noteId}`
      let s = this.sessions.get(k)
      if (!s || t - s.last >= this.windowMs) {
        s = { last: t, start: c.before, writing: c.fromOwnEmpty, counted: false }
        this.sessions.set(k, s)
        this.remember(c.noteId, c.before)
      }
      s.last = t
      const known = this.seen.get(c.noteId)?.has(c.text) ?? false
      this.remember(c.noteId, c.text)
      if (s.counted && c.text === s.start) {
        s.counted = false
        this.add(c.user, -1)
        changed.push(c.user.id)
      } else if (!s.counted && !s.writing && !known) {
        s.counted = true
        this.add(c.user, 1)
        changed.push(c.user.id)
      }
    }
    return changed
  }

  private add(user: PresenceUser, n: number): void {
    const prev = this.counts.get(user.id)
    this.counts.set(user.id, { authorId: user.id, authorName: user.name, side: user.side, edits: Math.max(0, (prev?.edits ?? 0) + n) })
  }

  /** Forgets edit sessions that ended (call now and then). */
  sweep(): void {
    const cutoff = this.now() - this.windowMs
    for (const [k, s] of this.sessions) if (s.last < cutoff) this.sessions.delete(k)
  }

  private remember(noteId: string, text: number): void {
    let set = this.seen.get(noteId)
    if (!set) {
      if (this.seen.size >= MAX_NOTES) this.seen.delete(this.seen.keys().next().value as string)
      set = new Set()
      this.seen.set(noteId, set)
    }
    if (set.has(text)) return
    if (set.size >= SEEN_PER_NOTE) set.delete(set.values().next().value as number)
    set.add(text)
  }
}

/** Hash of an empty note's rich text (no text at all). */
const EMPTY_TEXT = hashText('')

/** A hash of a note record's text, or null when `record` is not a note. */
function noteText(record: unknown): number | null {
  const r = record as NoteLike | null
  if (!r || typeof r !== 'object' || r.type !== 'note') return null
  return hashText(plainOrJson(r.props?.richText))
}

function authorOf(record: unknown): unknown {
  const meta = (record as NoteLike).meta?.arvo
  return meta && meta.kind === 'note' ? meta.authorId : undefined
}

/**
 * The rich text as a string: '' when it holds no text (an empty paragraph or none), else its
 * JSON (formatting changes are text changes too).
 */
function plainOrJson(richText: unknown): string {
  const json = JSON.stringify(richText ?? null)
  return /"text"\s*:/.test(json) ? json : ''
}

/** 32-bit FNV-1a of a string's UTF-16 units. */
function hashText(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
