/**
 * What every template module provides. A template is static data (wording in four languages,
 * zone ids, a fixed size) plus a `draw` function that emits its shapes onto a
 * {@link TemplateCanvas} in template-local coordinates.
 */
import type { Language, Localized } from '../../i18n/languages.ts'
import type { Point } from '../geometry.ts'
import type { TemplateKind } from '../types.ts'
import type { TemplateCanvas } from './canvas.ts'

/** Width and height of a template in page units. */
export interface Size {
  w: number
  h: number
}

export type { Point } from '../geometry.ts'

/** A zone of a template: stable id and its wording. */
export interface ZoneDefinition {
  /** Stable id (ZONE-1), e.g. `ease`, `design.shared`, `reassure.owner`. */
  id: string
  /** Display label, e.g. "Ease of doing business". */
  label: Localized
  /**
   * The zone as it reads inside the `emptyZone` message. English uses a lower-case noun phrase
   * ("inspirational value"); the other languages quote the label, so it is the label itself.
   */
  phrase: Localized
}

/** A template kind's definition. */
export interface TemplateDefinition {
  kind: TemplateKind
  /** Template title as shown on the board. */
  title: Localized
  /** Fixed size, identical in every language (TPL-4). */
  size: Size
  /** Zones in reading order. */
  zones: readonly ZoneDefinition[]
  /** Emits the template's shapes, coordinates relative to the template's top-left corner. */
  draw(canvas: TemplateCanvas, language: Language): void
}

/** Options of `buildTemplate`. */
export interface BuildOptions {
  /** Template instance id, unique on the board (`[A-Za-z0-9_-]{1,40}`). */
  instance: string
  /** Page position of the template's top-left corner. */
  origin: Point
  language: Language
  /**
   * The highest existing `index` among page-level shapes: the template's indices start above
   * it (TPL-3). Omit or pass null on an empty board.
   */
  indexAbove?: string | null
}
