/**
 * Where a board opens and how the template navigator reads the board (FIT-2, NAV-1). Pure: no
 * editor, no DOM; storage is passed in.
 */
import type { TemplateKind } from '../../shared/domain/index.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import type { Box, Camera } from './camera.ts'
import { TEMPLATE_NAME_KEYS, TEMPLATE_SHORT_NAME_KEYS } from './templateNames.ts'

/** tldraw's zoom limits: a stored camera outside them is not ours. */
const MIN_ZOOM = 0.05
const MAX_ZOOM = 8

/** The localStorage key of this browser's camera on one board. */
export function cameraKey(boardId: string): string {
  return `arvo.camera.${boardId}`
}

/** A camera read back from storage, or null when missing or not a camera. */
export function parseCamera(raw: string | null): Camera | null {
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Partial<Camera> | null
    if (!v || typeof v !== 'object') return null
    const { x, y, z } = v
    if (![x, y, z].every((n) => typeof n === 'number' && Number.isFinite(n))) return null
    if (z! < MIN_ZOOM || z! > MAX_ZOOM) return null
    return { x: x!, y: y!, z: z! }
  } catch {
    return null
  }
}

type CameraStorage = Pick<Storage, 'getItem' | 'setItem'>

/**
 * This browser's camera on one board, kept in `storage`: `save` writes at most once per
 * `delayMs` (the last camera wins), `flush` writes a pending one now (page hide, unmount).
 */
export function cameraMemory(storage: CameraStorage, boardId: string, delayMs = 400) {
  const key = cameraKey(boardId)
  let pending: Camera | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const write = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!pending) return
    const cam = pending
    pending = null
    try {
      storage.setItem(key, JSON.stringify({ x: cam.x, y: cam.y, z: cam.z }))
    } catch {
      // storage full or denied: the view is a convenience, not data
    }
  }
  return {
    read: (): Camera | null => parseCamera(storage.getItem(key)),
    save(cam: Camera) {
      pending = cam
      timer ??= setTimeout(write, delayMs)
    },
    flush: write,
  }
}

/** What the board opens on (FIT-2). */
export type InitialView =
  | { kind: 'saved'; camera: Camera }
  | { kind: 'template'; instance: string }
  | { kind: 'content' }
  | { kind: 'none' }

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/**
 * Where this browser was last on the board, if that view still shows some of the board;
 * else the first template (board order); else whatever content there is; else nothing to do.
 *
 * @param saved - The stored camera, if any.
 * @param templates - Template instances in board order ({@link boardOrder}).
 * @param content - Page bounds of everything on the board, or null when empty.
 * @param viewport - Screen size (px), to tell what a saved camera shows.
 * @param things - Page bounds of what is on the board (templates, and shapes outside them); a
 *   saved view must show one of them — a gap inside `content` (a template deleted meanwhile) is
 *   no view to open on. Without it, `content` is used.
 */
export function chooseInitialView(
  saved: Camera | null,
  templates: readonly { instance: string }[],
  content: Box | null,
  viewport: { w: number; h: number },
  things?: readonly Box[],
): InitialView {
  if (saved && content) {
    const seen = { x: -saved.x, y: -saved.y, w: viewport.w / saved.z, h: viewport.h / saved.z }
    if ((things ?? [content]).some((b) => intersects(seen, b))) return { kind: 'saved', camera: saved }
  }
  if (saved && !content) return { kind: 'saved', camera: saved }
  if (templates.length > 0) return { kind: 'template', instance: templates[0]!.instance }
  return content ? { kind: 'content' } : { kind: 'none' }
}

/** Templates left to right, then top to bottom (the order people read the board in). */
export function boardOrder<T extends { instance: string; bounds: Box }>(templates: readonly T[]): T[] {
  return [...templates].sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || (a.instance < b.instance ? -1 : 1))
}

export interface NavigatorItem {
  instance: string
  template: TemplateKind
  bounds: Box
  /** The template's short name in the UI language, numbered when its kind is on the board twice or more. */
  label: string
  /** Its full name, numbered the same way. */
  fullName: string
}

/**
 * The navigator's entries (NAV-1): every template instance, left to right (then top to
 * bottom), named in `lang`; a kind that occurs more than once is numbered in that order.
 */
export function navigatorItems(
  templates: readonly { template: TemplateKind; instance: string; bounds: Box }[],
  lang: Language,
): NavigatorItem[] {
  const sorted = boardOrder(templates)
  const total = new Map<TemplateKind, number>()
  for (const s of sorted) total.set(s.template, (total.get(s.template) ?? 0) + 1)
  const seen = new Map<TemplateKind, number>()
  return sorted.map((s) => {
    const n = (seen.get(s.template) ?? 0) + 1
    seen.set(s.template, n)
    const numbered = (name: string) => (total.get(s.template)! > 1 ? `${name} ${n}` : name)
    return {
      instance: s.instance,
      template: s.template,
      bounds: s.bounds,
      label: numbered(t(lang, TEMPLATE_SHORT_NAME_KEYS[s.template])),
      fullName: numbered(t(lang, TEMPLATE_NAME_KEYS[s.template])),
    }
  })
}

/**
 * The template the view is on: the one covering the most of the visible page area `view`
 * (page units), or null when none is visible.
 */
export function currentTemplate(items: readonly { instance: string; bounds: Box }[], view: Box): string | null {
  let best: { instance: string; area: number } | null = null
  for (const i of items) {
    const w = Math.min(i.bounds.x + i.bounds.w, view.x + view.w) - Math.max(i.bounds.x, view.x)
    const h = Math.min(i.bounds.y + i.bounds.h, view.y + view.h) - Math.max(i.bounds.y, view.y)
    if (w <= 0 || h <= 0) continue
    if (!best || w * h > best.area) best = { instance: i.instance, area: w * h }
  }
  return best?.instance ?? null
}
