/**
 * Live insights over a board's records (rules INS-*): contribution balance between the two
 * sides (seed 000: too much of the work on either side hurts), coverage of the template zones,
 * and the perception gap between the sides' staircase ratings (seed 004). Also the board
 * summary served as `GET /api/boards/<id>/summary.json`. Pure functions; no clock, no I/O.
 */
import { isSide, SIDES, type Side } from '../protocol.ts'
import { t } from '../i18n/index.ts'
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages.ts'
import { asShape } from './geometry.ts'
import { readRatings } from './ratings.ts'
import { richTextToPlain } from './richText.ts'
import { templateInstances, templateTitle, templateZones, zoneLabel, zonePhrase } from './templates/index.ts'
import { extractZones, assignNotes } from './zones.ts'
import { readArvoMeta, type ArvoNoteMeta, type RatingValue, type TemplateKind } from './types.ts'

// ---------------------------------------------------------------------------------------------
// Contribution balance

/** Edits made by one person, counted by the caller (e.g. the sync layer). */
export interface EditCount {
  authorId: string
  authorName?: string
  side: Side
  edits: number
}

/** One person's contributions. */
export interface PersonContribution {
  authorId: string
  authorName: string
  side: Side
  notes: number
  edits: number
  /** notes + edits */
  contributions: number
}

/** One side's contributions. */
export interface SideContribution {
  notes: number
  edits: number
  contributions: number
  /** Share of all contributions, 0–1 (0 when there are none). */
  share: number
  /** How many different people contributed on this side. */
  people: number
}

/** INS-2: the balance warning. */
export interface BalanceWarning {
  /** The side carrying too much. */
  side: Side
  /** Its share, rounded to a whole percent. */
  pct: number
}

/** Contribution balance of a board. */
export interface Balance {
  provider: SideContribution
  customer: SideContribution
  /** All contributions of both sides. */
  total: number
  /** Per person, most contributions first (ties by name, then id). */
  people: PersonContribution[]
  /** Set when one side carries more than the threshold, given enough contributions (INS-2). */
  warning: BalanceWarning | null
  /** Notes without valid Arvo note meta: counted nowhere else. */
  unattributedNotes: number
}

/** Share above which one side is flagged as carrying the workshop (INS-2). */
export const BALANCE_THRESHOLD = 0.7
/** Contributions needed before the balance warning may show (INS-2). */
export const MIN_CONTRIBUTIONS_FOR_WARNING = 5

/** Tuning of {@link contributionBalance}. */
export interface BalanceOptions {
  threshold?: number
  minContributions?: number
}

/** The note meta of every note shape, or null for notes without valid meta. */
function notesWithMeta(records: readonly unknown[]): { id: string; meta: ArvoNoteMeta | null; record: unknown }[] {
  const out: { id: string; meta: ArvoNoteMeta | null; record: unknown }[] = []
  for (const r of records) {
    const shape = asShape(r)
    if (!shape || shape.type !== 'note') continue
    const meta = readArvoMeta(shape)
    out.push({ id: shape.id, meta: meta?.kind === 'note' ? meta : null, record: r })
  }
  return out
}

/**
 * Contributions per side and per person (INS-1): every note counts once for its author's side
 * (from the note's meta), every edit in `edits` once for its side. The warning (INS-2) is set
 * when `total >= minContributions` and one side's share is strictly above `threshold` — in
 * either direction: a provider monologue and a customer left doing the work are both flagged.
 *
 * @param records - All records of the board.
 * @param edits - Optional edit counts per person; malformed entries are ignored.
 * @param options - Threshold (default 0.7) and minimum count (default 5).
 */
