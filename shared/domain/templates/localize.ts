/**
 * Template texts in the viewer's language (TPL-8). A template's records keep the texts of the
 * language it was placed in; each viewer sees its titles, zone names, prompts and rating labels
 * in their own language, looked up from the part's id (`shape:<instance>.<part>`) and its meta.
 * Notes (board content) are never translated.
 */
import type { TLRichText } from '@tldraw/tlschema'
import { LANGUAGES, type Language } from '../../i18n/languages.ts'
import { asShape } from '../geometry.ts'
import { richText, richTextToPlain } from '../richText.ts'
import { readArvoMeta, type TemplateKind } from '../types.ts'
import { buildTemplate } from './index.ts'
import { ratingText } from './staircase.ts'

interface PartText {
  rich: TLRichText
  plain: string
}

/** part id -> text, per template kind and language; built once (templates are static data). */
const partTextCache = new Map<string, ReadonlyMap<string, PartText>>()

function partTexts(kind: TemplateKind, lang: Language): ReadonlyMap<string, PartText> {
  const key = `${kind}:${lang}`
  let texts = partTextCache.get(key)
  if (!texts) {
    const instance = 'i'
    const prefix = `shape:${instance}.`
    const map = new Map<string, PartText>()
    for (const r of buildTemplate(kind, { instance, origin: { x: 0, y: 0 }, language: lang })) {
      const rich = (r.props as { richText?: TLRichText }).richText
      if (rich) map.set(r.id.slice(prefix.length), { rich, plain: richTextToPlain(rich) })
    }
    texts = map
    partTextCache.set(key, texts)
  }
  return texts
}

/**
 * The text a template part shows to someone reading `lang` (TPL-8):
 * - a rating shape: its label for its value and side (RATE-2's wording) in `lang`;
 * - a zone or label: the same part's text as the template builds it in `lang` — but only when
 *   the stored text is that part's text in one of the four languages (a text someone changed
 *   stays as it is);
 * - anything else (notes, plain shapes, unknown parts): null.
 *
 * @param shape - Any record (may be untrusted).
 * @returns The rich text to show, or null to show the stored one.
 */
export function localizedTemplateText(shape: unknown, lang: Language): TLRichText | null {
  const meta = readArvoMeta(shape)
  const s = asShape(shape)
  if (!meta || meta.kind === 'note' || !s) return null
  if (meta.kind === 'rating') return richText(ratingText(meta.side, meta.value, lang))
  const prefix = `shape:${meta.instance}.`
  if (!s.id.startsWith(prefix)) return null
  const part = s.id.slice(prefix.length)
  const target = partTexts(meta.template, lang).get(part)
  if (!target) return null
  const stored = richTextToPlain((s.props as { richText?: unknown }).richText)
  const isTemplateText = LANGUAGES.some((l) => partTexts(meta.template, l.code).get(part)?.plain === stored)
  return isTemplateText ? target.rich : null
}
