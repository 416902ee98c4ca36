/** Helpers shared by the template modules: wording and the common title block. */
import { LANGUAGES, type Language, type Localized } from '../../i18n/languages.ts'
import { estimateTextHeight, TYPE } from '../layout.ts'
import type { TemplateCanvas } from './canvas.ts'
import type { ZoneDefinition } from './types.ts'

/** Outer margin of every template, in page units. */
export const MARGIN = 40
/** Space between the title block and the template body. */
export const HEADER_GAP = 30

/**
 * Defines a zone. `phraseEn` is how the zone reads in the English `emptyZone` sentence
 * ("Nobody has named any <phraseEn> yet"); the other languages quote the label itself.
 */
export function zoneDef(id: string, label: Localized, phraseEn: string): ZoneDefinition {
  return { id, label, phrase: { ...label, en: phraseEn } }
}

/** Builds a Localized from its four texts (argument order en, fi, et, ru). */
export function loc(en: string, fi: string, et: string, ru: string): Localized {
  return { en, fi, et, ru }
}

/** The largest value of `f` over all languages: layouts are sized for the longest wording. */
export function maxOverLanguages(f: (lang: Language) => number): number {
  return Math.max(...LANGUAGES.map((l) => f(l.code)))
}

/** Height of the title block (title + subtitle) for a body `width` wide, in the longest language. */
export function headerHeight(title: Localized, subtitle: Localized, width: number): number {
  return Math.ceil(
    maxOverLanguages((l) => estimateTextHeight(title[l], width, TYPE.title)) +
      12 +
      maxOverLanguages((l) => estimateTextHeight(subtitle[l], width, TYPE.subtitle)),
  )
}

/** Draws the title block at the template's top-left margin; returns the y where the body starts. */
export function drawHeader(
  canvas: TemplateCanvas,
  title: Localized,
  subtitle: Localized,
  width: number,
  lang: Language,
): number {
  const titleH = maxOverLanguages((l) => estimateTextHeight(title[l], width, TYPE.title))
  canvas.label('title', title[lang], { x: MARGIN, y: MARGIN, w: width }, TYPE.title, { role: 'title' })
  canvas.label('subtitle', subtitle[lang], { x: MARGIN, y: MARGIN + titleH + 12, w: width }, TYPE.subtitle, {
    role: 'subtitle',
  })
  return MARGIN + headerHeight(title, subtitle, width) + HEADER_GAP
}
