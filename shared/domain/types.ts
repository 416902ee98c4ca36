/**
 * Arvo's record meta conventions — a public contract (see `SPEC.md`, rules META-*).
 *
 * Every tldraw record Arvo creates or recognises carries `meta.arvo`, a plain JSON object whose
 * `kind` says what the shape is: a template `zone` background, a template `label`, a sticky
 * `note`, or a staircase `rating`. Records written by other clients are untrusted: read them
 * with {@link readArvoMeta}, which validates, never by casting.
 */
import type { TLShape } from '@tldraw/tlschema'
import { isLanguage, type Language } from '../i18n/languages.ts'
import { isSide, type Side } from '../protocol.ts'

/** The four workshop templates. */
export type TemplateKind = 'pyramid' | 'roleMap' | 'staircase' | 'actionPlan'

/** Every template kind, in the order the template picker shows them. */
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['pyramid', 'roleMap', 'staircase', 'actionPlan']

/** Returns true when `value` is a template kind. */
export function isTemplateKind(value: unknown): value is TemplateKind {
  return typeof value === 'string' && (TEMPLATE_KINDS as readonly string[]).includes(value)
}

/** Where a note sits: one zone of one template instance. */
export interface ZoneRef {
  template: TemplateKind
  /** Template instance id, unique on the board (e.g. `pyramid-1`). */
  instance: string
  /** Stable zone id within the template (e.g. `inspirational`, `design.shared`). */
  zone: string
}

/** META-2: a locked template background shape that notes are sorted into. */
export interface ArvoZoneMeta extends ZoneRef {
  kind: 'zone'
}

/** What a label is for (optional detail; renderers and tests use it, nothing depends on it). */
export type LabelRole =
  | 'title'
  | 'subtitle'
  | 'zoneTitle'
  | 'groupHeader'
  | 'element'
  | 'prompt'
  | 'columnHeader'
  | 'rowHeader'

/** META-3: a locked text shape of a template: title, zone title, prompt. */
export interface ArvoLabelMeta {
  kind: 'label'
  template: TemplateKind
  instance: string
  /** The zone the label belongs to, if any. */
  zone?: string
  role?: LabelRole
  /** Pyramid element prompts: the element id (e.g. `timeSavings`). */
  element?: string
  /** Pyramid group headers and element prompts: the sub-group id (e.g. `productivity`). */
  group?: string
}

/** META-4: a sticky note (tldraw `note` shape), written by the client on create. */
export interface ArvoNoteMeta {
  kind: 'note'
  /** Stable per-browser user id (the awareness `user.id`). */
  authorId: string
  authorName: string
  side: Side
  /** Action plan only: who owns the action (free text, a person's name). */
  owner?: string
  /** Action plan only: which side owns the action. */
  ownerSide?: Side
  /** Action plan only: due date, ISO 8601 calendar date `YYYY-MM-DD`. */
  due?: string
}

/** A staircase rating: 0 = not rated yet, 1–5 = the side's rating. */
export type RatingValue = 0 | 1 | 2 | 3 | 4 | 5

/** META-5: one side's rating of one staircase step (one shape per step and side). */
export interface ArvoRatingMeta {
  kind: 'rating'
  template: 'staircase'
  instance: string
  /** The staircase step id (`information`, …, `delivery`). */
  zone: string
  side: Side
  value: RatingValue
  /** The template's language, so that a re-rendered rating label keeps it. */
  language?: Language
}

/** Any Arvo meta. */
export type ArvoMeta = ArvoZoneMeta | ArvoLabelMeta | ArvoNoteMeta | ArvoRatingMeta

/** The key under `record.meta` that holds Arvo's meta. */
export const META_KEY = 'arvo'

/** Template instance ids: 1–40 characters of `A–Z a–z 0–9 _ -` (they become part of shape ids). */
export const INSTANCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/

/** Returns true when `id` can be used as a template instance id. */
export function isValidInstanceId(id: unknown): id is string {
  return typeof id === 'string' && INSTANCE_ID_PATTERN.test(id)
}

/** ISO calendar date `YYYY-MM-DD` that exists (2024-02-30 does not). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** Maximum length of names and owners kept in meta. */
export const MAX_NAME_LENGTH = 80

const LABEL_ROLES: ReadonlySet<string> = new Set<LabelRole>([
  'title',
  'subtitle',
  'zoneTitle',
  'groupHeader',
  'element',
  'prompt',
  'columnHeader',
  'rowHeader',
])

function isNonEmptyString(v: unknown, max = 200): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max
}

