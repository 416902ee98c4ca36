/**
 * The outline view's model (issue 12): every note of the board grouped by template → zone →
 * side, with author, action fields and the last vote's dots — the same data the report reads
 * (`boardSummary` + `withSession`), in the viewer's language. Pure and DOM-free (vitest).
 *
 * Private notes (silent ideas, PRIV-1..3) are in this browser's store only, so they can only
 * appear in their author's outline; `privateIds` marks them "only you see this".
 */
import { boardSummary, extractZones, type SummaryNote, type TemplateKind } from '../../shared/domain/index.ts'
import { withSession, type SessionState } from '../../shared/facilitation/index.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { TEMPLATE_NAME_KEYS } from '../board/templateNames.ts'

export interface OutlineNote {
  id: string
  text: string
  side: Side | null
  authorName: string | null
  /** The last closed vote's dots on this note by side (null: no vote result). */
  votes: { provider: number; customer: number } | null
  owner: string | null
  ownerSide: Side | null
  due: string | null
  /** One of this person's private notes (nobody else has it). */
  isPrivate: boolean
  /** What a screen reader says for the entry: side, author, dots, privacy, text. */
  label: string
}

export interface OutlineSide {
  side: Side | null
  notes: OutlineNote[]
}

export interface OutlineZone {
  /** `<instance>/<zone>`, unique on the board. */
  key: string
  zone: string
  label: string
  count: number
  sides: OutlineSide[]
}

export interface OutlineTemplate {
  /** Template instance id, or null for the notes outside every template. */
  instance: string | null
  template: TemplateKind | null
  title: string
  count: number
  zones: OutlineZone[]
}

export interface OutlineModel {
  templates: OutlineTemplate[]
  total: number
  /** Every note id in the order the outline lists them (keyboard navigation). */
  order: string[]
}

const SIDE_ORDER: readonly (Side | null)[] = ['provider', 'customer', null]

/** The words of one entry for assistive technology. */
export function noteLabel(lang: Language, n: Pick<OutlineNote, 'text' | 'side' | 'authorName' | 'votes' | 'isPrivate'>): string {
  const parts = [
    n.side === 'provider' ? t(lang, 'outlineProviderNote') : n.side === 'customer' ? t(lang, 'outlineCustomerNote') : null,
    n.authorName ? t(lang, 'writtenBy', { name: n.authorName }) : t(lang, 'outlineNoAuthor'),
    n.votes ? t(lang, 'outlineDots', { provider: String(n.votes.provider), customer: String(n.votes.customer) }) : null,
    n.isPrivate ? t(lang, 'outlinePrivate') : null,
  ].filter((p): p is string => p !== null)
  return `${parts.join(', ')}: ${n.text || t(lang, 'outlineEmptyNote')}`
}

function entry(lang: Language, n: SummaryNote & { votes: { provider: number; customer: number } | null }, privateIds: ReadonlySet<string>): OutlineNote {
  const base = {
    id: n.id,
    text: n.text,
    side: n.side,
    authorName: n.authorName,
    votes: n.votes,
    owner: n.owner,
    ownerSide: n.ownerSide,
    due: n.due,
    isPrivate: privateIds.has(n.id),
  }
  return { ...base, label: noteLabel(lang, base) }
}

function bySide(notes: OutlineNote[]): OutlineSide[] {
  return SIDE_ORDER.map((side) => ({ side, notes: notes.filter((n) => n.side === side) })).filter((g) => g.notes.length > 0)
}

/**
 * The outline of a board.
 *
 * @param records - The board's records as this browser has them (its private notes included).
 * @param session - The facilitation session (the last vote's result gives the dots).
 * @param lang - The viewer's language (template titles, zone labels, entry labels).
 * @param privateIds - Ids of this person's private notes.
 */
export function outlineModel(
  records: readonly unknown[],
  session: Pick<SessionState, 'title' | 'voteResult'>,
  lang: Language,
  privateIds: ReadonlySet<string> = new Set(),
): OutlineModel {
  const summary = withSession(boardSummary(records, { language: lang }), session)
  const notesByZone = new Map<string, OutlineNote[]>()
  const outside: OutlineNote[] = []
  for (const n of summary.notes) {
    const e = entry(lang, n, privateIds)
    if (n.instance === null || n.zone === null) {
      outside.push(e)
      continue
    }
    const key = `${n.instance}/${n.zone}`
    const list = notesByZone.get(key)
    if (list) list.push(e)
    else notesByZone.set(key, [e])
  }
  // Board order, left to right (as the template navigator lists them): store order differs between clients.
  const corner = new Map<string, { x: number; y: number }>()
  for (const z of extractZones(records)) {
    const c = corner.get(z.instance)
    corner.set(z.instance, c ? { x: Math.min(c.x, z.bounds.x), y: Math.min(c.y, z.bounds.y) } : { x: z.bounds.x, y: z.bounds.y })
  }
  const far = { x: Infinity, y: Infinity }
  const ordered = [...summary.templates].sort((a, b) => {
    const ca = corner.get(a.instance) ?? far
    const cb = corner.get(b.instance) ?? far
    return ca.x - cb.x || ca.y - cb.y || (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0)
  })
  const templates: OutlineTemplate[] = ordered.map((tpl) => {
    const zones: OutlineZone[] = summary.coverage.zones
      .filter((z) => z.instance === tpl.instance)
      .map((z) => {
        const key = `${z.instance}/${z.zone}`
        const notes = notesByZone.get(key) ?? []
        notesByZone.delete(key)
        return { key, zone: z.zone, label: z.label, count: notes.length, sides: bySide(notes) }
      })
    return { instance: tpl.instance, template: tpl.template, title: t(lang, TEMPLATE_NAME_KEYS[tpl.template]), count: zones.reduce((s, z) => s + z.count, 0), zones }
  })
  // A note in a zone the coverage does not list (should not happen) still appears.
  for (const notes of notesByZone.values()) outside.push(...notes)
  if (outside.length > 0) {
    templates.push({
      instance: null,
      template: null,
      title: t(lang, 'outlineOutside'),
      count: outside.length,
      zones: [{ key: 'outside', zone: 'outside', label: t(lang, 'outlineOutside'), count: outside.length, sides: bySide(outside) }],
    })
  }
  const order = templates.flatMap((tpl) => tpl.zones.flatMap((z) => z.sides.flatMap((s) => s.notes.map((n) => n.id))))
  return { templates, total: order.length, order }
}
