/**
 * Building templates: complete tldraw records for one template (`buildTemplate`), several
 * side by side (`placeTemplates`), and the wording of zones for insights and the UI.
 */
import type { TLShape } from '@tldraw/tlschema'
import { isLanguage, type Language } from '../../i18n/languages.ts'
import { approxPageBounds, asShape, shapesById, type Point } from '../geometry.ts'
import { maxPageIndex } from '../records.ts'
import { isValidInstanceId, readArvoMeta, TEMPLATE_KINDS, type TemplateKind } from '../types.ts'
import { actionPlan } from './actionPlan.ts'
import { TemplateCanvas } from './canvas.ts'
import { pyramid } from './pyramid.ts'
import { roleMap } from './roleMap.ts'
import { staircase } from './staircase.ts'
import { MARGIN } from './text.ts'
import type { BuildOptions, Size, TemplateDefinition, ZoneDefinition } from './types.ts'

export type { BuildOptions, Size, TemplateDefinition, ZoneDefinition } from './types.ts'

/** Every template definition, by kind. */
export const TEMPLATES: Readonly<Record<TemplateKind, TemplateDefinition>> = {
  pyramid,
  roleMap,
  staircase,
  actionPlan,
}

/** Horizontal gap `placeTemplates` leaves between two templates. */
export const TEMPLATE_GAP = 200

/**
 * Builds one template as complete, valid tldraw 5.4.2 shape records (TPL-1…TPL-3): zones
 * (locked geo shapes), labels (locked text or geo shapes) and, for the staircase, rating
 * shapes; all on `page:page`, ids `shape:<instance>.<part>`, indices strictly increasing above
 * `indexAbove`, zones lowest.
 *
 * @param kind - Which template.
 * @param options - Instance id, page origin (top-left corner), language, optional `indexAbove`.
 * @returns The records, bottom-most first.
 * @throws Error on an invalid instance id, language or origin.
 */
export function buildTemplate(kind: TemplateKind, options: BuildOptions): TLShape[] {
  const def = TEMPLATES[kind]
  if (!def) throw new Error(`unknown template kind: ${String(kind)}`)
  if (!isValidInstanceId(options.instance)) throw new Error(`invalid instance id: ${options.instance}`)
  if (!isLanguage(options.language)) throw new Error(`unsupported language: ${String(options.language)}`)
  if (!Number.isFinite(options.origin.x) || !Number.isFinite(options.origin.y)) {
    throw new Error('template origin must be finite')
  }
  const canvas = new TemplateCanvas(kind, options.instance)
  def.draw(canvas, options.language)
  return canvas.toRecords(options.origin, options.indexAbove ?? null)
}

/**
 * The size of a template in page units, the same in every language (TPL-4). Every record of
 * the template lies within `origin` … `origin + size`.
 */
export function templateBounds(kind: TemplateKind): Size {
  return { ...TEMPLATES[kind].size }
}

/** Where one template goes. */
export interface Placement {
  kind: TemplateKind
  instance: string
  origin: Point
  size: Size
}

/** Options of {@link placeTemplates} and {@link templatePlacements}. */
export interface PlaceOptions {
  /** Top-left corner of the first template (default 0, 0). */
  origin?: Point
  /** Gap between templates (default {@link TEMPLATE_GAP}). */
  gap?: number
  /** Instance ids, one per kind (default `<kind>-<n>`, n counting per kind from 1). */
  instances?: readonly string[]
  /** Highest existing page-level index; the new records stack above it. */
  indexAbove?: string | null
}

/**
 * Lays templates out left to right, tops aligned, `gap` apart (TPL-5): they never overlap.
 *
 * @param kinds - Templates in order, left to right (a kind may repeat).
 * @param options - See {@link PlaceOptions}.
 */
export function templatePlacements(kinds: readonly TemplateKind[], options: PlaceOptions = {}): Placement[] {
  const gap = options.gap ?? TEMPLATE_GAP
  if (!(gap >= 0)) throw new Error('gap must be >= 0')
  const origin = options.origin ?? { x: 0, y: 0 }
  const counts = new Map<TemplateKind, number>()
  let x = origin.x
  return kinds.map((kind, i) => {
    const n = (counts.get(kind) ?? 0) + 1
    counts.set(kind, n)
    const size = templateBounds(kind)
    const placement: Placement = {
      kind,
      instance: options.instances?.[i] ?? `${kind}-${n}`,
      origin: { x, y: origin.y },
      size,
    }
    x += size.w + gap
    return placement
  })
}

/**
 * Builds several templates side by side, left to right (TPL-5), with indices strictly
 * increasing across all of them.
 *
 * @param kinds - Templates in order, left to right.
 * @param language - Template language.
 * @param options - See {@link PlaceOptions}.
 * @returns All records of all templates.
 * @throws Error when two placements would share an instance id.
 */
