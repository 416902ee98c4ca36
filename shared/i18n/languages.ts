/**
 * The languages Arvo speaks. Shared by the UI catalogue (`messages.ts`) and the
 * template wording in `shared/domain/templates/`.
 */

/** A language the UI and the templates are available in. */
export type Language = 'en' | 'fi' | 'et' | 'ru'

/** One text in every language. Used for template wording and zone labels. */
export type Localized = Readonly<Record<Language, string>>

/** Every language, in the order the language picker shows them. */
export const LANGUAGES: readonly { code: Language; nativeName: string }[] = [
  { code: 'en', nativeName: 'English' },
  { code: 'fi', nativeName: 'Suomi' },
  { code: 'et', nativeName: 'Eesti' },
  { code: 'ru', nativeName: 'Русский' },
]

/** The language used when nothing better is known. */
export const DEFAULT_LANGUAGE: Language = 'en'

const CODES: ReadonlySet<string> = new Set(LANGUAGES.map((l) => l.code))

/** Returns true when `value` is one of the supported language codes. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && CODES.has(value)
}

/**
 * Picks the UI language from the browser's preference list (`navigator.languages`).
 * The first entry whose primary subtag (`fi` in `fi-FI`, `ru` in `ru_RU`) is supported wins;
 * otherwise English.
 *
 * @param navigatorLanguages - BCP 47 tags in order of preference, e.g. `['et-EE', 'en-US']`.
 * @returns The best supported language.
 */
export function detectLanguage(navigatorLanguages: readonly string[]): Language {
  for (const tag of navigatorLanguages) {
    if (typeof tag !== 'string') continue
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0]
    if (isLanguage(primary)) return primary
  }
  return DEFAULT_LANGUAGE
}