export function contributionBalance(
  records: readonly unknown[],
  edits: readonly EditCount[] = [],
  options: BalanceOptions = {},
): Balance {
  const threshold = options.threshold ?? BALANCE_THRESHOLD
  const minContributions = options.minContributions ?? MIN_CONTRIBUTIONS_FOR_WARNING
  const people = new Map<string, PersonContribution>()
  const person = (authorId: string, side: Side, name: string | undefined) => {
    const key = `${side}\u0000${authorId}`
    let p = people.get(key)
    if (!p) {
      p = { authorId, authorName: name ?? '', side, notes: 0, edits: 0, contributions: 0 }
      people.set(key, p)
    } else if (!p.authorName && name) {
      p.authorName = name
    }
    return p
  }
  let unattributedNotes = 0
  for (const n of notesWithMeta(records)) {
    if (!n.meta) {
      unattributedNotes++
      continue
    }
    const p = person(n.meta.authorId, n.meta.side, n.meta.authorName)
    p.notes++
    p.contributions++
  }
  for (const e of edits) {
    if (
      !e ||
      typeof e.authorId !== 'string' ||
      !e.authorId ||
      !isSide(e.side) ||
      !Number.isInteger(e.edits) ||
      e.edits <= 0
    ) {
      continue
    }
    const p = person(e.authorId, e.side, typeof e.authorName === 'string' ? e.authorName : undefined)
    p.edits += e.edits
    p.contributions += e.edits
  }
  const sides = {} as Record<Side, SideContribution>
  for (const side of SIDES) {
    const mine = [...people.values()].filter((p) => p.side === side)
    const notes = mine.reduce((s, p) => s + p.notes, 0)
    const editsCount = mine.reduce((s, p) => s + p.edits, 0)
    sides[side] = { notes, edits: editsCount, contributions: notes + editsCount, share: 0, people: mine.length }
  }
  const total = sides.provider.contributions + sides.customer.contributions
  for (const side of SIDES) sides[side].share = total > 0 ? sides[side].contributions / total : 0
  let warning: BalanceWarning | null = null
  if (total >= minContributions) {
    for (const side of SIDES) {
      if (sides[side].share > threshold) warning = { side, pct: Math.round(sides[side].share * 100) }
    }
  }
  const list = [...people.values()].sort(
    (a, b) =>
      b.contributions - a.contributions ||
      a.authorName.localeCompare(b.authorName) ||
      (a.authorId < b.authorId ? -1 : a.authorId > b.authorId ? 1 : 0),
  )
  return {
    provider: sides.provider,
    customer: sides.customer,
    total,
    people: list,
    warning,
    unattributedNotes,
  }
}

/** The balance warning as a sentence in `lang`, or null when there is none. */
export function balanceWarningMessage(balance: Balance, lang: Language): string | null {
  if (!balance.warning) return null
  const key = balance.warning.side === 'provider' ? 'balanceWarningProvider' : 'balanceWarningCustomer'
  return t(lang, key, { pct: balance.warning.pct })
}

// ---------------------------------------------------------------------------------------------
// Coverage

/** Notes in one zone, by side. */
export interface ZoneCoverage {
  template: TemplateKind
  instance: string
  zone: string
  /** Localized zone label (the zone id when the template does not know it). */
  label: string
  provider: number
  customer: number
  /** Notes without valid Arvo note meta. */
  unattributed: number
  total: number
}

/** Coverage of a board's zones. */
export interface Coverage {
  /** Every zone on the board: template instances in board order, zones in template order. */
  zones: ZoneCoverage[]
  /** The zones with no note at all (INS-3). */
  emptyZones: ZoneCoverage[]
  /** Notes whose centre is outside every zone. */
  outsideZones: number
}

/** Sort key of a zone: instance order on the board, then the template's zone order. */
function zoneOrder(records: readonly unknown[]) {
  const instances = templateInstances(records).map((i) => i.instance)
  return (template: TemplateKind, instance: string, zone: string): [number, number, string] => {
    const i = instances.indexOf(instance)
    const z = templateZones(template).findIndex((d) => d.id === zone)
    return [i < 0 ? Infinity : i, z < 0 ? Infinity : z, zone]
  }
}

function compareKeys(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0) || 0
}

/**
 * Notes per zone and side (INS-3), and the zones nobody has filled yet. Zones come from the
 * zone shapes on the board, so a deleted zone is not reported; a zone repeated in one instance
 * is reported once.
 *
 * @param records - All records of the board.
 * @param language - Language of the zone labels.
 */
