import { t } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'

/** A clear banner while the connection is down; says that edits made meanwhile will sync. */
export function ConnectionBanner() {
  const lang = useSession((s) => s.language)
  const status = useSession((s) => s.connection)
  const unsynced = useSession((s) => s.unsyncedEdits)
  if (status === 'online') return null
  return (
    <div className="arvo-banner" role="status" data-testid="connection-banner" data-status={status}>
      <span className="arvo-spinner" aria-hidden />
      <span>{t(lang, status === 'connecting' ? 'connecting' : 'reconnecting')}</span>
      {status === 'reconnecting' && <span className="arvo-banner-sub">{t(lang, 'offlineEditsWillSync')}{unsynced > 0 ? ` (${t(lang, 'unsyncedEdits', { count: unsynced })})` : ''}</span>}
    </div>
  )
}
