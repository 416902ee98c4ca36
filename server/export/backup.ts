/**
 * The JSON backup of a board and its reader for import (rules EXP-4, EXP-5).
 *
 * A backup is `{ format: 'arvo-board', version: 1, exportedAt, boardId, title, schema, records,
 * session, edits }`: every record of the board as stored (sorted by id), the tldraw schema they
 * were written with, the raw `session` map and the server's edit counts. `readBackup` checks a
 * file completely before anything is created (JSON, format and version, every record through
 * tldraw's validators as the server runs them, unique ids, parents present, session keys
 * through the facilitation validators) and says what is wrong; `importUpdate` makes the new
 * board's first Yjs update from what it accepted. Pure apart from the schema object.
 */
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLPage, type TLPageId } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { FACILITATOR_KEYS, SERVER_KEYS, type VoteResult, type VoteState } from '../../shared/facilitation/index.ts'
import { BOARD_PAGE_ID, DocLayout, isSide, type MetaEditCount } from '../../shared/protocol.ts'
import { tlSchema, validateRecord } from '../validation.ts'
import type { ExportInput } from './input.ts'

export const BACKUP_FORMAT = 'arvo-board'
export const BACKUP_VERSION = 1
/** Largest import body accepted (bytes); larger ones are answered 413. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

export interface BoardBackup {
  format: typeof BACKUP_FORMAT
  version: typeof BACKUP_VERSION
  exportedAt: string
  boardId: string
  title: string | null
  /** tldraw's serialized schema the records were written with (null when the board had none). */
  schema: unknown
  records: unknown[]
  session: Record<string, unknown>
  /** Edit counts per person (the contribution balance counts them besides notes). */
  edits: MetaEditCount[]
}

/**
 * Session keys an import keeps (each through its validator): the workshop's outcome and setup.
 * `vote` is kept only when it is closed and `voteResult` is its result.
 */
export const IMPORT_KEPT_SESSION_KEYS = ['title', 'agenda', 'voteResult', 'boardLocked', 'templatesUnlocked', 'vote'] as const
/** Session keys an import drops: the moment of the old workshop (running timer, open vote, private round, follow-me, spotlight, live counts). */
export const IMPORT_DROPPED_SESSION_KEYS = ['timer', 'privateMode', 'followMe', 'spotlight', 'voteProgress', 'privateCounts'] as const

const compareIds = (a: unknown, b: unknown) => {
  const x = (a as { id: string }).id
  const y = (b as { id: string }).id
  return x < y ? -1 : x > y ? 1 : 0
}

/** The backup of the board in `input` (records sorted by id, so two exports of one state are equal). */
export function boardBackup(input: ExportInput): BoardBackup {
  const edits = new Map<string, MetaEditCount>()
  for (const p of input.summary.balance.people) {
    if (p.edits <= 0) continue
    const known = edits.get(p.authorId)
    if (known) known.edits += p.edits
    else edits.set(p.authorId, { authorId: p.authorId, authorName: p.authorName, side: p.side, edits: p.edits })
  }
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: input.generatedAt,
    boardId: input.boardId,
    title: input.session.title,
    schema: input.schema,
    records: [...input.records].sort(compareIds),
    session: input.sessionRaw,
    edits: [...edits.values()],
  }
}

/** The backup as JSON text (what `export.json` sends). */
export function backupJson(input: ExportInput): string {
  return `${JSON.stringify(boardBackup(input), null, 1)}\n`
}

/** A refused import file; the message says what is wrong (shown to the user as is). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportError'
  }
}

/** What an accepted backup holds, ready to become a new board. */
export interface ImportedBoard {
  /** Every record (migrated to the server's schema when the file's was older), plus any added. */
  records: { id: string; typeName: string }[]
  /** Ids of records the import added: the document record and the board page when the file had none. */
  added: string[]
  /** The kept session keys. */
  session: Record<string, unknown>
  edits: MetaEditCount[]
  title: string | null
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  return typeof v === 'object' ? 'an object' : String(v)
}

/** The current version of every migration sequence of the server's schema. */
const currentVersions: Record<string, number> = (tlSchema.serialize() as { sequences: Record<string, number> }).sequences