export function coverage(records: readonly unknown[], language: Language = DEFAULT_LANGUAGE): Coverage {
  const byKey = new Map<string, ZoneCoverage>()
  const key = (instance: string, zone: string) => `${instance}\u0000${zone}`
  for (const z of extractZones(records)) {
    if (byKey.has(key(z.instance, z.zone))) continue
    byKey.set(key(z.instance, z.zone), {
      template: z.template,
      instance: z.instance,
      zone: z.zone,
      label: zoneLabel(z.template, z.zone, language) ?? z.zone,
      provider: 0,
      customer: 0,
      unattributed: 0,
      total: 0,
    })
  }
  const metaById = new Map(notesWithMeta(records).map((n) => [n.id, n.meta]))
  let outsideZones = 0
  for (const a of assignNotes(records)) {
    const c = a.zone ? byKey.get(key(a.zone.instance, a.zone.zone)) : undefined
    if (!c) {
      outsideZones++
      continue
    }
    const meta = metaById.get(a.noteId)
    if (meta) c[meta.side]++
    else c.unattributed++
    c.total++
  }
  const order = zoneOrder(records)
  const zones = [...byKey.values()].sort((a, b) =>
    compareKeys(order(a.template, a.instance, a.zone), order(b.template, b.instance, b.zone)),
  )
  return { zones, emptyZones: zones.filter((z) => z.total === 0), outsideZones }
}

/** "Nobody has named any inspirational value yet", in `lang`. */
export function emptyZoneMessage(zone: Pick<ZoneCoverage, 'template' | 'zone'>, lang: Language): string {
  return t(lang, 'emptyZone', { zone: zonePhrase(zone.template, zone.zone, lang) ?? zone.zone })
}

// ---------------------------------------------------------------------------------------------
// Perception gap

/** The two sides' ratings of one staircase step. */
export interface StepGap {
  template: 'staircase'
  instance: string
  step: string
  label: string
  /** 1–5, or null when this side has not rated the step. */
  provider: number | null
  customer: number | null
  /** |provider − customer| when both rated, else null. */
  gap: number | null
  /** Who rated higher, when both rated. */
  higher: Side | 'equal' | null
  /** `rated`: both sides; `partial`: one side; `unrated`: none (INS-4). */
  status: 'rated' | 'partial' | 'unrated'
}

const STATUS_ORDER = { rated: 0, partial: 1, unrated: 2 } as const

/**
 * Provider vs customer rating per staircase step (INS-4), largest gap first; then steps only
 * one side rated, then unrated steps, each group in board order. A step is listed when its
 * zone or one of its rating shapes is on the board. If one side has several rating shapes for a
 * step (should not happen), the one with the greatest shape id counts.
 *
 * @param records - All records of the board.
 * @param language - Language of the step labels.
 */
export function perceptionGap(records: readonly unknown[], language: Language = DEFAULT_LANGUAGE): StepGap[] {
  const steps = new Map<string, { instance: string; step: string; values: Partial<Record<Side, { id: string; v: RatingValue }>> }>()
  const key = (instance: string, step: string) => `${instance}\u0000${step}`
  const ensure = (instance: string, step: string) => {
    let s = steps.get(key(instance, step))
    if (!s) {
      s = { instance, step, values: {} }
      steps.set(key(instance, step), s)
    }
    return s
  }
  for (const z of extractZones(records)) if (z.template === 'staircase') ensure(z.instance, z.zone)
  for (const r of readRatings(records)) {
    const s = ensure(r.instance, r.step)
    const prev = s.values[r.side]
    if (!prev || r.shapeId > prev.id) s.values[r.side] = { id: r.shapeId, v: r.value }
  }
  const order = zoneOrder(records)
  const rows: StepGap[] = [...steps.values()].map((s) => {
    const p = s.values.provider?.v || null
    const c = s.values.customer?.v || null
    const both = p !== null && c !== null
    return {
      template: 'staircase',
      instance: s.instance,
      step: s.step,
      label: zoneLabel('staircase', s.step, language) ?? s.step,
      provider: p,
      customer: c,
      gap: both ? Math.abs(p - c) : null,
      higher: both ? (p > c ? 'provider' : c > p ? 'customer' : 'equal') : null,
      status: both ? 'rated' : p !== null || c !== null ? 'partial' : 'unrated',
    }
  })
  return rows.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (b.gap ?? 0) - (a.gap ?? 0) ||
      compareKeys(order('staircase', a.instance, a.step), order('staircase', b.instance, b.step)),
  )
}

