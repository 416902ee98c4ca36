/**
 * Arvo's internationalisation: languages, browser language detection, the UI catalogue
 * and `t()`. Pure: no DOM access (the caller passes `navigator.languages`).
 */
import { en, MESSAGES, type MessageKey } from './messages.ts'
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './languages.ts'

export {
  DEFAULT_LANGUAGE,
  LANGUAGES,
  detectLanguage,
  isLanguage,
  type Language,
  type Localized,
} from './languages.ts'
export { MESSAGES, SAME_IN_ALL_LANGUAGES, type Catalogue, type MessageKey } from './messages.ts'

/** The `{name}` placeholders of a message string, as a union of names. */
export type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never

/** The parameters `t()` needs for `key`: one value per placeholder of the English text. */
export type MessageParams<K extends MessageKey> = Readonly<
  Record<Placeholders<(typeof en)[K]>, string | number>
>

/**
 * Replaces every `{name}` in `template` by `params[name]`. Unknown placeholders are left as
 * they are, so a missing parameter is visible rather than silently empty.
 *
 * @param template - Text with `{name}` placeholders.
 * @param params - Values by placeholder name.
 */
export function interpolate(
  template: string,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  )
}

/**
 * Translates a UI message.
 *
 * @param lang - Target language; an unsupported value falls back to English.
 * @param key - Catalogue key.
 * @param params - Values for the message's `{placeholders}` (names typed from the English text).
 *   A missing value leaves its `{placeholder}` visible.
 * @returns The translated, interpolated text.
 * @example t('fi', 'balanceWarningCustomer', { pct: 80 }) // 'Asiakkaan puoli kantaa 80 % panoksista'
 */
export function t<K extends MessageKey>(
  lang: Language,
  key: K,
  params?: MessageParams<K>,
): string {
  const catalogue = MESSAGES[isLanguage(lang) ? lang : DEFAULT_LANGUAGE]
  const text = catalogue[key] ?? en[key]
  return interpolate(text, params as Readonly<Record<string, string | number>> | undefined)
}

/** The name of a workshop side in `lang` ("Provider", "Asiakas", …). */
export function sideName(lang: Language, side: 'provider' | 'customer'): string {
  return t(lang, side === 'provider' ? 'sideProvider' : 'sideCustomer')
}