/**
 * The file's schema, checked: null (none given: the records are taken as the server's
 * version), or a tldraw serialized schema no newer than the server's.
 */
function checkSchema(schema: unknown): Parameters<typeof tlSchema.getMigrationsSince>[0] | null {
  if (schema === undefined || schema === null) return null
  if (!isObj(schema)) throw new ImportError(`schema must be tldraw's serialized schema (an object), not ${describe(schema)}`)
  if (schema.schemaVersion === 2) {
    if (!isObj(schema.sequences) || !Object.values(schema.sequences).every((n) => Number.isInteger(n) && (n as number) >= 0)) {
      throw new ImportError('schema.sequences must map migration sequences to version numbers')
    }
    for (const [seq, n] of Object.entries(schema.sequences)) {
      const ours = currentVersions[seq]
      if (ours !== undefined && (n as number) > ours) {
        throw new ImportError(`the records were written by a newer tldraw (schema ${seq} version ${n as number}; this server knows up to ${ours}): update Arvo first`)
      }
    }
  } else if (schema.schemaVersion === 1) {
    if (!Number.isInteger(schema.storeVersion) || !isObj(schema.recordVersions)) {
      throw new ImportError('schema (version 1) must have storeVersion and recordVersions')
    }
  } else {
    throw new ImportError(`schema.schemaVersion ${describe(schema.schemaVersion)} is not a tldraw schema version (1 or 2)`)
  }
  return schema as unknown as Parameters<typeof tlSchema.getMigrationsSince>[0]
}

/** Brings `store` from `schema` to the server's schema (tldraw's own migrations). */
function migrate(store: Record<string, unknown>, schema: ReturnType<typeof checkSchema>): Record<string, unknown> {
  if (!schema) return store
  const migrations = tlSchema.getMigrationsSince(schema)
  if (!migrations.ok) throw new ImportError(`the records' schema cannot be migrated to this server's: ${migrations.error}`)
  if (migrations.value.length === 0) return store
  let result
  try {
    result = tlSchema.migrateStoreSnapshot({ schema, store } as Parameters<typeof tlSchema.migrateStoreSnapshot>[0])
  } catch (e) {
    throw new ImportError(`migrating the records to this server's schema failed: ${(e as Error).message}`)
  }
  if (result.type === 'error') throw new ImportError(`migrating the records to this server's schema failed (${result.reason})`)
  return result.value as Record<string, unknown>
}

/** Most ranked notes a vote result may hold (a board never has this many notes). */
export const MAX_RANKED = 10_000

/**
 * A vote result as the server's tally makes it (VOTE-4), checked deeply: the session validator
 * `isVoteResult` only checks the outline (the server is its only writer), but an imported one
 * comes from a file, and the summary, every export and the board's panel read its entries.
 * Returns what is wrong, or null.
 */
export function voteResultProblem(v: Record<string, unknown>): string | null {
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0
  const tally = (e: unknown): e is Record<string, unknown> =>
    isObj(e) &&
    typeof e.noteId === 'string' &&
    e.noteId.length > 0 &&
    e.noteId.length <= 200 &&
    count(e.provider) &&
    count(e.customer) &&
    e.total === (e.provider as number) + (e.customer as number)
  if (!count(v.dots)) return 'dots must be a whole number'
  const voters = v.voters as Record<string, unknown>
  if (!isObj(voters) || !count(voters.provider) || !count(voters.customer)) return 'voters must be { provider, customer } whole numbers'
  const ranked = v.ranked as unknown[]
  if (ranked.length > MAX_RANKED) return `ranked holds ${ranked.length} notes (at most ${MAX_RANKED})`
  const seen = new Set<string>()
  for (const [i, e] of ranked.entries()) {
    if (!tally(e)) return `ranked[${i}] must be { noteId, provider, customer, total = provider + customer }`
    if (seen.has(e.noteId as string)) return `ranked[${i}]: note ${e.noteId as string} is ranked twice`
    seen.add(e.noteId as string)
  }
  const disagreements = v.disagreements as unknown[]
  if (disagreements.length > 5) return 'disagreements holds more than 5 notes'
  for (const [i, e] of disagreements.entries()) {
    if (!tally(e) || typeof e.gap !== 'number' || !(e.gap >= 0 && e.gap <= 1)) return `disagreements[${i}] must be a ranked entry with a gap between 0 and 1`
  }
  return null
}

