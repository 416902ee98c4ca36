/**
 * The insights panel's view model: the domain's balance, coverage and perception gap
 * (shared/domain, rules INS-*), arranged the way each template reads — pyramid levels top
 * down, role-map lanes as a grid, action-plan ways as rows with their owners and due dates.
 * Pure: board shapes and edit counts in, plain data out (unit-tested in Node).
 */
import {
  ACTION_WAYS,
  balanceWarningMessage,
  contributionBalance,
  coverage,
  emptyZoneMessage,
  extractZones,
  noteCenter,
  perceptionGap,
  readArvoMeta,
  shapesById,
  ROLE_COLUMNS,
  ROLE_ROWS,
  STAIRCASE_STEPS,
  templateInstances,
  templateTitle,
  zoneAt,
  type Balance,
  type EditCount,
  type StepGap,
  type TemplateKind,
  type ZoneCoverage,
  type ZoneRef,
} from '../../shared/domain/index.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'

/** One zone's notes by side, with its empty-zone wording. */
export interface ZoneCell {
  instance: string
  zone: string
  label: string
  provider: number
  customer: number
  total: number
  empty: boolean
  /** "Nobody has named any inspirational value yet" (INS-3). */
  emptyMessage: string
}

/** One way of the action plan: its notes by side and how many have an owner and a due date. */
export interface ActionWayRow {
  way: string
  label: string
  provider: number
  customer: number
  total: number
  /** Notes in this way with an owner or an owner side. */
  withOwner: number
  withDue: number
  empty: boolean
}

interface BlockBase {
  instance: string
  /** Template title in the UI language, numbered when a kind appears more than once. */
  title: string
  emptyCount: number
}

/** The coverage of one template instance. */
export type TemplateBlock =
  | (BlockBase & { template: 'pyramid' | 'staircase'; rows: ZoneCell[] })
  | (BlockBase & {
      template: 'roleMap'
      rows: { id: string; label: string }[]
      columns: { id: string; label: string }[]
      /** Keyed `<row>.<column>` (the zone id). */
      cells: Record<string, ZoneCell>
    })
  | (BlockBase & { template: 'actionPlan'; ways: ActionWayRow[] })

/** A perception-gap row, with the staircase it belongs to when there are several. */
export interface GapRow extends StepGap {
  /** Display label: the step, plus the staircase's number when the board has several. */
  title: string
}

export interface InsightsModel {
  balance: Balance
  warning: { side: Side; pct: number; text: string; hint: string } | null
  blocks: TemplateBlock[]
  /**
   * Empty pyramid levels and staircase steps, worded for the panel (INS-3), for templates that
   * have at least one note (an untouched template is highlighted, not listed zone by zone).
   */
  emptyMessages: { instance: string; zone: string; text: string }[]
  outsideZones: number
  gaps: GapRow[]
  /** The zone a note's centre is in (ZONE-2), or null (computed on demand). */
  zoneOfNote(noteId: string): ZoneRef | null
}

/** Numbered titles: "Role map", or "Role map 2" when a kind is on the board more than once. */
function instanceTitles(shapes: readonly unknown[], lang: Language): Map<string, string> {
  const instances = templateInstances(shapes)
  const perKind = new Map<TemplateKind, number>()
  for (const i of instances) perKind.set(i.template, (perKind.get(i.template) ?? 0) + 1)
  const seen = new Map<TemplateKind, number>()
  const out = new Map<string, string>()
  for (const i of instances) {
    const n = (seen.get(i.template) ?? 0) + 1
    seen.set(i.template, n)
    const title = templateTitle(i.template, lang)
    out.set(i.instance, (perKind.get(i.template) ?? 0) > 1 ? `${title} ${n}` : title)
  }
  return out
}

function cell(z: ZoneCoverage, lang: Language): ZoneCell {
  return {
    instance: z.instance,
    zone: z.zone,
    label: z.label,
    provider: z.provider,
    customer: z.customer,
    total: z.total,
    empty: z.total === 0,
    emptyMessage: emptyZoneMessage(z, lang),
  }
}

/**
 * Computes everything the insights panel shows.
 *
 * @param shapes - The board's shapes (other records are ignored).
 * @param edits - Edit counts per person (from the doc's `meta`, written by the server).
 * @param lang - The viewer's UI language (labels only; board content is never translated).
 */
