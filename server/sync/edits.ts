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
/** The author's changes of their own note this soon after it appeared are writing it (EDIT-1). */
export const WRITING_WINDOW_MS = 120_000
/** Texts remembered per note (where edit sessions began and ended, and what undo left) to recognise undo/redo (EDIT-3). */
const SEEN_PER_NOTE = 32
/** Notes remembered; the oldest are forgotten beyond this. */
const MAX_NOTES = 100_000

/** A text change of a note that counts once its whole update is accepted (EDIT-4). */
export interface EditCandidate {
  user: PresenceUser
  noteId: string
  text: number
  /** The note's text before this change. */
  before: number
  /** The note is this person's own (its meta names them as author). */
  ownNote: boolean
}

/** One person's run of text changes of one note, less than EDIT_WINDOW_MS apart (EDIT-2). */
interface Session {
  /** The note's text when the session began. */
  start: number
  /** Its text after the session's latest change. */
  last: number
  /** Time of the latest change. */
  at: number
  /** The author writing their own new note: not an edit. */
  writing: boolean
  counted: boolean
}

/** What the room remembers of one note. */
interface NoteMemory {
  /** Texts the note had where edit sessions began or ended, or that an undo left (undo and redo return to these). */
  seen: number[]
  /** When the note appeared in this room (created, pasted, restored), if it did. */
  addedAt?: number
  sessions: Map<string, Session>
}

interface NoteLike {
  type?: unknown
  props?: { richText?: unknown }
  meta?: { arvo?: { kind?: unknown; authorId?: unknown } }
}

/** Edit counts per person, kept by the room and written into `meta['edits:<id>']`. */
export class EditCounter {
  private readonly counts = new Map<string, MetaEditCount>()
  private readonly notes = new Map<string, NoteMemory>()
  /** Notes with an edit session that has not ended yet. */
  private readonly active = new Set<string>()

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
    if (text === null) return
    const mem = this.note(noteId)
    mem.addedAt = this.now()
    remember(mem, text)
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
    return { user, noteId: key, text: now, before: was, ownNote: authorOf(after) === user.id }
  }

  /**
   * Takes the candidates of one accepted update in. Returns the ids of people whose count
   * changed. A session counts once, at its first change to a text the note has not had (where
   * an earlier session began or ended, or that an undo left); a session that returns the note
   * to the text it began with (typed back, or undone) no longer counts.
   */
  commit(candidates: readonly EditCandidate[]): string[] {
    const changed: string[] = []
    const t = this.now()
    for (const c of candidates) {
      const mem = this.note(c.noteId)
      let s = mem.sessions.get(c.user.id)
      if (s && t - s.at >= this.windowMs) {
        endSession(mem, c.user.id, s)
        s = undefined
      }
      if (!s) {
        remember(mem, c.before)
        const writing = c.ownNote && (c.before === EMPTY_TEXT || (mem.addedAt !== undefined && t - mem.addedAt < WRITING_WINDOW_MS))
        s = { start: c.before, last: c.before, at: t, writing, counted: false }
        mem.sessions.set(c.user.id, s)
        this.active.add(c.noteId)
      }
      s.at = t
      s.last = c.text
      const known = mem.seen.includes(c.text)
      // A jump to a text the note had is an undo or redo: the text it leaves is one the note
      // has had too (redoing it later is no edit either).
      if (known) remember(mem, c.before)
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

  /** Ends edit sessions whose window has passed (call now and then). */
  sweep(): void {
    const cutoff = this.now() - this.windowMs
    for (const id of this.active) {
      const mem = this.notes.get(id)
      if (mem) for (const [user, s] of mem.sessions) if (s.at <= cutoff) endSession(mem, user, s)
      if (!mem || mem.sessions.size === 0) this.active.delete(id)
    }
  }

  private note(noteId: string): NoteMemory {
    let mem = this.notes.get(noteId)
    if (!mem) {
      if (this.notes.size >= MAX_NOTES) {
        const oldest = this.notes.keys().next().value as string
        this.notes.delete(oldest)
        this.active.delete(oldest)
      }
      mem = { seen: [], sessions: new Map() }
      this.notes.set(noteId, mem)
    }
    return mem
  }

  private add(user: PresenceUser, n: number): void {
    const prev = this.counts.get(user.id)
    this.counts.set(user.id, { authorId: user.id, authorName: user.name, side: user.side, edits: Math.max(0, (prev?.edits ?? 0) + n) })
  }
}

/** The session is over: the text it left the note with is one the note has had. */
function endSession(mem: NoteMemory, user: string, s: Session): void {
  remember(mem, s.last)
  mem.sessions.delete(user)
}

function remember(mem: NoteMemory, text: number): void {
  if (mem.seen.includes(text)) return
  if (mem.seen.length >= SEEN_PER_NOTE) mem.seen.shift()
  mem.seen.push(text)
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