function checkSession(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {}
  if (!isObj(raw)) throw new ImportError(`session must be an object, not ${describe(raw)}`)
  const validators: Record<string, (v: unknown) => boolean> = { ...FACILITATOR_KEYS, ...SERVER_KEYS }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if ((IMPORT_DROPPED_SESSION_KEYS as readonly string[]).includes(key)) continue
    if (!Object.hasOwn(validators, key)) throw new ImportError(`session.${key} is not a session key of Arvo`)
    checkDepth(`session.${key}`, value)
    if (!validators[key]!(value)) throw new ImportError(`session.${key} is not a valid value for that key (${describe(value)})`)
    if (key === 'voteResult') {
      const problem = voteResultProblem(value as Record<string, unknown>)
      if (problem) throw new ImportError(`session.voteResult is not a vote result: ${problem}`)
    }
    out[key] = value
  }
  const vote = out.vote as VoteState | undefined
  if (vote && (vote.status !== 'closed' || (out.voteResult as VoteResult | undefined)?.voteId !== vote.id)) delete out.vote
  return out
}

function checkEdits(raw: unknown): MetaEditCount[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new ImportError(`edits must be a list, not ${describe(raw)}`)
  const seen = new Set<string>()
  return raw.map((e, i) => {
    if (
      !isObj(e) ||
      typeof e.authorId !== 'string' ||
      e.authorId.length === 0 ||
      e.authorId.length > 128 ||
      typeof e.authorName !== 'string' ||
      e.authorName.length > 200 ||
      !isSide(e.side) ||
      !Number.isSafeInteger(e.edits) ||
      (e.edits as number) < 0
    ) {
      throw new ImportError(`edits[${i}] must be { authorId, authorName, side: "provider" | "customer", edits: a whole number }`)
    }
    if (seen.has(e.authorId)) throw new ImportError(`edits[${i}]: authorId ${JSON.stringify(e.authorId)} appears twice`)
    seen.add(e.authorId)
    return { authorId: e.authorId, authorName: e.authorName, side: e.side, edits: e.edits as number }
  })
}

/**
 * Deepest nesting of objects and lists a record or session value may have. tldraw's records
 * nest a few levels (rich text a handful more); Yjs encodes values recursively, so a value
 * nested thousands deep would overflow the stack when the board is stored.
 */
export const MAX_VALUE_DEPTH = 100

/** How deep `value` nests objects and lists, counted without recursion; stops past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (d + 1 > deepest) deepest = d + 1
    if (deepest > limit) return deepest
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1])
  }
  return deepest
}

function checkDepth(what: string, value: unknown): void {
  if (nestingDepth(value, MAX_VALUE_DEPTH) > MAX_VALUE_DEPTH) {
    throw new ImportError(`${what}: nested more than ${MAX_VALUE_DEPTH} levels deep (objects and lists)`)
  }
}

/** Offset of the first byte that cannot start or continue a UTF-8 sequence (lead/continuation check only), or -1. */
function firstBadUtf8Byte(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1
    if (n < 0) return i
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i
    i += n + 1
  }
  return -1
}

/** The body as text: UTF-8 (a byte-order mark allowed); refused when it is not, never patched with U+FFFD. */
function utf8Text(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    const at = firstBadUtf8Byte(body)
    throw new ImportError(`the file is not UTF-8 text (an invalid byte sequence${at >= 0 ? ` at byte ${at}` : ''}): export.json files are UTF-8`)
  }
}

/**
 * Parses and checks a backup file; throws ImportError saying what is wrong (the first problem
 * found). Nothing is created here.
 */
