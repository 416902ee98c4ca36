import { LANGUAGES, t } from '../../shared/i18n/index.ts'
import { sessionStore, useSession } from '../state/session.ts'

/** Per-person UI language; board content is never translated. */
export function LanguagePicker() {
  const language = useSession((s) => s.language)
  return (
    <label className="arvo-language">
      <span className="arvo-visually-hidden">{t(language, 'language')}</span>
      <select
        data-testid="language-picker"
        value={language}
        onChange={(e) => sessionStore.getState().setLanguage(e.target.value as typeof language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.nativeName}
          </option>
        ))}
      </select>
    </label>
  )
}
