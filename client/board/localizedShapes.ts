/**
 * Template texts in each viewer's own language (I18N-C1): tldraw's geo and text shape utils,
 * subclassed so that template parts (zones, labels, ratings) render — on the canvas, in
 * exports and in their plain text — with the text of the viewer's language (`shared/domain`'s
 * `localizedTemplateText`, TPL-8). The stored records never change, and their types stay the
 * stock `geo` / `text` (the server validates them with the stock tldraw schema).
 */
import { GeoShapeUtil, TextShapeUtil, useValue, type Atom, type SvgExportContext, type TLGeoShape, type TLShape, type TLTextShape } from 'tldraw'
import { localizedTemplateText } from '../../shared/domain/index.ts'
import type { Language } from '../../shared/i18n/index.ts'

/** `shape` with its text replaced by the `lang` text when it is a template part; else `shape` itself. */
export function withLocalizedText<S extends TLGeoShape | TLTextShape>(shape: S, lang: Language): S {
  const text = localizedTemplateText(shape, lang)
  if (!text || JSON.stringify(text) === JSON.stringify(shape.props.richText)) return shape
  return { ...shape, props: { ...shape.props, richText: text } }
}

/**
 * The shape utils of a board whose viewer reads `$language`: a geo and a text util that
 * replace tldraw's defaults of the same types (pass them to `createTLStore` and `<Tldraw>`).
 * A change of `$language` re-renders the template parts.
 */
export function localizedShapeUtils($language: Atom<Language>) {
  class LocalizedGeoShapeUtil extends GeoShapeUtil {
    override component(shape: TLGeoShape) {
      const lang = useValue($language)
      return super.component(withLocalizedText(shape, lang))
    }
    override toSvg(shape: TLGeoShape, ctx: SvgExportContext) {
      return super.toSvg(withLocalizedText(shape, $language.get()), ctx)
    }
    override getText(shape: TLGeoShape) {
      return super.getText(withLocalizedText(shape, $language.get()))
    }
  }
  class LocalizedTextShapeUtil extends TextShapeUtil {
    override component(shape: TLTextShape) {
      const lang = useValue($language)
      return super.component(withLocalizedText(shape, lang))
    }
    override toSvg(shape: TLTextShape, ctx: SvgExportContext) {
      return super.toSvg(withLocalizedText(shape, $language.get()), ctx)
    }
    override getText(shape: TLTextShape) {
      return super.getText(withLocalizedText(shape, $language.get()))
    }
  }
  return [LocalizedGeoShapeUtil, LocalizedTextShapeUtil] as const
}

/** True when `shape` is drawn in another text than it stores for a viewer of `lang`. */
export function isShownLocalized(shape: TLShape, lang: Language): boolean {
  if (shape.type !== 'geo' && shape.type !== 'text') return false
  return withLocalizedText(shape as TLGeoShape, lang) !== shape
}

/**
 * tldraw's own UI language for an Arvo language. tldraw has Finnish and Russian; it has no
 * Estonian, so Estonian readers get tldraw's menus in English.
 */
export function tldrawLocale(lang: Language): string {
  return lang === 'et' ? 'en' : lang
}
