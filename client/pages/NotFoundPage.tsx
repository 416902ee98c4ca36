import { t } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'

/** Shown for unknown paths and boards that do not exist. */
export function NotFoundPage() {
  const lang = useSession((s) => s.language)
  return (
    <main className="arvo-page">
      <div className="arvo-card" data-testid="not-found">
        <h1 className="arvo-logo">{t(lang, 'appName')}</h1>
        <p className="arvo-lead">{t(lang, 'boardNotFound')}</p>
        <a className="arvo-primary" href="/">
          {t(lang, 'backHome')}
        </a>
      </div>
    </main>
  )
}
