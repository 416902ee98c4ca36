import { t, type MessageKey } from '../../shared/i18n/index.ts'
import type { Refusal } from '../access/resolve.ts'
import { LanguagePicker } from '../board/LanguagePicker.tsx'
import { useSession } from '../state/session.ts'

/** What each refusal says (ACC-4), in the person's language. */
export const REFUSAL_TEXT: Record<Refusal, { title: MessageKey; body: MessageKey }> = {
  noToken: { title: 'inviteOnlyTitle', body: 'inviteOnlyBody' },
  tokenReset: { title: 'linkResetTitle', body: 'linkAskFacilitator' },
  tokenExpired: { title: 'linkExpiredTitle', body: 'linkAskFacilitator' },
  badToken: { title: 'linkInvalidTitle', body: 'linkInvalidBody' },
}

/**
 * Shown instead of the board when no token of this browser opens it (ACC-4): none at all ("This
 * board opens through an invite link"), or a link that was reset, expired or is not valid.
 */
export function AccessRefusedPage({ reason }: { reason: Refusal }) {
  const lang = useSession((s) => s.language)
  const text = REFUSAL_TEXT[reason]
  return (
    <main className="arvo-page">
      <div className="arvo-card" data-testid="access-refused" data-reason={reason} role="alert">
        <div className="arvo-card-top">
          <h1 className="arvo-logo">{t(lang, 'appName')}</h1>
          <LanguagePicker />
        </div>
        <h2 className="arvo-refusal-title" data-testid="access-refused-title">
          {t(lang, text.title)}
        </h2>
        <p className="arvo-lead">{t(lang, text.body)}</p>
        <a className="arvo-secondary arvo-link-button" href="/">
          {t(lang, 'backHome')}
        </a>
      </div>
    </main>
  )
}