/** Returns true when `v` is a rating value: an integer 0 (not rated) to 5. */
export function isRatingValue(v: unknown): v is RatingValue {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Reads and validates `record.meta.arvo` (META-1). Unknown extra fields are ignored; a field
 * with the wrong type makes the whole meta invalid (`null`), except the optional action-plan
 * fields of a note, which are dropped when malformed so that the note still counts.
 *
 * @param record - Any record or record-like object (may be untrusted JSON).
 * @returns The typed meta, or `null` when there is none or it does not follow the contract.
 */
export function readArvoMeta(record: unknown): ArvoMeta | null {
  if (!isPlainObject(record) || !isPlainObject(record.meta)) return null
  const m = record.meta[META_KEY]
  if (!isPlainObject(m)) return null
  switch (m.kind) {
    case 'zone':
      if (isTemplateKind(m.template) && isValidInstanceId(m.instance) && isNonEmptyString(m.zone)) {
        return { kind: 'zone', template: m.template, instance: m.instance, zone: m.zone }
      }
      return null
    case 'label': {
      if (!isTemplateKind(m.template) || !isValidInstanceId(m.instance)) return null
      const out: ArvoLabelMeta = { kind: 'label', template: m.template, instance: m.instance }
      if (m.zone !== undefined && m.zone !== null) {
        if (!isNonEmptyString(m.zone)) return null
        out.zone = m.zone
      }
      if (typeof m.role === 'string' && LABEL_ROLES.has(m.role)) out.role = m.role as LabelRole
      if (isNonEmptyString(m.element)) out.element = m.element
      if (isNonEmptyString(m.group)) out.group = m.group
      return out
    }
    case 'note': {
      if (
        !isNonEmptyString(m.authorId) ||
        typeof m.authorName !== 'string' ||
        m.authorName.length > MAX_NAME_LENGTH ||
        !isSide(m.side)
      ) {
        return null
      }
      const out: ArvoNoteMeta = {
        kind: 'note',
        authorId: m.authorId,
        authorName: m.authorName,
        side: m.side,
      }
      if (typeof m.owner === 'string' && m.owner.length <= MAX_NAME_LENGTH && m.owner.trim()) {
        out.owner = m.owner
      }
      if (isSide(m.ownerSide)) out.ownerSide = m.ownerSide
      if (isIsoDate(m.due)) out.due = m.due
      return out
    }
    case 'rating':
      if (
        m.template === 'staircase' &&
        isValidInstanceId(m.instance) &&
        isNonEmptyString(m.zone) &&
        isSide(m.side) &&
        isRatingValue(m.value)
      ) {
        const out: ArvoRatingMeta = {
          kind: 'rating',
          template: 'staircase',
          instance: m.instance,
          zone: m.zone,
          side: m.side,
          value: m.value,
        }
        if (isLanguage(m.language)) out.language = m.language
        return out
      }
      return null
    default:
      return null
  }
}

/** What the client knows about the person creating a note. */
export interface NoteAuthor {
  authorId: string
  authorName: string
  side: Side
}

/** Optional action-plan fields of a note. */
export interface ActionFields {
  owner?: string
  ownerSide?: Side
  due?: string
}

/**
 * Builds the `meta` object for a new sticky note (META-4). The client merges it into every
 * note it creates; absent optional fields are omitted (JSON has no `undefined`).
 *
 * @param author - Who writes the note.
 * @param action - Optional action-plan fields (`due` must be `YYYY-MM-DD`).
 * @returns `{ arvo: {...} }`, ready to spread into `shape.meta`.
 * @throws Error when a field breaks the contract (bad side, empty id, bad date).
 */
export function noteMeta(author: NoteAuthor, action: ActionFields = {}): TLShape['meta'] {
  const arvo: ArvoNoteMeta = {
    kind: 'note',
    authorId: author.authorId,
    authorName: author.authorName.slice(0, MAX_NAME_LENGTH),
    side: author.side,
  }
  if (action.owner !== undefined && action.owner.trim()) {
    arvo.owner = action.owner.slice(0, MAX_NAME_LENGTH)
  }
  if (action.ownerSide !== undefined) arvo.ownerSide = action.ownerSide
  if (action.due !== undefined) arvo.due = action.due
  const check = readArvoMeta({ meta: { [META_KEY]: arvo } })
  if (
    !check ||
    check.kind !== 'note' ||
    (action.due !== undefined && check.due !== action.due) ||
    (action.ownerSide !== undefined && check.ownerSide !== action.ownerSide)
  ) {
    throw new Error('noteMeta: invalid note author or action fields')
  }
  return { [META_KEY]: { ...arvo } }
}

/**
 * Returns `shape.meta` with the note's action-plan fields replaced (META-6). Pass `null` to
 * clear a field, leave it out to keep it. Other meta keys are kept.
 *
 * @param meta - The note's current `meta` (must hold valid note meta).
 * @param changes - Fields to set (`string`/`Side`) or clear (`null`).
 * @throws Error when the note has no valid Arvo note meta or a value is invalid.
 */
export function withActionFields(
  meta: TLShape['meta'],
  changes: { owner?: string | null; ownerSide?: Side | null; due?: string | null },
): TLShape['meta'] {
  const current = readArvoMeta({ meta })
  if (!current || current.kind !== 'note') throw new Error('withActionFields: not an Arvo note')
  const { owner, ownerSide, due, ...author } = current
  const next: ActionFields = { owner, ownerSide, due }
  for (const key of ['owner', 'ownerSide', 'due'] as const) {
    const value = changes[key]
    if (value === null) delete next[key]
    else if (value !== undefined) (next as Record<string, unknown>)[key] = value
  }
  const rebuilt = noteMeta(author, next)
  return { ...meta, ...rebuilt }
}

/** Suggested tldraw colours of each side's notes and rating shapes (cosmetic, not a rule). */
export const SIDE_COLORS: Readonly<Record<Side, 'light-blue' | 'yellow'>> = {
  provider: 'light-blue',
  customer: 'yellow',
}
