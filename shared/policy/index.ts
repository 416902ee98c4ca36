/**
 * The one home of Arvo's permissions (rules ROLE-* in server/SPEC.md): pure functions over who
 * writes (an {@link Access}) and what they write. The sync server asks them for every client
 * write before it keeps it (server/sync/writes.ts); Arvo's client asks the same functions so
 * that its UI never offers what the server will refuse (client/board/guards.ts).
 *
 * Framework-free and DOM-free: imports only the wire contract and the domain's meta readers.
 */
import type { TLShape } from '@tldraw/tlschema'
import { FACILITATOR_KEYS, isVoteState, SERVER_KEYS, stampTimer, type TimerState, type VoteState } from '../facilitation/session.ts'
import { MAX_NAME_LENGTH, noteMeta, readArvoMeta, type ActionFields, type ArvoNoteMeta, type NoteAuthor } from '../domain/index.ts'
import {
  BOARD_PAGE_ID,
  DOCUMENT_RECORD_ID,
  DocLayout,
  type Role,
  type SessionFlags,
  type Side,
} from '../protocol.ts'

/** Who writes, as the server established it, and the board's session flags at that moment. */
export interface Access {
  role: Role
  /** A participant's side (from its token); null for facilitators and viewers. */
  side: Side | null
  /** The person's id (the server's `Principal.personId`). */
  personId: string
  /**
   * The person's display name, for attributing new notes (ROLE-4): on the server the name of
   * the connection's sanitized awareness `user`, in the client the local user's name. Null
   * when unknown (the note then keeps the name its client wrote).
   */
  name?: string | null
  /**
   * The side a facilitator works for (its awareness `user.side`; the facilitator's own choice,
   * ROLE-4). Participants' side is always `side`.
   */
  chosenSide?: Side | null
  flags: SessionFlags
}

/**
 * What becomes of one write:
 * - `allow`: kept as written;
 * - `correct`: kept, but as `value` (a note's author forced, ROLE-4) — everyone, the writer
 *   included, learns the corrected value;
 * - `refuse`: undone; `code` names how the writer is closed (`forbidden` 4403: not allowed for
 *   this role; `invalidRecord` 4003: breaks the doc layout or the schema).
 */
export type Verdict =
  | { kind: 'allow' }
  | { kind: 'correct'; value: unknown }
  | { kind: 'refuse'; code: 'forbidden' | 'invalidRecord'; reason: string }

const ALLOW: Verdict = Object.freeze({ kind: 'allow' })
const forbidden = (reason: string): Verdict => ({ kind: 'refuse', code: 'forbidden', reason })
const invalid = (reason: string): Verdict => ({ kind: 'refuse', code: 'invalidRecord', reason })

/** Records no one may delete: the board's document and its one page. */
const UNDELETABLE = new Set<string>([DOCUMENT_RECORD_ID, BOARD_PAGE_ID])

/**
 * Why `access` may not write the doc at all right now (ROLE-1, ROLE-2), or null when it may:
 * a viewer never writes; a participant writes nothing while the board is locked.
 */
export function whyNoWrites(access: Access): string | null {
  if (access.role === 'viewer') return 'viewers cannot change the board'
  if (access.role === 'participant' && access.flags.boardLocked) return 'the board is locked by the facilitator'
  return null
}

/** Template parts: backgrounds (zones), labels and rating shapes (META-2, META-3, META-5). */
export function isTemplatePart(shape: unknown): boolean {
  const kind = readArvoMeta(shape)?.kind
  return kind === 'zone' || kind === 'label' || kind === 'rating'
}

/**
 * True when `next` is `prev` rated: the same rating shape (step and side) with only its value
 * and its label changed, as a rating click (RATE-C1) or its undo makes it.
 */
export function isRatingChange(prev: unknown, next: unknown): boolean {
  const a = readArvoMeta(prev)
  const b = readArvoMeta(next)
  if (a?.kind !== 'rating' || b?.kind !== 'rating') return false
  if (a.instance !== b.instance || a.zone !== b.zone || a.side !== b.side) return false
  const { meta: _m1, props: p1, ...rest1 } = prev as TLShape & { props: Record<string, unknown> }
  const { meta: _m2, props: p2, ...rest2 } = next as TLShape & { props: Record<string, unknown> }
  if (typeof p1 !== 'object' || p1 === null || typeof p2 !== 'object' || p2 === null) return false
  const { richText: _r1, ...props1 } = p1
  const { richText: _r2, ...props2 } = p2
  return JSON.stringify(rest1) === JSON.stringify(rest2) && JSON.stringify(props1) === JSON.stringify(props2)
}

