import * as Y from 'yjs'
import { DocLayout, type PresenceUser } from '../../shared/protocol.ts'
import { checkMetaWrite, checkRecordWrite, checkSessionWrite, type Access, type Verdict } from '../../shared/policy/index.ts'
import { validateRecord } from '../validation.ts'
import { Connection } from './connection.ts'
import type { EditCounts } from './editCounts.ts'
import type { EditCandidate } from './edits.ts'
import { updateParents, updateParentsByYjs, type UpdateParents } from './updateParents.ts'

/** The top-level types of the doc layout: every other one is junk (SRV-4). */
export const LAYOUT_ROOTS: ReadonlySet<string> = new Set([DocLayout.records, DocLayout.meta, DocLayout.session])

/** Who writes the update being applied, and as whom its text edits count. */
export interface Writer {
  conn: Connection
  access: Access
  /** The connection's person as edit counts name it (SESS-3), or null (no presence yet: nothing counts). */
  editor: PresenceUser | null
}

/** One write of the update being applied that the server undoes (refused) or rewrites (corrected). */
interface Fix {
  map: Y.Map<unknown>
  key: string
  /** Refused: the value to put back (`hadOld` false: delete the key). Corrected: the value to write. */
  value: unknown
  hadOld: boolean
  verdict: Exclude<Verdict, { kind: 'allow' }>
}

/** What became of one client update's writes. */
export interface WriteOutcome {
  /** The close code and reasons when something was refused, else null. */
  refused: { code: 'forbidden' | 'invalidRecord'; reason: string } | null
  /** True when the server changed the doc after the client's write (reverts or corrections). */
  fixed: boolean
  /** Text edits that count if the update is accepted (EDIT-4). */
  candidates: EditCandidate[]
}

/**
 * The write checks of one room (ROLE-*, SRV-4): the pre-apply checks (writes outside the doc
 * layout; a viewer's update that carries anything new), the policy asked for every key a
 * client's update writes into `records`, `meta` or `session` (observers of those maps), and
 * the server transaction that undoes what the policy refused and writes its corrections.
 *
 * The room records what a fixed update left as the net result of both transactions
 * (`Y.encodeStateAsUpdate(doc, stateBefore)`): with `gc: true` the refused content is gone from
 * it, so it is never stored nor relayed — not even as bytes that are then undone.
 */
