import { DocLayout, type MetaEditCount, type PresenceUser } from '../../shared/protocol.ts'
import { EditCounter, type EditCandidate } from './edits.ts'

/** Edit counts are written into the doc at most this often. */
export const EDITS_WRITE_DELAY_MS = 2_000

/**
 * A room's edit counts (EDIT-1..4, SESS-3): the counter of edits.ts, the people whose count
 * changed since the last write, and the timer that writes them into `meta['edits:<id>']`
 * through `write` (the room records it like any server transaction). Counts are attributed to
 * the connection's principal (its person id), never to an id a client chose.
 */
export class EditCounts {
  private readonly counter: EditCounter
  private dirty = new Set<string>()
  private timer: NodeJS.Timeout | null = null
  private destroyed = false

  constructor(
    initial: Iterable<MetaEditCount>,
    /** Writes the given `meta` entries in one server transaction. */
    private readonly write: (entries: [string, MetaEditCount][]) => void,
  ) {
    this.counter = new EditCounter(initial)
  }

  /** A note appeared (created, pasted, restored): see EditCounter.noteAdded. */
  noteAdded(key: string, value: unknown): void {
    this.counter.noteAdded(key, value)
  }

  /** What a change of `key` by `editor` would count if its whole update is accepted. */
  candidate(editor: PresenceUser | null, key: string, before: unknown, after: unknown): EditCandidate | null {
    return this.counter.candidate(editor, key, before, after)
  }

  /** Counts the text edits of an accepted update and schedules writing the counts. */
  commit(candidates: readonly EditCandidate[]): void {
    if (candidates.length === 0) return
    const changed = this.counter.commit(candidates)
    if (changed.length === 0) return
    for (const id of changed) this.dirty.add(id)
    if (!this.timer && !this.destroyed) this.timer = setTimeout(() => this.flush(), EDITS_WRITE_DELAY_MS)
  }

  /** Writes changed edit counts now (also on unload). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.dirty.size === 0 || this.destroyed) return
    const dirty = this.dirty
    this.dirty = new Set()
    this.write([...dirty].map((id) => [`${DocLayout.editsPrefix}${id}`, { ...this.counter.get(id)! }]))
    this.counter.sweep()
  }

  destroy(): void {
    this.destroyed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