/**
 * Decides one write of `records[id]` by `access` (ROLE-1..4): `prev` is the record before,
 * `next` after (undefined: deleted). `validate` is the schema check (the server passes
 * `validateRecord`; it runs first, and its refusal is `invalidRecord`).
 *
 * - everyone: the schema; the document and page records are never deleted;
 * - template parts (ROLE-3): the facilitator may do anything; a participant may only rate its
 *   own side's rating (value and label); creating, changing, unlocking or deleting template
 *   parts (or turning a shape into one) is refused — unless the facilitator unlocked the
 *   templates (`templatesUnlocked`): then all of it is allowed, deleting included (so that a
 *   participant's undo of "Add template" works), except rating the other side's rating;
 * - notes (ROLE-4): an attributed note keeps its author (authorId, authorName, side) — a change
 *   that alters it is corrected back (its other fields, action fields included, kept); a new
 *   note with note meta, or an unattributed one given note meta, is attributed to the writer
 *   (authorId := personId; side := the participant's side, or the facilitator's chosen side;
 *   authorName := `access.name` when known). A copy or paste therefore becomes the copier's:
 *   nobody can tell a copy from a forgery. A note without note meta (as scripts write them)
 *   stays unattributed and counts for nobody;
 * - other shapes, bindings, assets, users: allowed to participants and the facilitator.
 */
export function checkRecordWrite(
  access: Access,
  id: string,
  prev: unknown,
  next: unknown,
  validate?: (id: string, value: unknown) => string | null,
): Verdict {
  const closed = whyNoWrites(access)
  if (closed) return forbidden(`${id}: ${closed}`)
  if (next === undefined) {
    if (UNDELETABLE.has(id)) return invalid(`${id}: the board's document and page cannot be deleted`)
  } else if (validate) {
    const reason = validate(id, next)
    if (reason) return invalid(reason)
  }
  if (access.role === 'participant' && (isTemplatePart(prev) || isTemplatePart(next))) {
    const refusal = templateRefusal(access, id, prev, next)
    if (refusal) return refusal
  }
  if (next === undefined) return ALLOW
  const attributed = attributeNote(access, prev, next)
  return attributed === next ? ALLOW : { kind: 'correct', value: attributed }
}

/** Why a participant's write of a template part is refused (ROLE-3), or null. */
function templateRefusal(access: Access, id: string, prev: unknown, next: unknown): Verdict | null {
  const before = readArvoMeta(prev)
  const after = readArvoMeta(next)
  const valueChanged = before?.kind === 'rating' && after?.kind === 'rating' && before.value !== after.value
  if (valueChanged && before.side !== access.side) return forbidden(`${id}: a participant rates only its own side`)
  if (access.flags.templatesUnlocked) return null
  if (prev !== undefined && next !== undefined && isRatingChange(prev, next)) return null
  const what = prev === undefined ? 'create' : next === undefined ? 'delete' : 'change'
  return forbidden(`${id}: participants cannot ${what} template parts while the templates are locked`)
}

/** The author a write by `access` attributes a new note to (ROLE-4). */
function writerAuthor(access: Access, claimed: ArvoNoteMeta | null): NoteAuthor {
  const side = access.role === 'participant' && access.side ? access.side : (access.chosenSide ?? claimed?.side ?? 'provider')
  const authorName = (access.name ?? claimed?.authorName ?? '').slice(0, MAX_NAME_LENGTH)
  return { authorId: access.personId, authorName, side }
}

/**
 * `next` with its note attribution as ROLE-4 wants it for a write by `access`, or `next` itself
 * when it already is. Only `meta.arvo`'s author fields change; everything else is kept.
 */
export function attributeNote<T>(access: Access, prev: unknown, next: T): T {
  const rec = next as { type?: unknown; meta?: unknown }
  if (typeof rec !== 'object' || rec === null) return next
  const before = readArvoMeta(prev)
  const after = readArvoMeta(next)
  let author: NoteAuthor
  if (before?.kind === 'note') {
    // Attributed before: the author stays, whoever writes.
    author = { authorId: before.authorId, authorName: before.authorName, side: before.side }
  } else if (after?.kind === 'note' || hasNoteKind(next)) {
    // A new note with note meta, or an unattributed one that gains it: the writer's. (A note
    // without note meta, as a script writes it, stays unattributed: it counts for nobody.)
    author = writerAuthor(access, after?.kind === 'note' ? after : null)
  } else {
    return next
  }
  if (after?.kind === 'note' && after.authorId === author.authorId && after.authorName === author.authorName && after.side === author.side) {
    return next
  }
  // Keep the action fields of the write when it carries valid note meta, else the old ones.
  const fields: ActionFields = after?.kind === 'note' ? after : before?.kind === 'note' ? before : {}
  const meta = typeof rec.meta === 'object' && rec.meta !== null && !Array.isArray(rec.meta) ? rec.meta : {}
  let arvo: TLShape['meta']
  try {
    arvo = noteMeta(author, { owner: fields.owner, ownerSide: fields.ownerSide, due: fields.due })
  } catch {
    // An author the meta contract rejects (e.g. an empty person id): no attribution at all.
    return next
  }
  return { ...rec, meta: { ...meta, ...arvo } } as T
}