export class WriteChecks {
  private writer: Writer | null = null
  private fixes: Fix[] = []
  private candidates: EditCandidate[] = []
  /** Yjs client id -> the person who first wrote new structs with it here (ROLE-10). */
  private readonly clientOwners = new Map<number, string>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly edits: EditCounts,
    private readonly junkRoots: ReadonlySet<string>,
    /** The origin of the server's own undo/correct transactions. */
    private readonly origin: unknown,
  ) {
    const observe = (name: string, check: (w: Writer, key: string, prev: unknown, next: unknown, action: string) => Verdict) => {
      const map = doc.getMap<unknown>(name)
      map.observe((event, tr) => this.onChanges(map, event, tr, check))
    }
    observe(DocLayout.records, (w, key, prev, next, action) => {
      const verdict = checkRecordWrite(w.access, key, prev, next, validateRecord)
      if (verdict.kind !== 'refuse' && next !== undefined) {
        const value = verdict.kind === 'correct' ? verdict.value : next
        if (action === 'add') this.edits.noteAdded(key, value)
        else {
          const c = this.edits.candidate(w.editor, key, prev, value)
          if (c) this.candidates.push(c)
        }
      }
      return verdict
    })
    observe(DocLayout.meta, (w, key, _prev, next) => checkMetaWrite(w.access, key, next))
    observe(DocLayout.session, (w, key, prev, next) => checkSessionWrite(w.access, key, next, Date.now(), prev))
  }

  /** Starts checking the writes of one client update (call before `Y.applyUpdate`). */
  begin(writer: Writer): void {
    this.writer = writer
    this.fixes = []
    this.candidates = []
  }

  private onChanges(
    map: Y.Map<unknown>,
    event: Y.YMapEvent<unknown>,
    tr: Y.Transaction,
    check: (w: Writer, key: string, prev: unknown, next: unknown, action: string) => Verdict,
  ): void {
    const w = this.writer
    if (!w || tr.origin !== w.conn) return
    for (const [key, change] of event.changes.keys) {
      const hadOld = change.action !== 'add'
      const prev = hadOld ? change.oldValue : undefined
      const next = change.action === 'delete' ? undefined : map.get(key)
      const verdict = check(w, key, prev, next, change.action)
      if (verdict.kind === 'refuse') this.fixes.push({ map, key, value: prev, hadOld, verdict })
      else if (verdict.kind === 'correct') this.fixes.push({ map, key, value: verdict.value, hadOld: true, verdict })
    }
  }

  /**
   * Ends the update: undoes its refused writes and writes its corrections in one server
   * transaction (not recorded: the room records the net result).
   */
  finish(): WriteOutcome {
    const fixes = this.fixes
    const candidates = this.candidates
    this.writer = null
    this.fixes = []
    this.candidates = []
    if (fixes.length === 0) return { refused: null, fixed: false, candidates }
    this.doc.transact(() => {
      for (const f of fixes) {
        if (f.hadOld) f.map.set(f.key, f.value)
        else f.map.delete(f.key)
      }
    }, this.origin)
    const reasons: string[] = []
    let code: 'forbidden' | 'invalidRecord' | null = null
    for (const f of fixes) {
      if (f.verdict.kind !== 'refuse') continue
      reasons.push(f.verdict.reason)
      // A role refusal names the close (4403: Arvo's client reloads); otherwise 4003.
      if (code !== 'forbidden') code = f.verdict.code
    }
    return { refused: code ? { code, reason: reasons.join('; ').slice(0, 500) } : null, fixed: true, candidates: code ? [] : candidates }
  }

  /**
   * Why `update` must be refused before it is applied (SRV-4), or null: an item written into a
   * top-level type outside the doc layout by name, or (on a board with junk roots from storage)
   * hanging off an item of such a type. An update neither reader can decode is refused as
   * undecodable (nothing applied).
   */
  writesOutsideLayout(
    update: Uint8Array,
    personId: string | null = null,
    /** The person whose live connection announced `client` as its awareness id, if any. */
    presenceOwner: (client: number) => string | undefined = () => undefined,
  ): { code: 'invalidRecord' | 'invalidUpdate' | 'forbidden'; reason: string } | null {
    let parents: UpdateParents
    try {
      parents = updateParents(update, true)
    } catch {
      try {
        parents = updateParentsByYjs(update, true)
      } catch (e) {
        return { code: 'invalidUpdate', reason: (e as Error).message }
      }
    }
    for (const root of parents.roots) {
      if (!LAYOUT_ROOTS.has(root)) {
        return { code: 'invalidRecord', reason: `wrote outside the doc layout: top-level type ${JSON.stringify(root.slice(0, 60))}` }
      }
    }
    // ROLE-9: the layout's maps hold keyed entries only; a list item in one is seen by no map
    // observer (so no policy would ever check it).
    const [keyless] = parents.keyless
    if (keyless !== undefined) return { code: 'invalidRecord', reason: `wrote a list item into the ${JSON.stringify(keyless)} map` }
    const store = this.doc.store
    const range = new Map<number, { from: number; to: number }>()
    for (const c of parents.clients) range.set(c.client, c)
    // ROLE-9: nothing may wait on the server for content it does not have. Yjs would keep such
    // structs pending and integrate them later inside another connection's update, checked as
    // that connection's; so a client's structs must start where the doc is, and hang only off
    // what the doc or the update itself holds. (Deletions of clocks the doc lacks are caught
    // after the apply: see Room.)
    for (const c of parents.clients) {
      const state = Y.getState(store, c.client)
      if (c.to > state && c.from > state) {
        return { code: 'invalidRecord', reason: `depends on content the server does not have (client ${c.client} from clock ${c.from}, the board has ${state})` }
      }
    }
    for (const ref of parents.refs) {
      if (ref.clock < Y.getState(store, ref.client)) continue
      const own = range.get(ref.client)
      if (own && ref.clock >= own.from && ref.clock < own.to) continue
      return { code: 'invalidRecord', reason: `refers to content the server does not have (${ref.client}:${ref.clock})` }
    }
    if (this.junkRoots.size > 0) {
      for (const ref of parents.refs) {
        const root = rootOf(this.doc, ref.client, ref.clock)
        if (root !== null && this.junkRoots.has(root)) {
          return { code: 'invalidRecord', reason: `wrote outside the doc layout: into top-level type ${JSON.stringify(root.slice(0, 60))}` }
        }
      }
    }
    // ROLE-10: a Yjs client id writes for one person. New structs under the server's own id, or
    // under an id another person wrote with, would take that writer's next clocks (Yjs then
    // ignores the real writer's structs as known): refused. A writer claims the ids it uses.
    if (personId !== null) {
      const claims: number[] = []
      for (const c of parents.clients) {
        if (c.to <= Y.getState(store, c.client)) continue // nothing new under this id
        if (c.client === this.doc.clientID) return { code: 'forbidden', reason: "wrote under the server's own client id" }
        const owner = this.clientOwners.get(c.client) ?? presenceOwner(c.client)
        if (owner !== undefined && owner !== personId) return { code: 'forbidden', reason: `wrote under client id ${c.client}, which another person writes with` }
        if (owner === undefined) claims.push(c.client)
      }
      for (const client of claims) this.clientOwners.set(client, personId)
    }
    return null
  }
}

/** The top-level type name the struct (client, clock) of the doc belongs to; null when it is not in the doc or was collected. */
function rootOf(doc: Y.Doc, client: number, clock: number): string | null {
  if (clock >= Y.getState(doc.store, client)) return null
  const struct = Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item | Y.GC
  if (!(struct instanceof Y.Item)) return null
  let type = struct.parent as Y.AbstractType<unknown> | null
  while (type?._item) type = type._item.parent as Y.AbstractType<unknown> | null
  return type ? Y.findRootTypeKey(type) : null
}

/**
 * True when `update` carries anything `doc` does not have (ROLE-1): a struct beyond the doc's
 * state vector, or a deletion of an item the doc has not deleted (or does not have). A viewer's
 * sync answer with nothing new (its doc is what the server sent it) is not news. Throws on an
 * undecodable update.
 */
export function carriesNews(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  for (const s of structs) {
    if (s instanceof Y.Skip) continue
    if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) return true
  }
  for (const [client, ranges] of ds.clients) {
    const state = Y.getState(doc.store, client)
    const own = doc.store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (len === 0) continue
      if (clock + len > state || !own) return true
      for (let i = Y.findIndexSS(own, clock); i < own.length && own[i]!.id.clock < clock + len; i++) {
        if (!own[i]!.deleted) return true
      }
    }
  }
  return false
}