export function readBackup(body: string | Uint8Array): ImportedBoard {
  const text = typeof body === 'string' ? body : utf8Text(body)
  let file: unknown
  try {
    file = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (e) {
    throw new ImportError(`the file is not JSON (${(e as Error).message})`)
  }
  if (!isObj(file)) throw new ImportError(`the file is not an Arvo board backup: it holds ${describe(file)}, not an object`)
  if (file.format !== BACKUP_FORMAT) {
    throw new ImportError(`the file is not an Arvo board backup: format is ${describe(file.format)}, expected "${BACKUP_FORMAT}"`)
  }
  if (file.version !== BACKUP_VERSION) {
    throw new ImportError(`backup version ${describe(file.version)} is not supported: this server reads version ${BACKUP_VERSION}`)
  }
  if (!Array.isArray(file.records)) throw new ImportError(`records must be a list of records, not ${describe(file.records)}`)
  const schema = checkSchema(file.schema)
  // ids first: every record an object with a string id, each id once
  const store: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const position = new Map<string, number>()
  file.records.forEach((r, i) => {
    if (!isObj(r)) throw new ImportError(`record ${i}: must be an object, not ${describe(r)}`)
    if (typeof r.id !== 'string' || r.id.length === 0) throw new ImportError(`record ${i}: id must be a string, not ${describe(r.id)}`)
    const first = position.get(r.id)
    if (first !== undefined) throw new ImportError(`record ${i} (${r.id}): id ${r.id} appears twice (first as record ${first})`)
    checkDepth(`record ${i} (${r.id})`, r)
    position.set(r.id, i)
    store[r.id] = r
  })
  const migrated = migrate(store, schema)
  const where = (id: string) => (position.has(id) ? `record ${position.get(id)!} (${id})` : `record ${id}`)
  const records: { id: string; typeName: string }[] = []
  for (const [id, r] of Object.entries(migrated)) {
    const problem = validateRecord(id, r)
    if (problem) throw new ImportError(`${where(id)}: ${problem.startsWith(`${id}: `) ? problem.slice(id.length + 2) : problem}`)
    records.push(r as { id: string; typeName: string })
  }
  // references: a shape's parent and a binding's ends must be in the file
  const byId = new Map(records.map((r) => [r.id, r]))
  const addsPage = !records.some((r) => r.typeName === 'page')
  for (const r of records) {
    if (r.typeName === 'shape') {
      const parentId = (r as { parentId?: string }).parentId!
      const parent = byId.get(parentId)
      if (parent ? parent.typeName !== 'page' && parent.typeName !== 'shape' : !(addsPage && parentId === BOARD_PAGE_ID)) {
        throw new ImportError(`${where(r.id)}: its parent ${parentId} is not a page or shape of the file`)
      }
    } else if (r.typeName === 'binding') {
      for (const end of ['fromId', 'toId'] as const) {
        const other = (r as Record<string, unknown>)[end] as string
        if (byId.get(other)?.typeName !== 'shape') throw new ImportError(`${where(r.id)}: ${end} ${other} is not a shape of the file`)
      }
    }
  }
  // the board needs tldraw's document record and a page: added when the file has none
  const added: { id: string; typeName: string }[] = []
  if (!records.some((r) => r.typeName === 'document')) added.push(DocumentRecordType.create({ id: TLDOCUMENT_ID }))
  if (addsPage) {
    added.push(PageRecordType.create({ id: BOARD_PAGE_ID as TLPageId, name: 'Page 1', index: 'a1' as TLPage['index'] }))
  }
  const session = checkSession(file.session)
  return {
    records: [...added, ...records],
    added: added.map((r) => r.id),
    session,
    edits: checkEdits(file.edits),
    title: typeof session.title === 'string' ? session.title : null,
  }
}

/** The first Yjs update of a board holding `board` (records, the server's schema, session, edit counts). */
export function importUpdate(board: ImportedBoard): Uint8Array {
  const doc = new Y.Doc()
  try {
    doc.transact(() => {
      const records = doc.getMap<unknown>(DocLayout.records)
      for (const r of board.records) records.set(r.id, r)
      const meta = doc.getMap<unknown>(DocLayout.meta)
      meta.set(DocLayout.schemaKey, tlSchema.serialize())
      for (const e of board.edits) meta.set(`${DocLayout.editsPrefix}${e.authorId}`, { ...e })
      const session = doc.getMap<unknown>(DocLayout.session)
      for (const [k, v] of Object.entries(board.session)) session.set(k, v)
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