export function placeTemplates(
  kinds: readonly TemplateKind[],
  language: Language,
  options: PlaceOptions = {},
): TLShape[] {
  const placements = templatePlacements(kinds, options)
  const instances = new Set(placements.map((p) => p.instance))
  if (instances.size !== placements.length) throw new Error('placeTemplates: duplicate instance ids')
  const out: TLShape[] = []
  let indexAbove = options.indexAbove ?? null
  for (const p of placements) {
    const records = buildTemplate(p.kind, { instance: p.instance, origin: p.origin, language, indexAbove })
    out.push(...records)
    indexAbove = records[records.length - 1]?.index ?? indexAbove
  }
  return out
}

/** A template instance found on a board. */
export interface TemplateInstance {
  template: TemplateKind
  instance: string
}

/** The template instances present on a board (from zone, label and rating meta), in first-seen order. */
export function templateInstances(records: readonly unknown[]): TemplateInstance[] {
  const seen = new Map<string, TemplateInstance>()
  for (const r of records) {
    const meta = readArvoMeta(r)
    if (!meta || meta.kind === 'note') continue
    if (!seen.has(meta.instance)) seen.set(meta.instance, { template: meta.template, instance: meta.instance })
  }
  return [...seen.values()]
}

/** A fresh instance id for `kind` on this board: `<kind>-<n>` with the smallest unused n. */
export function nextInstanceId(kind: TemplateKind, records: readonly unknown[]): string {
  const used = new Set(templateInstances(records).map((t) => t.instance))
  for (let n = 1; ; n++) {
    const id = `${kind}-${n}`
    if (!used.has(id)) return id
  }
}

/**
 * Where to put one more template on an existing board: right of every shape (approximate
 * bounds), aligned with the topmost template, spaced as {@link placeTemplates} would space it
 * (templates carry an inner margin, so the origin is that margin before the shapes start).
 * An empty board gives (0, 0).
 */
export function nextTemplateOrigin(records: readonly unknown[], gap = TEMPLATE_GAP): Point {
  const byId = shapesById(records)
  let maxX = -Infinity
  let templateTop = Infinity
  let anyTop = Infinity
  for (const s of byId.values()) {
    const b = approxPageBounds(s, byId)
    if (!b) continue
    maxX = Math.max(maxX, b.x + b.w)
    anyTop = Math.min(anyTop, b.y)
    const meta = readArvoMeta(s)
    if (meta && meta.kind !== 'note') templateTop = Math.min(templateTop, b.y)
  }
  if (maxX === -Infinity) return { x: 0, y: 0 }
  const y = Number.isFinite(templateTop) ? templateTop - MARGIN : anyTop
  return { x: Math.ceil(maxX + MARGIN + gap), y: Math.floor(y) }
}

/**
 * Convenience for "add a template to this board": a fresh instance id, a free origin and an
 * `indexAbove` taken from the board, then {@link buildTemplate}.
 */
export function addTemplateToBoard(
  kind: TemplateKind,
  records: readonly unknown[],
  language: Language,
): TLShape[] {
  const shapes = records.filter((r) => asShape(r) !== null)
  return buildTemplate(kind, {
    instance: nextInstanceId(kind, shapes),
    origin: nextTemplateOrigin(shapes),
    language,
    indexAbove: maxPageIndex(shapes),
  })
}

/** The zones of a template kind, in reading order. */
export function templateZones(kind: TemplateKind): readonly ZoneDefinition[] {
  return TEMPLATES[kind].zones
}

/** The localized label of a zone ("Ease of doing business"), or null for an unknown zone. */
export function zoneLabel(kind: TemplateKind, zone: string, lang: Language): string | null {
  return TEMPLATES[kind]?.zones.find((z) => z.id === zone)?.label[lang] ?? null
}

/** How a zone reads inside the `emptyZone` message ("inspirational value"), or null. */
export function zonePhrase(kind: TemplateKind, zone: string, lang: Language): string | null {
  return TEMPLATES[kind]?.zones.find((z) => z.id === zone)?.phrase[lang] ?? null
}

/** The localized title of a template kind. */
export function templateTitle(kind: TemplateKind, lang: Language): string {
  return TEMPLATES[kind].title[lang]
}

export { TEMPLATE_KINDS }
export { ACTION_COLUMNS, ACTION_WAYS } from './actionPlan.ts'
export { PYRAMID_LEVELS } from './pyramid.ts'
export { ROLE_COLUMNS, ROLE_PROMPTS, ROLE_ROWS } from './roleMap.ts'
export { ratingText, STAIRCASE_STEPS } from './staircase.ts'