export function computeInsights(shapes: readonly unknown[], edits: readonly EditCount[], lang: Language): InsightsModel {
  const balance = contributionBalance(shapes, edits)
  const warningText = balanceWarningMessage(balance, lang)
  const warning =
    balance.warning && warningText
      ? {
          ...balance.warning,
          text: warningText,
          hint: t(lang, balance.warning.side === 'provider' ? 'balanceHintProvider' : 'balanceHintCustomer'),
        }
      : null

  const cov = coverage(shapes, lang)
  const titles = instanceTitles(shapes, lang)
  const byId = shapesById(shapes)
  const zones = extractZones(shapes, byId)
  const zoneOfNote = (noteId: string): ZoneRef | null => {
    const note = byId.get(noteId)
    const center = note && note.type === 'note' ? noteCenter(note, byId) : null
    const z = center ? zoneAt(center, zones) : null
    return z ? { template: z.template, instance: z.instance, zone: z.zone } : null
  }

  // Notes with action fields (few), and where they are: the action plan's owner / due counts.
  const actions: { zone: ZoneRef; owner: boolean; due: boolean }[] = []
  for (const s of shapes) {
    const meta = readArvoMeta(s)
    if (meta?.kind !== 'note' || !(meta.owner || meta.ownerSide || meta.due)) continue
    const zone = zoneOfNote((s as { id: string }).id)
    if (zone) actions.push({ zone, owner: !!(meta.owner || meta.ownerSide), due: !!meta.due })
  }

  // Templates in reading order on the board: left to right, then top to bottom.
  const corner = new Map<string, { x: number; y: number }>()
  for (const z of zones) {
    const c = corner.get(z.instance)
    corner.set(z.instance, { x: Math.min(c?.x ?? Infinity, z.bounds.x), y: Math.min(c?.y ?? Infinity, z.bounds.y) })
  }
  const position = (instance: string) => corner.get(instance) ?? { x: Infinity, y: Infinity }
  const byPosition = (a: string, b: string) => position(a).x - position(b).x || position(a).y - position(b).y || (a < b ? -1 : a > b ? 1 : 0)
  const byInstance = new Map<string, ZoneCoverage[]>()
  for (const z of [...cov.zones].sort((a, b) => byPosition(a.instance, b.instance))) {
    const list = byInstance.get(z.instance) ?? []
    list.push(z)
    byInstance.set(z.instance, list)
  }
  const blocks: TemplateBlock[] = []
  const emptyMessages: InsightsModel['emptyMessages'] = []
  for (const [instance, covered] of byInstance) {
    const template = covered[0]!.template
    const title = titles.get(instance) ?? templateTitle(template, lang)
    const cells = covered.map((z) => cell(z, lang))
    const emptyCount = cells.filter((c) => c.empty).length
    if (template === 'pyramid' || template === 'staircase') {
      // The pyramid reads top down, as drawn: inspirational value first.
      const rows = template === 'pyramid' ? [...cells].reverse() : cells
      blocks.push({ template, instance, title, rows, emptyCount })
      // Worded once the template is in use; an untouched template is just highlighted.
      if (emptyCount < cells.length) {
        for (const c of cells) if (c.empty) emptyMessages.push({ instance, zone: c.zone, text: c.emptyMessage })
      }
    } else if (template === 'roleMap') {
      blocks.push({
        template,
        instance,
        title,
        emptyCount,
        rows: ROLE_ROWS.map((r) => ({ id: r.id, label: r.label[lang] })),
        // "Palveluntarjoaja" does not fit a narrow column: the provider column gets its short name.
        columns: ROLE_COLUMNS.map((c) => ({ id: c.id, label: c.id === 'provider' ? t(lang, 'providerShort') : c.label[lang] })),
        cells: Object.fromEntries(cells.map((c) => [c.zone, c])),
      })
    } else {
      const ways: ActionWayRow[] = ACTION_WAYS.map((w) => {
        const mine = covered.filter((z) => z.zone.startsWith(`${w.id}.`))
        const ids = actions.filter((a) => a.zone.instance === instance && a.zone.zone.startsWith(`${w.id}.`))
        const provider = mine.reduce((s, z) => s + z.provider, 0)
        const customer = mine.reduce((s, z) => s + z.customer, 0)
        const total = mine.reduce((s, z) => s + z.total, 0)
        return {
          way: w.id,
          label: w.short[lang],
          provider,
          customer,
          total,
          withOwner: ids.filter((a) => a.owner).length,
          withDue: ids.filter((a) => a.due).length,
          empty: total === 0,
        }
      })
      blocks.push({ template: 'actionPlan', instance, title, ways, emptyCount: ways.filter((w) => w.empty).length })
    }
  }

  const staircases = new Set(templateInstances(shapes).filter((i) => i.template === 'staircase').map((i) => i.instance))
  const rank = { rated: 0, partial: 1, unrated: 2 } as const
  const steps = STAIRCASE_STEPS.map((x) => x.id as string)
  const gaps = [...perceptionGap(shapes, lang)]
    // INS-4 order, with "board order" meaning left to right (record order differs between clients).
    .sort(
      (a, b) =>
        rank[a.status] - rank[b.status] ||
        (b.gap ?? 0) - (a.gap ?? 0) ||
        byPosition(a.instance, b.instance) ||
        steps.indexOf(a.step) - steps.indexOf(b.step),
    )
    .map((g) => ({
    ...g,
    title: staircases.size > 1 ? `${g.label} (${titles.get(g.instance) ?? g.instance})` : g.label,
  }))

  return { balance, warning, blocks, emptyMessages, outsideZones: cov.outsideZones, gaps, zoneOfNote }
}
