/**
 * Arvo's internationalisation: languages, browser language detection, the UI catalogue
 * and `t()`. Pure: no DOM access (the caller passes `navigator.languages`).
 */
import { IntlMessageFormat } from 'intl-messageformat'
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

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S
/** The argument name of one `{…}` group: `count` of `{count, plural, …}`; never for plural branch texts (`# votes`). */
type ArgName<P extends string> = P extends `${infer N},${string}` ? Trim<N> : Trim<P>
type IsName<N extends string> = N extends '' | `${string}#${string}` | `${string} ${string}` ? never : N

/**
 * The arguments of a message string, as a union of names: `{name}` placeholders and ICU
 * arguments (`{count, plural, one {# vote} other {# votes}}` names `count`; branch texts are
 * not arguments: write them with `#` or more than one word, `i18n.test.ts` checks the parser agrees).
 */
export type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? IsName<ArgName<P>> | Placeholders<Rest>
  : never

/** The parameters `t()` needs for `key`: one value per placeholder of the English text. */
export type MessageParams<K extends MessageKey> = Readonly<
  Record<Placeholders<(typeof en)[K]>, string | number>
>

/** True when `text` uses ICU argument syntax (plural, selectordinal, select). */
export function isIcuMessage(text: string): boolean {
  return /\{\s*\w+\s*,\s*(plural|selectordinal|select)\s*,/.test(text)
}

const formats = new Map<string, IntlMessageFormat>()

/** Formats an ICU message (plural rules of `lang` through intl-messageformat; cached per text). */
function formatIcu(lang: Language, text: string, params: Readonly<Record<string, string | number>>): string {
  const cacheKey = `${lang}\u0000${text}`
  let format = formats.get(cacheKey)
  if (!format) {
    format = new IntlMessageFormat(text, lang, undefined, { ignoreTag: true })
    formats.set(cacheKey, format)
  }
  try {
    return String(format.format(params))
  } catch {
    // A missing argument: show the message's source rather than nothing.
    return text
  }
}

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
  const values = (params ?? {}) as Readonly<Record<string, string | number>>
  return isIcuMessage(text) ? formatIcu(isLanguage(lang) ? lang : DEFAULT_LANGUAGE, text, values) : interpolate(text, values)
}

/** The name of a workshop side in `lang` ("Provider", "Asiakas", …). */
export function sideName(lang: Language, side: 'provider' | 'customer'): string {
  return t(lang, side === 'provider' ? 'sideProvider' : 'sideCustomer')
}