// ---------------------------------------------------------------------------------------------
// Board summary

/** A note as the summary reports it. */
export interface SummaryNote {
  id: string
  template: TemplateKind | null
  instance: string | null
  zone: string | null
  zoneLabel: string | null
  side: Side | null
  authorId: string | null
  authorName: string | null
  /** Plain text of the note (rich text flattened, lines joined by `\n`). */
  text: string
  owner: string | null
  ownerSide: Side | null
  due: string | null
}

/** `GET /api/boards/<id>/summary.json` (SUM-1). */
export interface BoardSummary {
  /** Summary format version. */
  version: 1
  boardId: string | null
  /** ISO timestamp supplied by the caller (the domain layer has no clock), or null. */
  generatedAt: string | null
  language: Language
  templates: { template: TemplateKind; instance: string; title: string }[]
  counts: { notes: number; zones: number; emptyZones: number; ratings: number }
  balance: Balance
  coverage: Coverage
  perceptionGap: StepGap[]
  notes: SummaryNote[]
}

/** Options of {@link boardSummary}. */
export interface SummaryOptions {
  edits?: readonly EditCount[]
  language?: Language
  boardId?: string
  generatedAt?: string
  balance?: BalanceOptions
}

/**
 * The board summary (SUM-1): balance, coverage and perception gap plus every note with its
 * template, zone, side, author and plain text. Notes are ordered by template instance, zone
 * order, then top-to-bottom and left-to-right; notes outside every zone come last. The result
 * is plain JSON (no `undefined`, no class instances).
 *
 * @param records - All records of the board.
 * @param options - Edit counts, label language, board id, timestamp.
 */
export function boardSummary(records: readonly unknown[], options: SummaryOptions = {}): BoardSummary {
  const language = options.language ?? DEFAULT_LANGUAGE
  const balance = contributionBalance(records, options.edits, options.balance)
  const cov = coverage(records, language)
  const gap = perceptionGap(records, language)
  const metaById = new Map(notesWithMeta(records).map((n) => [n.id, n]))
  const order = zoneOrder(records)
  const assigned = assignNotes(records)
    .map((a) => ({ a, key: a.zone ? order(a.zone.template, a.zone.instance, a.zone.zone) : ([Infinity, Infinity, ''] as [number, number, string]) }))
    .sort(
      (x, y) =>
        compareKeys(x.key, y.key) ||
        Math.round(x.a.center.y) - Math.round(y.a.center.y) ||
        x.a.center.x - y.a.center.x ||
        (x.a.noteId < y.a.noteId ? -1 : 1),
    )
  const notes: SummaryNote[] = assigned.map(({ a }) => {
    const n = metaById.get(a.noteId)
    const meta = n?.meta ?? null
    const props = (n?.record as { props?: { richText?: unknown } } | undefined)?.props
    return {
      id: a.noteId,
      template: a.zone?.template ?? null,
      instance: a.zone?.instance ?? null,
      zone: a.zone?.zone ?? null,
      zoneLabel: a.zone ? (zoneLabel(a.zone.template, a.zone.zone, language) ?? a.zone.zone) : null,
      side: meta?.side ?? null,
      authorId: meta?.authorId ?? null,
      authorName: meta?.authorName ?? null,
      text: richTextToPlain(props?.richText).trim(),
      owner: meta?.owner ?? null,
      ownerSide: meta?.ownerSide ?? null,
      due: meta?.due ?? null,
    }
  })
  return {
    version: 1,
    boardId: options.boardId ?? null,
    generatedAt: options.generatedAt ?? null,
    language,
    templates: templateInstances(records).map((i) => ({ ...i, title: templateTitle(i.template, language) })),
    counts: {
      notes: notes.length,
      zones: cov.zones.length,
      emptyZones: cov.emptyZones.length,
      ratings: readRatings(records).filter((r) => r.value > 0).length,
    },
    balance,
    coverage: cov,
    perceptionGap: gap,
    notes,
  }
}