/** True when `record.meta.arvo.kind` says note (even if the rest of the meta is malformed). */
function hasNoteKind(record: unknown): boolean {
  const m = (record as { meta?: { arvo?: { kind?: unknown } } } | null)?.meta?.arvo
  return typeof m === 'object' && m !== null && m.kind === 'note'
}

/**
 * Decides one write of `meta[key]` (ROLE-6): only `schema` (a serialized tldraw schema), by
 * non-viewers, and never deleted; `edits:*` belong to the server (refused from any client);
 * anything else is not part of the doc layout.
 */
export function checkMetaWrite(access: Access, key: string, next: unknown): Verdict {
  if (access.role === 'viewer') return forbidden(`meta.${key}: viewers cannot change the board`)
  if (key.startsWith(DocLayout.editsPrefix)) return forbidden(`meta.${key}: edit counts are written by the server only`)
  if (key !== DocLayout.schemaKey) return invalid(`meta.${key} is not part of the doc layout`)
  if (next === undefined) return invalid('meta.schema cannot be deleted')
  const v = next as { schemaVersion?: unknown; sequences?: unknown } | null
  if (typeof v !== 'object' || v === null || typeof v.schemaVersion !== 'number' || typeof v.sequences !== 'object') {
    return invalid('meta.schema is not a serialized tldraw schema')
  }
  return ALLOW
}

/**
 * Decides one write of `session[key]` (ROLE-5, FAC-1): only the facilitator writes the session
 * map, and only its facilitator keys (`FACILITATOR_KEYS` of shared/facilitation); the server's
 * own keys (`SERVER_KEYS`: vote progress and results, private counts) are refused to every
 * client (4403); unknown keys and ill-formed values are refused as 4003; deleting a facilitator
 * key (back to its default) is allowed. A running timer is corrected to end at the server's
 * `now + remainingMs` (FAC-2): the facilitator's clock may be off. `now` is the server's clock.
 */
export function checkSessionWrite(access: Access, key: string, next: unknown, now: number = Date.now(), prev?: unknown): Verdict {
  if (access.role !== 'facilitator') return forbidden(`session.${key}: only the facilitator changes the session`)
  if (Object.hasOwn(SERVER_KEYS, key)) return forbidden(`session.${key} is written by the server only`)
  if (!Object.hasOwn(FACILITATOR_KEYS, key)) return invalid(`session.${key} is not a session key`)
  if (next === undefined) return ALLOW
  const check = FACILITATOR_KEYS[key as keyof typeof FACILITATOR_KEYS]
  if (!check(next)) return invalid(`session.${key}: value ${JSON.stringify(next)?.slice(0, 60)} is not allowed`)
  if (key === 'vote' && isVoteState(prev) && (next as VoteState).id === prev.id) {
    // FAC-4: a vote keeps its rules while it has ballots (a new vote has a new id)
    const n = next as VoteState
    if (prev.status === 'closed' && n.status === 'open') return invalid('session.vote: a closed vote cannot be opened again; start a new vote (a new id)')
    if (prev.status === 'open' && (n.dots !== prev.dots || n.onePerNote !== prev.onePerNote || JSON.stringify(n.templates) !== JSON.stringify(prev.templates))) {
      return invalid('session.vote: the rules of an open vote (dots, one per note, templates) cannot change; close it and start a new one')
    }
  }
  if (key === 'timer') {
    const stamped = stampTimer(next as TimerState, now)
    if (stamped) return { kind: 'correct', value: stamped }
  }
  return ALLOW
}

/**
 * Whether `access` may select `shape` (the client's LOCK-1 selection rule): participants never
 * select template parts unless the templates are unlocked; the facilitator selects anything.
 */
export function maySelect(access: Access, shape: unknown): boolean {
  if (access.role === 'facilitator') return true
  if (access.role === 'viewer') return true // viewers may select to look; they cannot change anything
  return access.flags.templatesUnlocked || !isTemplatePart(shape)
}
