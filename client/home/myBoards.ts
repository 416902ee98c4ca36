/**
 * "My boards" (HOME-1..3): the boards this browser facilitates, kept in `localStorage` — title,
 * templates on the board, last activity seen —, newest activity first. Only a list of this
 * browser: removing a board from it touches nothing on the server (the board's token stays
 * where `access/tokens.ts` keeps it). Pure helpers (Storage and clock passed in) so vitest tests
 * them in Node; whatever is in storage is read defensively: garbage is dropped, never thrown.
 */
import { TEMPLATE_KINDS, type TemplateKind } from '../../shared/domain/index.ts'
import { MAX_TITLE_LENGTH } from '../../shared/facilitation/index.ts'
import { t, type Language, type MessageKey } from '../../shared/i18n/index.ts'
import { isValidBoardId as isBoardId, type BoardLinks, type LinkRole } from '../../shared/protocol.ts'
import { sameOriginLink } from '../access/tokens.ts'

/** The `localStorage` key of the list. */
export const MY_BOARDS_KEY = 'arvo.myBoards'
/** How many boards the list keeps (the least recently active ones go first). */
export const MY_BOARDS_MAX = 50
/** The recorder writes last activity at most this often (ms) while a board keeps changing. */
export const ACTIVITY_THROTTLE_MS = 30_000

/** One board of the list. */
export interface MyBoard {
  id: string
  /** The session title when one was set, else null ("Untitled board"). */
  title: string | null
  /** Template kinds on the board, each once, in the picker's order. */
  templates: TemplateKind[]
  /** Last activity this browser saw (ms since the epoch): creation, a change on the board. */
  lastActivity: number
}

/** What a caller records: the id, and whichever fields it knows now. */
export interface BoardRecord {
  id: string
  title?: string | null
  templates?: readonly string[]
  /** Activity time; omitted: the entry's activity stays as it was (or `now` for a new one). */
  lastActivity?: number
}

type Reader = Pick<Storage, 'getItem'>
type Writer = Pick<Storage, 'getItem' | 'setItem'>

const isTemplateKind = (k: unknown): k is TemplateKind => typeof k === 'string' && (TEMPLATE_KINDS as readonly string[]).includes(k)

function cleanTitle(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const s = v.trim().slice(0, MAX_TITLE_LENGTH)
  return s === '' ? null : s
}

function cleanTemplates(v: unknown): TemplateKind[] {
  if (!Array.isArray(v)) return []
  const set = new Set(v.filter(isTemplateKind))
  return TEMPLATE_KINDS.filter((k) => set.has(k))
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0

/** One stored entry as a {@link MyBoard}, or null when it is not one. */
function cleanEntry(v: unknown): MyBoard | null {
  if (!v || typeof v !== 'object') return null
  const e = v as Record<string, unknown>
  if (!isBoardId(e.id) || !isTime(e.lastActivity)) return null
  return { id: e.id, title: cleanTitle(e.title), templates: cleanTemplates(e.templates), lastActivity: e.lastActivity }
}

/** Newest activity first; ties by id, so the order never depends on storage order. */
function sorted(boards: MyBoard[]): MyBoard[] {
  return [...boards].sort((a, b) => b.lastActivity - a.lastActivity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * The list, newest activity first, at most {@link MY_BOARDS_MAX} boards. Unreadable storage,
 * malformed JSON or entries give what is valid (or an empty list); one board appears once.
 */
export function readMyBoards(storage: Reader): MyBoard[] {
  let raw: string | null
  try {
    raw = storage.getItem(MY_BOARDS_KEY)
  } catch {
    return []
  }
  if (!raw) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return []
  }
  if (!Array.isArray(parsed)) return []
  const byId = new Map<string, MyBoard>()
  for (const item of parsed) {
    const entry = cleanEntry(item)
    if (!entry) continue
    const seen = byId.get(entry.id)
    if (!seen || entry.lastActivity > seen.lastActivity) byId.set(entry.id, entry)
  }
  return sorted([...byId.values()]).slice(0, MY_BOARDS_MAX)
}

function write(storage: Writer, boards: MyBoard[]): boolean {
  try {
    storage.setItem(MY_BOARDS_KEY, JSON.stringify(boards))
    return true
  } catch {
    return false // storage full or blocked: the list is not remembered, the board still works
  }
}

/**
 * Adds or updates one board: given fields replace the stored ones (a title of null clears it),
 * activity never goes back in time. Keeps the newest {@link MY_BOARDS_MAX}.
 *
 * @returns The list as stored now (newest first); unchanged when `record.id` is not a board id.
 */
export function recordBoard(storage: Writer, record: BoardRecord, now: number): MyBoard[] {
  const boards = readMyBoards(storage)
  if (!isBoardId(record.id)) return boards
  const old = boards.find((b) => b.id === record.id)
  const at = isTime(record.lastActivity) ? record.lastActivity : null
  const next: MyBoard = {
    id: record.id,
    title: record.title !== undefined ? cleanTitle(record.title) : (old?.title ?? null),
    templates: record.templates !== undefined ? cleanTemplates(record.templates) : (old?.templates ?? []),
    lastActivity: Math.max(old?.lastActivity ?? 0, at ?? (old ? 0 : now)),
  }
  if (old && old.title === next.title && old.lastActivity === next.lastActivity && old.templates.join() === next.templates.join()) {
    return boards
  }
  const list = sorted([next, ...boards.filter((b) => b.id !== record.id)]).slice(0, MY_BOARDS_MAX)
  write(storage, list)
  return list
}

/** Removes one board from this browser's list (nothing else). @returns The list as stored now. */
export function removeMyBoard(storage: Writer, id: string): MyBoard[] {
  const boards = readMyBoards(storage)
  const list = boards.filter((b) => b.id !== id)
  if (list.length !== boards.length) write(storage, list)
  return list
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
]

/**
 * When `then` was, relative to `now`, in `lang` ("5 minutes ago", "vor 5 Minuten" …):
 * Intl.RelativeTimeFormat with `numeric: 'auto'` ("now", "yesterday"); under a minute is "now".
 */
export function relativeTime(lang: Language, then: number, now: number): string {
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  const diff = then - now
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit)
  }
  return format.format(0, 'second')
}

/**
 * Whether recording `record` would change the stored entry's title or templates, or add the
 * board (the recorder writes those at once; activity alone is throttled).
 */
export function changesShape(boards: readonly MyBoard[], record: BoardRecord): boolean {
  const old = boards.find((b) => b.id === record.id)
  if (!old) return true
  if (record.title !== undefined && cleanTitle(record.title) !== old.title) return true
  if (record.templates !== undefined && cleanTemplates(record.templates).join() !== old.templates.join()) return true
  return false
}

const LINK_NAMES: readonly [LinkRole, MessageKey][] = [
  ['facilitator', 'linkFacilitator'],
  ['provider', 'linkProvider'],
  ['customer', 'linkCustomer'],
  ['viewer', 'linkViewer'],
]

/**
 * What "Copy links" puts on the clipboard: the board's title, then one line per invite link
 * ("Provider participant: https://…"), on this page's origin, named in `lang`.
 */
export function linksText(lang: Language, title: string, links: Partial<BoardLinks>, origin: string): string {
  const lines = LINK_NAMES.flatMap(([role, key]) => {
    const link = links[role]
    return typeof link === 'string' && link ? [`${t(lang, key)}: ${sameOriginLink(link, origin)}`] : []
  })
  return [title, ...lines].join('\n')
}
