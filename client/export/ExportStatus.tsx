/**
 * The export toast (issue 12): "Preparing: PDF report…" with a spinner while a download runs,
 * "Downloaded: <file>" when it is saved, or why it failed (kept until closed). Non-blocking:
 * it floats under the top centre and the board stays usable. The region is always in the page
 * so that screen readers announce what appears in it (polite; failures assertively).
 */
import { t } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { exportStatus, useExportStatus } from './status.ts'
import './export.css'

export function ExportStatus() {
  const lang = useSession((s) => s.language)
  const jobs = useExportStatus((s) => s.jobs)
  return (
    <div className="arvo-export-status" data-testid="export-status" aria-live="polite" role="status">
      {jobs.map((j) => (
        <div
          key={j.id}
          className={`arvo-panel arvo-export-toast is-${j.state}`}
          data-testid="export-toast"
          data-state={j.state}
          role={j.state === 'error' ? 'alert' : undefined}
        >
          {j.state === 'running' && <span className="arvo-spinner" aria-hidden />}
          {j.state === 'done' && (
            <span className="arvo-export-icon" aria-hidden>
              ✓
            </span>
          )}
          {j.state === 'error' && (
            <span className="arvo-export-icon" aria-hidden>
              !
            </span>
          )}
          <span className="arvo-export-text">{j.text}</span>
          {j.state !== 'running' && (
            <button
              type="button"
              className="arvo-icon-button arvo-export-close"
              data-testid="export-toast-close"
              aria-label={t(lang, 'exportDismiss')}
              title={t(lang, 'exportDismiss')}
              onClick={() => exportStatus.getState().dismiss(j.id)}
            >
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  )
}
