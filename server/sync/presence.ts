import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { isPresenceUser, isSide, type Principal } from '../../shared/protocol.ts'
import { Connection } from './connection.ts'
import { encodeAwareness } from './messages.ts'
import { PRIVATE_NOTES_AWARENESS_FIELD } from '../../shared/facilitation/index.ts'
import { readPrivateNotes } from './facilitation.ts'

/** Awareness client ids one connection may announce (a tab has one; a reload within the same socket never happens). */
export const MAX_AWARENESS_IDS = 3

/** Owner of an awareness client id: a connection of this process, or another process. */
type Owner = Connection | 'remote'

/**
 * A room's awareness: sanitizing what clients announce (SESS-1, SESS-2), batching what is
 * relayed (SYNC-7), and who owns which awareness client id.
 */
export class Presence {
  readonly awareness: awarenessProtocol.Awareness
  private changed = new Set<number>()
  private origins = new Set<unknown>()
  /** Awareness clients changed by this process's own connections (published to others). */
  private toPublish = new Set<number>()
  private timer: NodeJS.Timeout | null = null
  /** Connections that joined since the last batch: they get all states with it. */
  private joiners = new Set<Connection>()
  /** Which live connection (or other process) announced each awareness client id. */
  private readonly owners = new Map<number, Owner>()
  private destroyed = false

  constructor(
    doc: Y.Doc,
    private readonly conns: ReadonlySet<Connection>,
    private readonly batchMs: number,
    /** Shares awareness changes of this process's own clients with other processes. */
    private readonly publish: (payload: Uint8Array) => void,
    /** The origin of updates from other processes. */
    private readonly remoteOrigin: unknown,
    /** True while a dot vote is open: participants' presence shows no cursor or selection (VOTE-S5). */
    private readonly secretBallot: () => boolean = () => false,
    /** Called after every change of the states (the room's private counts read them). */
    private readonly onChange: () => void = () => {},
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onUpdate)
  }

  /** A new connection gets everyone's presence with the next batch (encoded once for all joiners). */
  join(conn: Connection): void {
    if (this.awareness.getStates().size === 0) return
    this.joiners.add(conn)
    this.schedule()
  }

  /** Removes the states `conn` announced. */
  leave(conn: Connection): void {
    this.joiners.delete(conn)
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null)
  }

  /**
   * Applies an awareness update from `conn`, sanitized (SESS-1, SESS-2). Throws on a payload
   * that is not an awareness update (the room closes `conn` as malformed).
   */
  applyFromClient(conn: Connection, payload: Uint8Array): void {
    // SESS-5: a connection announces at most MAX_AWARENESS_IDS awareness clients (one tab has
    // one; more would be invented participants in everyone's list)
    const mine = new Set(conn.awarenessIds)
    const clean = sanitizeAwarenessUpdate(
      payload,
      conn.principal,
      (id) => {
        const owner = this.owners.get(id)
        if (owner !== undefined && owner !== conn) return true
        if (mine.has(id)) return false
        if (mine.size >= MAX_AWARENESS_IDS) return true
        mine.add(id)
        return false
      },
      this.secretBallot(),
    )
    if (clean) awarenessProtocol.applyAwarenessUpdate(this.awareness, clean, conn)
  }

  /** Applies an awareness update of another process (FAN-2). */
  applyRemote(payload: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, this.remoteOrigin)
  }

  /**
   * VOTE-S5 when a vote opens: the participants' states as they stand lose their tldraw presence
   * (cursor, selection from before the vote), relayed to everyone with the next batch. The
   * client's next own update may carry the same clock and be skipped once: while the vote is
   * open it would be stripped anyway.
   */
  stripParticipantPresence(): void {
    const e = encoding.createEncoder()
    const entries: [number, number, string][] = []
    for (const [clientId, owner] of this.owners) {
      if (!(owner instanceof Connection) || owner.principal.role !== 'participant') continue
      const state = this.awareness.getStates().get(clientId) as Record<string, unknown> | undefined
      if (!state || !('presence' in state)) continue
      const { presence: _dropped, ...rest } = state
      const clock = (this.awareness.meta.get(clientId)?.clock ?? 0) + 1
      entries.push([clientId, clock, JSON.stringify(rest)])
    }
    if (entries.length === 0) return
    encoding.writeVarUint(e, entries.length)
    for (const [clientId, clock, json] of entries) {
      encoding.writeVarUint(e, clientId)
      encoding.writeVarUint(e, clock)
      encoding.writeVarString(e, json)
    }
    // applied as the server's own change: relayed to everyone (the owners stay who they were)
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(e), 'arvo:vote-opened')
  }

  /** Everyone's current states for a client that asked (query awareness). */
  answerQuery(conn: Connection): void {
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) conn.send(encodeAwareness(this.awareness, states))
  }

  private onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin instanceof Connection) {
      for (const id of added) origin.awarenessIds.add(id)
      for (const id of removed) origin.awarenessIds.delete(id)
      for (const id of [...added, ...updated]) {
        const user = (this.awareness.getStates().get(id) as { user?: unknown } | undefined)?.user
        if (isPresenceUser(user)) origin.user = user
      }
    }
    const owner: Owner | null = origin instanceof Connection ? origin : origin === this.remoteOrigin ? 'remote' : null
    if (owner) for (const id of added) this.owners.set(id, owner)
    for (const id of removed) this.owners.delete(id)
    for (const id of added) this.changed.add(id)
    for (const id of updated) this.changed.add(id)
    for (const id of removed) this.changed.add(id)
    if (origin !== this.remoteOrigin) {
      for (const id of added) this.toPublish.add(id)
      for (const id of updated) this.toPublish.add(id)
      for (const id of removed) this.toPublish.add(id)
    }
    this.origins.add(origin)
    this.schedule()
    this.onChange()
  }

  private schedule(): void {
    if (this.timer === null && !this.destroyed) this.timer = setTimeout(this.flush, this.batchMs)
  }

  /** Relays the awareness changes of the last batch window in one message. */
  private flush = (): void => {
    this.timer = null
    const ids = [...this.changed]
    const origins = this.origins
    this.changed = new Set()
    this.origins = new Set()
    if (this.toPublish.size > 0) {
      this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.toPublish]))
      this.toPublish = new Set()
    }
    const joiners = this.joiners
    this.joiners = new Set()
    if (joiners.size > 0) {
      // They get everyone's current state, which includes this window's changes.
      const all = [...this.awareness.getStates().keys()]
      if (all.length > 0) {
        const message = encodeAwareness(this.awareness, all)
        for (const conn of joiners) conn.send(message)
      }
    }
    if (ids.length === 0 || this.conns.size === joiners.size) return
    const message = encodeAwareness(this.awareness, ids)
    const onlySender = origins.size === 1 ? [...origins][0] : null
    for (const conn of this.conns) if (conn !== onlySender && !joiners.has(conn)) conn.send(message)
  }

  destroy(): void {
    this.destroyed = true
    if (this.timer) clearTimeout(this.timer)
    this.awareness.destroy()
  }
}

/** Fields of tldraw's instance presence a viewer may publish as they are (its cursor, where it looks). */
const VIEWER_PRESENCE_KEPT = new Set([
  'id',
  'typeName',
  'userId',
  'userName',
  'lastActivityTimestamp',
  'color',
  'camera',
  'currentPageId',
  'screenBounds',
  'followingUserId',
  'cursor',
])
/**
 * What a viewer's presence carries instead of the fields that show work in progress
 * (selection, brush, scribbles, chat): their empty values, so that the record stays valid
 * for tldraw and the viewer's cursor is still drawn.
 */
const VIEWER_PRESENCE_EMPTY = { selectedShapeIds: [], brush: null, scribbles: [], chatMessage: '', meta: {} }

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * One awareness state as the server relays it (SESS-1): `user.id` := the principal's person
 * id, `user.role` := its role, `user.side` := a participant's token side. A viewer's state
 * keeps only `user` {id, name, color, side, role}, `activeAt` and the cursor-ish fields of its
 * tldraw `presence`. Null stays null (the client left). Throws when the state is not an object.
 */
export function sanitizeAwarenessState(state: unknown, principal: Principal, secretBallot = false): unknown {
  if (state === null) return null
  if (!isPlainObject(state)) throw new Error('awareness state is not an object')
  const user = isPlainObject(state.user) ? state.user : null
  const side = principal.role === 'participant' && principal.side ? principal.side : user?.side
  const cleanUser = user ? { ...user, id: principal.personId, role: principal.role, side } : undefined
  if (principal.role !== 'viewer') {
    const out: Record<string, unknown> = cleanUser ? { ...state, user: cleanUser } : { ...state }
    // PRIV-S2: a private-note count is a count, nothing else
    if (PRIVATE_NOTES_AWARENESS_FIELD in out) {
      const notes = readPrivateNotes(out)
      if (notes) out[PRIVATE_NOTES_AWARENESS_FIELD] = notes
      else delete out[PRIVATE_NOTES_AWARENESS_FIELD]
    }
    // VOTE-S5: while a vote is open a participant's cursor, selection and camera would show
    // where they place dots: their presence goes (the participants list keeps `user`)
    if (secretBallot && principal.role === 'participant') delete out.presence
    return out
  }
  const out: Record<string, unknown> = {}
  if (user) {
    out.user = {
      id: principal.personId,
      name: typeof user.name === 'string' ? user.name.slice(0, 200) : '',
      color: typeof user.color === 'string' ? user.color.slice(0, 40) : '',
      side: isSide(user.side) ? user.side : 'provider',
      role: principal.role,
    }
  }
  if (typeof state.activeAt === 'number') out.activeAt = state.activeAt
  if (isPlainObject(state.presence)) {
    const presence: Record<string, unknown> = { ...VIEWER_PRESENCE_EMPTY }
    for (const [k, v] of Object.entries(state.presence)) if (VIEWER_PRESENCE_KEPT.has(k)) presence[k] = v
    out.presence = presence
  }
  return out
}

/**
 * Rewrites a client's awareness update (y-protocols: count, then client id, clock and JSON
 * state each) with every state sanitized (SESS-1) and the states of client ids another live
 * connection owns dropped (SESS-2: an identity cannot be borrowed by replaying someone's state
 * under their id). Returns null when nothing is left. Throws on a malformed update.
 */
export function sanitizeAwarenessUpdate(
  payload: Uint8Array,
  principal: Principal,
  ownedByOther: (clientId: number) => boolean,
  secretBallot = false,
): Uint8Array | null {
  const decoder = decoding.createDecoder(payload)
  const count = decoding.readVarUint(decoder)
  const kept: [number, number, string][] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = JSON.parse(decoding.readVarString(decoder)) as unknown
    if (ownedByOther(clientId)) continue
    kept.push([clientId, clock, JSON.stringify(sanitizeAwarenessState(state, principal, secretBallot))])
  }
  if (kept.length === 0) return null
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, kept.length)
  for (const [clientId, clock, json] of kept) {
    encoding.writeVarUint(e, clientId)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, json)
  }
  return encoding.toUint8Array(e)
}
